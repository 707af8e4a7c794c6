import { Link } from 'wouter';
import { formatPoints } from '../format/probability';
import { describeCountdown } from '../format/time';
import type { Market } from './market-types';
import { describeResolution, ProbabilityBars } from './ProbabilityBars';

const STATUS_WORDS: Record<string, string> = {
  open: 'Open',
  closed: 'Closed, awaiting resolution',
  resolved: 'Resolved',
  cancelled: 'Cancelled',
};

/** A market in a list: question, the bars, volume, bettors and time to close. */
export function MarketSummary({ market, now }: { market: Market; now: Date }) {
  const headingId = `market-${String(market.id)}`;
  return (
    <article className="card market-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="market-question">
        <Link href={`/markets/${encodeURIComponent(String(market.id))}`}>{market.question}</Link>
      </h2>
      <ProbabilityBars market={market} />
      <p className="meta">
        <span className="badge">{STATUS_WORDS[market.status] ?? market.status}</span> ·{' '}
        {formatPoints(market.volume)} traded · {market.bettors} {market.bettors === 1 ? 'bettor' : 'bettors'}
        {market.status === 'open' ? ` · ${describeCountdown(market.closes_at, now)}` : ''}
        {describeResolution(market) ? ` · ${describeResolution(market)}` : ''}
      </p>
    </article>
  );
}
