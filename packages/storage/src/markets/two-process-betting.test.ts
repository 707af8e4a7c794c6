import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { admin, type MarketWorld, marketWorld } from '../test-support/market-world.js';

let world: MarketWorld;
beforeEach(async () => {
  world = await marketWorld();
});
afterEach(() => world.dispose());

const BETS_PER_PROCESS = 1000;

function startBettor(path: string, marketId: number, name: string) {
  const script = fileURLToPath(new URL('../test-support/market-bettor.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@coachwire/source',
      script,
      path,
      String(marketId),
      name,
      String(BETS_PER_PROCESS),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', () => {
      if (stdout.startsWith('ready\n')) resolve();
    });
  });
  const exit = once(child, 'exit').then(([code]) => ({ code, stdout, stderr }));
  return { child, ready, exit };
}

it('takes 1,000 bets from each of two processes on one market: every acknowledged bet once, none twice', async () => {
  const market = await world.markets.create(admin, world.ctx(), {
    question: 'Two writers?',
    mechanism: 'cpmm',
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    subsidy: 5000,
  });
  const bettors = ['alpha', 'beta'].map((name) => startBettor(world.handle.path, market.id, name));
  await Promise.all(bettors.map((bettor) => bettor.ready));
  for (const { child } of bettors) child.stdin.end('go\n');
  const results = await Promise.all(bettors.map((bettor) => bettor.exit));
  for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
  const acks = results.map(
    (result) =>
      JSON.parse(result.stdout.split('\n')[1]!) as { key: string; userId: string; shares: number }[],
  );

  expect(acks.map((list) => list.length)).toEqual([BETS_PER_PROCESS, BETS_PER_PROCESS]);
  const sharedKeys = BETS_PER_PROCESS / 20;
  // Each process's own bets plus the shared ones, each shared key taking effect once.
  expect(world.count('trades')).toBe(2 * (BETS_PER_PROCESS - sharedKeys) + sharedKeys);
  const stored = new Map(
    (
      world.handle.sqlite.prepare('SELECT key, result FROM idempotency_keys').all() as {
        key: string;
        result: string;
      }[]
    ).map((row) => [row.key, JSON.parse(row.result) as { shares: number }]),
  );
  for (const ack of acks.flat()) expect(stored.get(ack.key)?.shares, ack.key).toBe(ack.shares);
  // Both processes got the one result of each shared key.
  const sharedA = acks[0]!.filter((ack) => ack.userId === 'shared');
  const sharedB = acks[1]!.filter((ack) => ack.userId === 'shared');
  expect(sharedA).toEqual(sharedB);
  expect(await world.balance({ id: 'shared', name: 'shared' })).toBe(1000 - sharedKeys);
  expect(await world.balance({ id: 'alpha', name: 'alpha' })).toBe(1000 - (BETS_PER_PROCESS - sharedKeys));
  const report = world.assertLedger();
  expect(report.checked).toContain(`${world.count('positions')} position(s) agree with their trades`);
}, 180_000);
