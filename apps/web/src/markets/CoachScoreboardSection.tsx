import { LineChart } from '../components/LineChart';
import { formatBrier, formatProbability } from '../format/probability';
import { useCoachCalls } from './market-queries';
import type { ChartSeries } from './market-shapes';
import type { CoachCalls } from './market-types';

/** Crowd confidence in each of the coach's calls, oldest first, as a one-series chart. */
export function confidenceSeries(calls: CoachCalls['calls']): ChartSeries {
  const dated = calls
    .filter((call) => call.probability_at_close !== null)
    .map((call) => ({
      time: Date.parse(`${call.trading_date}T12:00:00Z`) / 1000,
      value: call.probability_at_close,
    }))
    .filter((point) => Number.isFinite(point.time))
    .sort((a, b) => a.time - b.time);
  return {
    times: dated.map((point) => point.time),
    series: [{ label: 'Crowd confidence', values: dated.map((point) => point.value) }],
  };
}

/** The coach's scoreboard (calls, hit rate, Brier score); absent while the API has no markets. */
export function CoachScoreboardSection({ coach }: { coach: string }) {
  const calls = useCoachCalls(coach);
  if (!calls.data) return null;
  return <CoachScoreboard calls={calls.data} />;
}

export function CoachScoreboard({ calls }: { calls: CoachCalls }) {
  const board = calls.scoreboard;
  return (
    <section aria-labelledby="scoreboard-heading" className="card">
      <h2 id="scoreboard-heading">Scoreboard</h2>
      <dl className="stats">
        <div>
          <dt>Calls</dt>
          <dd>{board.calls}</dd>
        </div>
        <div>
          <dt>Hit rate</dt>
          <dd>{formatProbability(board.hit_rate)}</dd>
        </div>
        <div>
          <dt>Average crowd confidence</dt>
          <dd>{formatProbability(board.average_probability)}</dd>
        </div>
        <div>
          <dt>Crowd's Brier score (lower is better)</dt>
          <dd>{formatBrier(board.brier_score)}</dd>
        </div>
      </dl>
      {calls.calls.length > 0 ? (
        <LineChart
          title="Crowd confidence at close, per call"
          data={confidenceSeries(calls.calls)}
          height={180}
          minSpanSeconds={7 * 86_400}
          dates
        />
      ) : null}
    </section>
  );
}
