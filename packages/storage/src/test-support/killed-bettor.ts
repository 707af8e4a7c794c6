// Run as its own OS process by ledger-crash.test.ts: places one bet, and stops inside its transaction after
// the first transfer is written (a TEMP trigger calls back into JS), says "mid-transaction" and blocks until
// the test kills it with SIGKILL. Nothing of the bet may survive.
import { openDatabase } from '../database.js';
import { createMarketServices } from '../markets/market-services.js';

const [path, marketId] = process.argv.slice(2);
if (!path || !marketId) throw new Error('usage: killed-bettor <path> <marketId>');
const handle = openDatabase({ path });
const { markets } = createMarketServices(handle, {
  timezone: 'America/New_York',
  clock: { now: () => Date.parse('2026-11-20T16:00:00Z') },
});
const blocker = new Int32Array(new SharedArrayBuffer(4));
handle.sqlite.function('stop_here', () => {
  process.stdout.write('mid-transaction\n', () => Atomics.wait(blocker, 0, 0));
  // The write callback never runs while the loop is blocked below, so block here too.
  Atomics.wait(blocker, 0, 0, 60_000);
  return 0;
});
handle.sqlite.exec(
  'CREATE TEMP TRIGGER stop_mid_bet AFTER INSERT ON main.transfers BEGIN SELECT stop_here(); END',
);
await markets.buy(
  { id: '555', name: 'doomed' },
  { guildId: 'guild-1', idempotencyKey: 'doomed-bet' },
  {
    marketId: Number(marketId),
    option: 0,
    points: 100,
  },
);
process.stdout.write('committed\n');
