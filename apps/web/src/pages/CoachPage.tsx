import { useState } from 'react';
import { Link } from 'wouter';
import { useCalendar, useCoaches, useCoachPlans, usePlanHistory } from '../api/queries';
import type { Plan } from '../api/types';
import { EmptyState, ErrorNotice, Loading } from '../components/Notices';
import { PlanBody } from '../components/PlanBody';
import { TimeLabel } from '../components/TimeLabel';
import { useNow } from '../components/use-now';
import { usePageTitle } from '../components/use-page-title';
import { PlanText } from '../format/plan-text';
import { formatTradingDate } from '../format/time';
import { CoachScoreboardSection } from '../markets/CoachScoreboardSection';

/** A coach's past plans, newest first, each with its edit history; and the coach's market scoreboard. */
export function CoachPage({ coachId }: { coachId: string }) {
  const coaches = useCoaches();
  const calendar = useCalendar();
  const plans = useCoachPlans(coachId);
  const now = useNow();
  usePageTitle(
    coaches.data
      ? (coaches.data.find((candidate) => candidate.id === coachId)?.name ?? 'No such coach')
      : undefined,
  );

  if (coaches.isPending || calendar.isPending) return <Loading what="the coach" />;
  if (coaches.isError) return <ErrorNotice error={coaches.error} what="the coaches" />;
  if (calendar.isError) return <ErrorNotice error={calendar.error} what="the calendar" />;
  const coach = coaches.data.find((candidate) => candidate.id === coachId);
  if (!coach) {
    return (
      <EmptyState title="No such coach">
        <p>
          <Link href="/">Back to today's plans</Link>
        </p>
      </EmptyState>
    );
  }
  const allPlans = plans.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <h1>{coach.name}</h1>
      <CoachScoreboardSection coach={coach.id} />
      <section aria-labelledby="past-plans">
        <h2 id="past-plans">Plans, newest first</h2>
        {plans.isPending ? <Loading what="plans" /> : null}
        {plans.isError && allPlans.length === 0 ? <ErrorNotice error={plans.error} what="plans" /> : null}
        {plans.isSuccess && allPlans.length === 0 ? <p>{coach.name} has not posted a plan yet.</p> : null}
        <ol className="plan-list">
          {allPlans.map((plan) => (
            <li key={plan.id}>
              <PastPlan plan={plan} now={now} timezone={calendar.data.timezone} />
            </li>
          ))}
        </ol>
        {plans.hasNextPage ? (
          <button
            type="button"
            onClick={() => void plans.fetchNextPage()}
            disabled={plans.isFetchingNextPage}
          >
            {plans.isFetchingNextPage ? 'Loading…' : 'Older plans'}
          </button>
        ) : null}
      </section>
    </>
  );
}

function PastPlan({ plan, now, timezone }: { plan: Plan; now: Date; timezone: string }) {
  const [showHistory, setShowHistory] = useState(false);
  const headingId = `plan-${plan.id}`;
  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link href={`/?date=${plan.trading_date}`}>{formatTradingDate(plan.trading_date)}</Link>
      </h3>
      <PlanBody plan={plan} coachName={plan.coach_name} now={now} timezone={timezone} />
      {plan.edited_at ? (
        <button type="button" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
          {showHistory ? 'Hide edit history' : 'Show edit history'}
        </button>
      ) : null}
      {showHistory ? <EditHistory plan={plan} now={now} timezone={timezone} /> : null}
    </article>
  );
}

/** Each edit as the text before and after it, side by side (stacked on phones). */
function EditHistory({ plan, now, timezone }: { plan: Plan; now: Date; timezone: string }) {
  const history = usePlanHistory(plan.id, true);
  if (history.isPending) return <Loading what="the edit history" />;
  if (history.isError) return <ErrorNotice error={history.error} what="the edit history" />;
  if (history.data.length === 0) return <p className="muted">No earlier versions were kept.</p>;
  // Revisions come newest first and hold the text *before* each edit; the text after an edit is the
  // previous text of the next newer revision, or the current text for the newest one.
  return (
    <ol className="revisions" aria-label="Edits, newest first">
      {history.data.map((revision, index) => {
        const after = index === 0 ? plan.text : history.data[index - 1]!.previous_text;
        return (
          <li key={revision.id} className="revision">
            <p className="meta">
              Edited by <bdi>{revision.editor.name}</bdi>{' '}
              <TimeLabel iso={revision.edited_at} now={now} timezone={timezone} />
            </p>
            <div className="side-by-side">
              <section aria-label="Before">
                <h4>Before</h4>
                <PlanText text={revision.previous_text} />
              </section>
              <section aria-label="After">
                <h4>After</h4>
                <PlanText text={after} />
              </section>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
