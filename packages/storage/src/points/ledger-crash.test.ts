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

it('leaves nothing partial when a process is killed half-way through a bet', async () => {
  const market = await world.markets.create(admin, world.ctx(), {
    question: 'Crash?',
    mechanism: 'cpmm',
    closesAt: world.inHours(48),
  });
  const tables = ['transfers', 'trades', 'positions', 'events', 'idempotency_keys', 'accounts'];
  const before = tables.map(world.count);
  const script = fileURLToPath(new URL('../test-support/killed-bettor.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@coachwire/source', script, world.handle.path, String(market.id)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('mid-transaction')) resolve();
    });
    child.on('exit', () => reject(new Error(`bettor exited early: ${stdout} ${stderr}`)));
  });
  child.kill('SIGKILL');
  await exited;
  expect(stdout).not.toContain('committed');
  expect(tables.map(world.count)).toEqual(before);
  // The lock died with the process: the next bet goes through and the ledger is whole.
  await world.markets.buy({ id: '556', name: 'next' }, world.ctx(), {
    marketId: market.id,
    option: 0,
    points: 10,
  });
  world.assertLedger();
});
