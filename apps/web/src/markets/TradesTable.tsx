import { MemberName } from '../components/MemberName';
import { TimeLabel } from '../components/TimeLabel';
import { formatPoints } from '../format/probability';
import type { Market, Trade } from './market-types';

/** The latest trades: who, which option, points in or out, shares. */
export function TradesTable({
  trades,
  market,
  now,
  timezone,
}: {
  trades: readonly Trade[];
  market: Market;
  now: Date;
  timezone: string;
}) {
  if (trades.length === 0) return <p className="muted">No trades yet.</p>;
  const labelOf = (optionId: number) =>
    market.options.find((option) => option.id === optionId)?.label ?? `option ${optionId}`;
  return (
    // Focusable, so that keyboard users can scroll it sideways on a phone, where it is wider than the screen.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" aria-label="Recent trades" tabIndex={0}>
      <table className="trades">
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col">Trade</th>
            <th scope="col" className="num">
              Points
            </th>
            <th scope="col" className="num">
              Shares
            </th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {trades.map((trade) => {
            const selling = trade.kind === 'sell';
            return (
              <tr key={String(trade.id)}>
                <td>
                  <MemberName id={trade.user_id} name={trade.user_name} />
                </td>
                <td>
                  {selling ? 'sold' : 'bought'} {labelOf(trade.option_id)}
                </td>
                <td className="num">{formatPoints(trade.amount)}</td>
                <td className="num">{trade.shares.toFixed(2)}</td>
                <td>
                  <TimeLabel iso={trade.created_at} now={now} timezone={timezone} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
