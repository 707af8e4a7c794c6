import { Link, useLocation, useSearch } from 'wouter';
import { useCalendar, useCoaches, useNewestPlanDate, usePlansOn } from '../api/queries';
import { DatePicker } from '../components/DatePicker';
import { EmptyState, ErrorNotice, Loading } from '../components/Notices';
import { PlanCard } from '../components/PlanCard';
import { useNow } from '../components/use-now';
import { usePageTitle } from '../components/use-page-title';
import { formatTradingDate, isCalendarDate } from '../format/time';

/** The landing page: one card per configured coach with the plan for the chosen date (default today). */
export function TodayPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const calendar = useCalendar();
  const coaches = useCoaches();
  const requested = new URLSearchParams(search).get('date') || null;
  const today = calendar.data?.today;
  // A hand-edited or truncated link (?date=2026-02-31) shows today, and says so, rather than another day.
  const badDate = requested !== null && !isCalendarDate(requested);
  const date = requested !== null && !badDate ? requested : today;
  const plans = usePlansOn(date);
  const newestPlanDate = useNewestPlanDate();
  const now = useNow();
  usePageTitle(
    date === undefined
      ? undefined
      : date === today
        ? "Today's plans"
        : `Plans for ${formatTradingDate(date)}`,
  );

  if (calendar.isPending || coaches.isPending) return <Loading what="today's plans" />;
  if (calendar.isError) return <ErrorNotice error={calendar.error} what="the calendar" />;
  if (coaches.isError) return <ErrorNotice error={coaches.error} what="the coaches" />;
  const { timezone } = calendar.data;
  const shownDate = date ?? calendar.data.today;

  return (
    <>
      <div className="page-head">
        <h1>
          {shownDate === calendar.data.today ? 'Today' : 'Plans'}{' '}
          <span className="subtle">{formatTradingDate(shownDate)}</span>
        </h1>
        <DatePicker
          date={shownDate}
          today={calendar.data.today}
          last={latest(calendar.data.today, newestPlanDate.data)}
          onChange={(next, options) =>
            navigate(next === calendar.data.today ? '/' : `/?date=${next}`, {
              replace: options?.replace ?? false,
            })
          }
        />
      </div>
      {badDate ? (
        <p className="notice notice-error" role="alert">
          “{requested}” is not a date (YYYY-MM-DD); showing today's plans instead.
        </p>
      ) : null}
      {newestPlanDate.data === null ? <FirstRun /> : null}
      {shownDate === calendar.data.today &&
      plans.data?.length === 0 &&
      newestPlanDate.data &&
      newestPlanDate.data > calendar.data.today ? (
        <PostedAhead date={newestPlanDate.data} />
      ) : null}
      {plans.isError && plans.data === undefined ? (
        <ErrorNotice error={plans.error} what="the plans" />
      ) : null}
      {coaches.data.length === 0 ? (
        <EmptyState title="No coaches are configured">
          <p>
            Add coaches under <code>coaches:</code> in the configuration file, then restart Coachwire.
          </p>
        </EmptyState>
      ) : (
        <div className="plan-grid" aria-busy={plans.isPending}>
          {coaches.data.map((coach) => (
            <PlanCard
              key={coach.id}
              coach={coach}
              plan={plans.data?.find((plan) => plan.coach === coach.id) ?? null}
              now={now}
              timezone={timezone}
            />
          ))}
        </div>
      )}
      <p className="muted small">Times are in {timezone}.</p>
    </>
  );
}

/** The last date the picker offers: today, or a later date some coach already posted for. */
function latest(today: string, newestPlanDate: string | null | undefined): string {
  return newestPlanDate && newestPlanDate > today ? newestPlanDate : today;
}

/**
 * Today is empty but a coach already posted for a later day: on a weekend or market holiday the plans are for
 * the next trading day, which is where a viewer wants to go.
 */
function PostedAhead({ date }: { date: string }) {
  return (
    <p className="notice posted-ahead">
      No plans for today. The coaches have posted for {formatTradingDate(date)}:{' '}
      <Link href={`/?date=${date}`}>see those plans</Link>.
    </p>
  );
}

function FirstRun() {
  return (
    <EmptyState title="Welcome to Coachwire: no plans yet">
      <p>Plans appear here the moment a coach posts one. To post the first:</p>
      <ul>
        <li>
          in Discord, in a channel the bot reads, send <code>!plan d: Long SPY above 450, stop 445</code>{' '}
          (attach chart images to the same message);
        </li>
        <li>
          or with an API key: <code>POST /api/v1/plans</code> with{' '}
          <code>{'{"coach": "d", "text": "…"}'}</code>.
        </li>
      </ul>
      <p>This page updates by itself.</p>
    </EmptyState>
  );
}
