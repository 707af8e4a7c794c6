import { Link } from 'wouter';
import { formatProbability } from '../format/probability';
import { useMarkets } from './market-queries';
import { headlineOption } from './ProbabilityBars';

/** On a plan card: the crowd's confidence in the plan, from its coach-call market; nothing when none. */
export function CrowdProbability({ planId }: { planId: number }) {
  const markets = useMarkets({ plan_id: planId });
  const market = markets.data?.find((candidate) => candidate.plan_id === planId) ?? null;
  const option = market ? headlineOption(market) : null;
  if (!market || !option) return null;
  return (
    <Link
      href={`/markets/${encodeURIComponent(String(market.id))}`}
      className="crowd"
      aria-label={`Crowd confidence ${formatProbability(option.probability)} ${option.label}: open the market`}
    >
      Crowd <strong>{formatProbability(option.probability)}</strong> {option.label.toLowerCase()}
    </Link>
  );
}
