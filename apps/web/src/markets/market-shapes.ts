import type { LeaderboardEntry, MarketOption, Trade } from './market-types';

/** What a line chart draws: x in Unix seconds, one series of probabilities (0..1) per option. */
export interface ChartSeries {
  readonly times: number[];
  readonly series: { label: string; values: (number | null)[] }[];
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const listOf = (body: unknown): unknown[] =>
  Array.isArray(body) ? body : isObject(body) && Array.isArray(body.data) ? body.data : [];

const timeOf = (point: Loose): number | null => {
  const raw = point.at ?? point.timestamp ?? point.time ?? point.created_at;
  const ms = typeof raw === 'number' ? raw * (raw < 1e12 ? 1000 : 1) : Date.parse(String(raw));
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
};

/** Each option's probability in one history point, keyed by option id. */
function probabilitiesOf(point: Loose): Map<string, number> {
  const found = new Map<string, number>();
  const raw = point.probabilities ?? point.options;
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      if (isObject(entry) && typeof entry.probability === 'number') {
        found.set(String(entry.option_id ?? entry.id), entry.probability);
      }
    }
  } else if (isObject(raw)) {
    for (const [id, value] of Object.entries(raw)) if (typeof value === 'number') found.set(id, value);
  }
  return found;
}

/**
 * `/markets/{id}/history` as chart series. Accepts a list (or `{data}`) of points with a time (`at`,
 * `timestamp`, ...) and probabilities either as `{optionId: p}` or `[{option_id, probability}]`.
 */
export function normalizeHistory(body: unknown, options: readonly MarketOption[]): ChartSeries {
  const points = listOf(body)
    .filter(isObject)
    .map((point) => ({ time: timeOf(point), probabilities: probabilitiesOf(point) }))
    .filter((point): point is { time: number; probabilities: Map<string, number> } => point.time !== null)
    .sort((a, b) => a.time - b.time);
  return {
    times: points.map((point) => point.time),
    series: options.map((option) => ({
      label: option.label,
      values: points.map(
        (point) =>
          point.probabilities.get(String(option.id)) ?? point.probabilities.get(option.label) ?? null,
      ),
    })),
  };
}

/** A page of trades (`{data}` or a bare list), keeping only entries that have what the table shows. */
export function normalizeTrades(body: unknown): Trade[] {
  return listOf(body).filter(
    (trade): trade is Trade => isObject(trade) && typeof trade.amount === 'number' && trade.option_id != null,
  );
}

/** The leaderboard (`{data}`, `{entries}` or a list), ranked by profit when the API gives no rank. */
export function normalizeLeaderboard(body: unknown): LeaderboardEntry[] {
  const raw = isObject(body) && Array.isArray(body.entries) ? body.entries : listOf(body);
  return raw
    .filter((entry): entry is LeaderboardEntry => isObject(entry) && typeof entry.user_id === 'string')
    .map((entry, index) => ({ ...entry, rank: entry.rank ?? index + 1 }));
}
