import { useLocation, useSearch } from 'wouter';
import { MemberName } from '../components/MemberName';
import { EmptyState, ErrorNotice, Loading } from '../components/Notices';
import { usePageTitle } from '../components/use-page-title';
import { formatPoints } from '../format/probability';
import { useLeaderboard, useMarkets } from '../markets/market-queries';

/** Who has made the most points: all time or this month, per Discord server. */
export function LeaderboardPage() {
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const period = search.get('period') === 'month' ? 'month' : 'all';
  // No public read lists the guilds; the guilds that have markets are the ones with a leaderboard.
  const markets = useMarkets({});
  const guildIds = [...new Set((markets.data ?? []).map((market) => market.guild_id))];
  const guildId = search.get('guild') ?? guildIds[0];
  const board = useLeaderboard(guildId, period);
  usePageTitle(period === 'month' ? 'Leaderboard, this month' : 'Leaderboard');
  const go = (next: { period?: string; guild?: string }) => {
    const params = new URLSearchParams({ period, ...(guildId ? { guild: guildId } : {}), ...next });
    navigate(`/leaderboard?${params}`);
  };

  if (markets.isPending) return <Loading what="the leaderboard" />;
  return (
    <>
      <h1>Leaderboard</h1>
      <fieldset className="toolbar">
        <legend className="visually-hidden">Period and server</legend>
        {(['all', 'month'] as const).map((choice) => (
          <button
            key={choice}
            type="button"
            aria-pressed={period === choice}
            onClick={() => go({ period: choice })}
          >
            {choice === 'all' ? 'All time' : 'This month'}
          </button>
        ))}
        {guildIds.length > 1 ? (
          <label>
            Server{' '}
            <select value={guildId} onChange={(event) => go({ guild: event.target.value })}>
              {guildIds.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </fieldset>
      {markets.isError && !markets.data ? <ErrorNotice error={markets.error} what="markets" /> : null}
      {guildId === undefined && markets.data !== undefined ? (
        <EmptyState title="No markets yet">
          <p>The leaderboard fills once people bet on a market.</p>
        </EmptyState>
      ) : null}
      {board.isError && !board.data ? <ErrorNotice error={board.error} what="the leaderboard" /> : null}
      {board.data && board.data.length === 0 ? <p>No one has traded in this period yet.</p> : null}
      {board.data && board.data.length > 0 ? (
        // Focusable, so that keyboard users can scroll it sideways on a phone (long Discord ids).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-scroll" aria-label="Leaderboard" tabIndex={0}>
          <table className="leaderboard">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Rank
                </th>
                <th scope="col">Who</th>
                <th scope="col" className="num">
                  Profit
                </th>
                <th scope="col" className="num">
                  Balance
                </th>
              </tr>
            </thead>
            <tbody>
              {board.data.map((entry) => (
                <tr key={entry.user_id}>
                  <td className="num">{entry.rank}</td>
                  <td>
                    <MemberName id={entry.user_id} name={entry.user_name} />
                  </td>
                  <td className="num">
                    {entry.profit > 0 ? '+' : entry.profit < 0 ? '−' : ''}
                    {formatPoints(Math.abs(entry.profit))}
                  </td>
                  <td className="num">{formatPoints(entry.balance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
