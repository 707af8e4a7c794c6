// Run as its own OS process by two-process-betting.test.ts: says "ready", waits for "go" on stdin, then
// places `count` one-point bets on one market as its own user, except every 20th bet, which both processes
// send identically (same user, same key) so that exactly one of them may take effect. Prints every
// acknowledged result as JSON.
import { once } from 'node:events';
import { openDatabase } from '../database.js';
import { createMarketServices } from '../markets/market-services.js';

const [path, marketId, name, countText] = process.argv.slice(2);
if (!path || !marketId || !name || !countText)
  throw new Error('usage: market-bettor <path> <marketId> <name> <count>');
const handle = openDatabase({ path });
const { markets } = createMarketServices(handle, { timezone: 'America/New_York' });
process.stdout.write('ready\n');
await once(process.stdin, 'data');

const acknowledged: { key: string; userId: string; shares: number }[] = [];
for (let index = 0; index < Number(countText); index += 1) {
  const shared = index % 20 === 0;
  const user = shared ? { id: 'shared', name: 'shared' } : { id: name, name };
  const key = shared ? `shared-${index}` : `${name}-${index}`;
  const result = await markets.buy(
    user,
    { guildId: 'guild-1', idempotencyKey: key },
    {
      marketId: Number(marketId),
      option: index % 2,
      points: 1,
    },
  );
  acknowledged.push({ key, userId: user.id, shares: result.shares });
}
handle.close();
process.stdout.write(`${JSON.stringify(acknowledged)}\n`);
process.exit(0);
