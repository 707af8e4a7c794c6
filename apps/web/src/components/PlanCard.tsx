import { Link } from 'wouter';
import type { Coach, Plan } from '../api/types';
import { PlanText } from '../format/plan-text';
import { CrowdProbability } from '../markets/CrowdProbability';
import { ChartGallery } from './ChartGallery';
import { TimeLabel } from './TimeLabel';

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
        <>
          <p className="meta">
            by <span className="author">{plan.author.name}</span> · posted{' '}
            <TimeLabel iso={plan.created_at} now={now} timezone={timezone} />
            {plan.edited_at ? (
              <>
                {' '}
                · edited <TimeLabel iso={plan.edited_at} now={now} timezone={timezone} />
              </>
            ) : null}
          </p>
          <PlanText text={plan.text} />
          <ChartGallery charts={plan.charts} coachName={coach.name} />
        </>
      ) : (
        <p className="no-plan">No plan yet.</p>
      )}
    </article>
  );
}
