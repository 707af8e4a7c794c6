import { join } from 'node:path';
import { type CoachwireConfig, loadConfig } from '@coachwire/config';
import { openCoachwire } from '@coachwire/runtime';

export const GUILD = '4242';
export const ADMIN = { id: '900', name: 'ada', hasAdminPermission: true } as const;
const bettors = [
  { id: '101', name: 'alice' },
  { id: '102', name: 'bob' },
  { id: '103', name: 'carol' },
] as const;

/** The configuration of an installation in `dir`: SQLite there, or PostgreSQL at `url`. */
export function installationConfig(dir: string, url = ''): CoachwireConfig {
  return loadConfig({
    env: { DATABASE_URL: url, DATABASE_POOL_SIZE: '3' },
    argv: [],
    cwd: dir,
    overrides: {
      database: { path: join(dir, 'data', 'coach_plans.db') },
      charts: { dir: join(dir, 'data', 'charts') },
      logging: { level: 'silent', file: '' },
      admins: { user_ids: [ADMIN.id], role_ids: [] },
    },
  });
}

const chart = (name: string) => ({
  url: `https://cdn.discordapp.com/attachments/1/2/${name}.png`,
  filename: `${name}.png`,
  contentType: 'image/png',
  size: 1234,
  width: 800,
  height: 600,
});

/**
 * Writes an installation that uses every table through the real services: plans with charts, edits
 * (revisions) and a deleted plan, points grants and daily claims, markets with trades (buys and a sell),
 * one market resolved and one cancelled, and the events all of that appends.
 */
export async function populateInstallation(config: CoachwireConfig): Promise<{ marketIds: number[] }> {
  const coachwire = await openCoachwire(config);
  try {
    const { plans, points, markets } = coachwire.services;
    const author = { id: '1', name: 'olly' };
    const context = (key: string) => ({ guildId: GUILD, idempotencyKey: key });
    for (const [index, coach] of ['d', 's', 'i', 'n'].entries()) {
      await plans.post(author, {
        coach,
        text: `SPY above ${500 + index}; watching ${coach} levels`,
        tradingDate: '2026-11-19',
        charts: index % 2 === 0 ? [chart(`${coach}-1`), chart(`${coach}-2`)] : [],
        guildId: GUILD,
        channelId: '77',
        channelName: 'plans',
      });
    }
    await plans.post(author, { coach: 'd', text: 'Next day: QQQ reclaim', tradingDate: '2026-11-20' });
    await plans.edit(author, { coach: 'd', tradingDate: '2026-11-19' }, { text: 'SPY above 501 (edited)' });
    await plans.edit(author, { coach: 'd', tradingDate: '2026-11-19' }, { text: 'SPY above 502 (again)' });
    await plans.delete(author, { coach: 'n', tradingDate: '2026-11-19' });

    for (const bettor of bettors) {
      await points.grant(ADMIN, context(`grant-${bettor.id}`), bettor.id, 500, 'welcome');
      await points.claimDaily(bettor, context(`daily-${bettor.id}`));
    }
    const closesAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const ids: number[] = [];
    for (const [index, mechanism] of (['cpmm', 'pool', 'cpmm'] as const).entries()) {
      const market = await markets.create(ADMIN, context(`create-${index}`), {
        question: `Will SPY close green, take ${index + 1}?`,
        mechanism,
        closesAt,
      });
      ids.push(market.id);
      for (const [turn, bettor] of bettors.entries())
        await markets.buy(bettor, context(`buy-${index}-${turn}`), {
          marketId: market.id,
          option: turn % 2,
          points: 20 + 10 * turn,
        });
    }
    const [resolved, cancelled, open] = ids as [number, number, number];
    const held = await markets.positions(open, bettors[0].id);
    const shares = held.find((position) => position.shares > 0)?.shares ?? 0;
    if (shares > 0)
      await markets.sell(bettors[0], context('sell-open'), {
        marketId: open,
        option: held.find((position) => position.shares > 0)!.option,
        shares: Math.floor(shares / 2),
      });
    await markets.resolve(ADMIN, context('resolve'), resolved, { kind: 'option', option: 0 });
    await markets.cancel(ADMIN, context('cancel'), cancelled, 'changed our minds');
    return { marketIds: ids };
  } finally {
    await coachwire.close();
  }
}
