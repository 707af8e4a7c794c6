import type { Plan } from '../api/types';
import { PlanText } from '../format/plan-text';
import { ChartGallery } from './ChartGallery';
import { TimeLabel } from './TimeLabel';

interface PlanBodyProps {
  plan: Plan;
  coachName: string;
  now: Date;
  timezone: string;
}

/** A plan as every page shows it: author and times, the text (never executed) and its charts. */
export function PlanBody({ plan, coachName, now, timezone }: PlanBodyProps) {
  return (
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
      <ChartGallery charts={plan.charts} coachName={coachName} />
    </>
  );
}
