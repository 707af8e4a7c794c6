import type { Coach } from '@coachwire/core';
import type { LegacyPlan } from '@coachwire/storage';
import { CliError, EXIT_USAGE } from '../cli-io.js';
import type { InvalidRow, LegacyReading } from './legacy-reading.js';
import {
  allChecked,
  legacyChannel,
  legacyChart,
  legacyCoach,
  legacyDate,
  legacyName,
  legacyText,
  legacyTimestamp,
} from './legacy-values.js';

const LEGACY_KEY = /^(coach_[^_]+)_(.+)$/;

/** The Fix for a file that is not one of the two old forms. */
export const NOT_A_SOURCE_FIX =
  'give the old coach_plans.db, or the JSON dump of the first version (an object keyed coach_<letter>_<date>).';

/**
 * The first version's in-memory store as dumped to JSON: `{ "coach_d_2024-01-15": { plan, charts: [url],
 * author, timestamp, channel } }`. It had no edits, history or deletes; `timestamp` is when the plan was posted.
 */
export function plansFromLegacyJson(path: string, dump: unknown, coaches: readonly Coach[]): LegacyReading {
  // Not a row to leave out with --skip-invalid: the whole file is something else.
  if (dump === null || typeof dump !== 'object' || Array.isArray(dump))
    throw new CliError(
      `${path} is JSON but not the first version's dump: it holds ${Array.isArray(dump) ? 'a list' : dump === null ? 'null' : `a ${typeof dump}`}, not an object of plans keyed coach_<letter>_<YYYY-MM-DD>.`,
      NOT_A_SOURCE_FIX,
      EXIT_USAGE,
    );
  const plans: LegacyPlan[] = [];
  const invalid: InvalidRow[] = [];
  for (const [key, value] of Object.entries(dump)) {
    const source = `key ${key}`;
    const match = LEGACY_KEY.exec(key);
    if (!match) {
      invalid.push({ source, problems: ['key is not coach_<letter>_<YYYY-MM-DD>'] });
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      invalid.push({ source, problems: ['value is not an object with plan, charts, author, timestamp'] });
      continue;
    }
    const entry = value as Record<string, unknown>;
    const checked = allChecked({
      coach: legacyCoach(match[1], coaches),
      tradingDate: legacyDate(match[2]),
      text: legacyText(entry.plan, 'plan text'),
      authorName: legacyName(entry.author, 'author'),
      channelName: legacyChannel(entry.channel),
      createdAt: legacyTimestamp(entry.timestamp, 'timestamp'),
    });
    const problems = 'problems' in checked ? [...checked.problems] : [];
    const charts: { url: string; filename: string }[] = [];
    const urls = entry.charts ?? [];
    if (!Array.isArray(urls)) problems.push('charts is not a list of URLs');
    else
      for (const url of urls) {
        const chart = legacyChart(url, undefined);
        if (chart.ok) charts.push(chart.value);
        else problems.push(chart.problem);
      }
    if ('problems' in checked || problems.length > 0) {
      invalid.push({ source, problems });
      continue;
    }
    plans.push({
      source,
      ...checked.values,
      editedAt: null,
      deletedAt: null,
      charts,
      revisions: [],
    });
  }
  return { format: 'json', plans, invalid };
}
