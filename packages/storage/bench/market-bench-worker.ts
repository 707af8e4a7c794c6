// The second process of the markets benchmark: waits for "go", places bets on the shared file, prints timings.
import { once } from 'node:events';
import { createMarketServices, openDatabase } from '../src/index.js';
import { sequentialBets } from './market-bench-support.js';

const [path, marketId, count] = process.argv.slice(2);
if (!path || !marketId || !count) throw new Error('usage: market-bench-worker <path> <marketId> <count>');
const handle = openDatabase({
  path,
  backgroundCheckpoints: process.env.BENCH_BACKGROUND_CHECKPOINTS !== '0',
});
const { markets } = createMarketServices(handle, { timezone: 'America/New_York' });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const timing = await sequentialBets(markets, 'bench', Number(marketId), {
  count: Number(count),
  users: 100,
  prefix: 'w',
  name: 'two processes: the other process',
});
handle.close();
process.stdout.write(
  `${JSON.stringify({ seconds: timing.seconds, cpuMicros: timing.cpuMicros, samples: timing.samples.map(String) })}\n`,
);
process.exit(0);
