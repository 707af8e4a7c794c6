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
      {/* bdi: a Discord name may carry right-to-left text or a U+202E override, which must not run on into
          (and reverse) the rest of the line. */}
      <p className="meta">
        by <bdi className="author">{plan.author.name}</bdi> · posted{' '}
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
