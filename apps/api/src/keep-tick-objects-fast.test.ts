import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = pathToFileURL(fileURLToPath(new URL('./keep-tick-objects-fast.ts', import.meta.url))).href;
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Runs in a process of its own, with V8's test helpers (`gc()`, `%HaveSameMap`): imports the module, lets
 * its tick run, makes ticks and full collections while no other tick object is alive, then compares the
 * held object with a tick object made afterwards. Prints one JSON line.
 */
const SCRIPT = `
import { executionAsyncResource } from 'node:async_hooks';
const { retainedTickObjects } = await import(${JSON.stringify(MODULE)});
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
await new Promise((resolve) => setImmediate(resolve));
for (let round = 0; round < 3; round++) {
  for (let i = 0; i < 20000; i++) process.nextTick(() => {});
  await new Promise((resolve) => setImmediate(resolve));
  gc({ type: 'major', execution: 'sync' });
}
const fresh = await new Promise((resolve) => process.nextTick(() => resolve(executionAsyncResource())));
const held = retainedTickObjects[0];
process.stdout.write(JSON.stringify({
  held: retainedTickObjects.length,
  keys: held === undefined ? [] : Reflect.ownKeys(held).map(String),
  sameMap: held !== undefined && haveSameMap(held, fresh),
}));
`;

describe('keeping one nextTick object alive', () => {
  it('holds a real tick object, whose map is the one tick objects still get after full collections', () => {
    const result = spawnSync(
      process.execPath,
      ['--expose-gc', '--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', SCRIPT],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { held: number; keys: string[]; sameMap: boolean };
    expect(report.held).toBe(1);
    // Node's tick object: the callback, its arguments and the two async-id symbols.
    expect(report.keys).toEqual(
      expect.arrayContaining([
        'callback',
        'args',
        'Symbol(async_id_symbol)',
        'Symbol(trigger_async_id_symbol)',
      ]),
    );
    expect(report.sameMap).toBe(true);
  });
});
