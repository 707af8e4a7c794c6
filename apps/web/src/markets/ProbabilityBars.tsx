import { formatOdds, formatPoints, formatProbability, poolShares } from '../format/probability';
import type { Market } from './market-types';

/**
 * One row per option: its label, the number (always written out, so nothing depends on colour) and a bar.
 * AMM markets show probabilities; parimutuel ones show each pool's share of the pot and its odds.
 */
export function ProbabilityBars({ market }: { market: Market }) {
  const isPool = market.mechanism === 'pool';
  const shares = isPool ? poolShares(market.options.map((option) => option.pool)) : [];
  return (
    <ul className="prob-bars" aria-label={isPool ? 'Share of the pot per option' : 'Probability per option'}>
      {market.options.map((option, index) => {
        const value = isPool ? shares[index]! : (option.probability ?? 0);
        const text = isPool
          ? `${formatProbability(value)} of the pot · ${formatPoints(option.pool ?? 0)} · odds ${formatOdds(option.odds)}`
          : formatProbability(option.probability);
        return (
          <li key={String(option.id)} className="prob-row">
            <span className="prob-label">{option.label}</span>
            <span className="prob-value">{text}</span>
            <span className="prob-track" aria-hidden="true">
              <span
                className="prob-fill"
                style={{ width: `${Math.round(Math.min(1, Math.max(0, value)) * 100)}%` }}
              />
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** The option a binary market's headline number is about: "Yes" when there is one, else the first. */
export function headlineOption(market: Market) {
  return market.options.find((option) => option.label.toLowerCase() === 'yes') ?? market.options[0] ?? null;
}

/** "Resolved: Yes", "Resolved: MKT at 62%", "Cancelled", or null while undecided. */
export function describeResolution(market: Market): string | null {
  if (market.status === 'cancelled') return 'Cancelled: stakes refunded';
  if (market.status !== 'resolved' || market.resolution === null) return null;
  const { outcome, label, probability } = market.resolution;
  if (outcome === 'MKT') return `Resolved: MKT at ${formatProbability(probability)}`;
  const option = market.options.find((candidate) => candidate.id === outcome);
  return `Resolved: ${label ?? option?.label ?? `option ${outcome}`}`;
}
