import { Link } from 'wouter';
import type { Coach, Plan } from '../api/types';
import { CrowdProbability } from '../markets/CrowdProbability';
import { PlanBody } from './PlanBody';

interface PlanCardProps {
  readonly coach: Coach;
  /** The coach's plan for the date, or null when none was posted. */
  readonly plan: Plan | null;
  readonly now: Date;
  readonly timezone: string;
}

/** One coach's plan for a day: text, charts, author, times and (when a market exists) the crowd's view. */
export function PlanCard({ coach, plan, now, timezone }: PlanCardProps) {
  const headingId = `coach-${coach.id}-heading`;
  return (
    <article className="card plan-card" aria-labelledby={headingId} data-coach={coach.id}>
      <header className="card-header">
        <h2 id={headingId}>
          <Link href={`/coaches/${encodeURIComponent(coach.id)}`}>{coach.name}</Link>
        </h2>
        {plan ? <CrowdProbability planId={plan.id} /> : null}
      </header>
      {plan ? (
        <PlanBody plan={plan} coachName={coach.name} now={now} timezone={timezone} />
      ) : (
        <p className="no-plan">No plan yet.</p>
      )}
    </article>
  );
}
