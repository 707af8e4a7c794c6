import type { Coach } from '@coachwire/core';
import type { LegacyPlan, LegacySqliteRows } from '@coachwire/storage';
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

/**
 * The old SQLite tables as plans: `coach_plans` rows with their `plan_charts` (in the order they were added)
 * and `plan_history` (each row the text a plan had before an edit, oldest first). A soft-deleted row stays
 * deleted, dated by its last known change since the old schema kept no deletion time.
 */
export function plansFromLegacySqlite(rows: LegacySqliteRows, coaches: readonly Coach[]): LegacyReading {
  const plans: LegacyPlan[] = [];
  const invalid: InvalidRow[] = [];
  const planIds = new Set(rows.plans.map((row) => row.id));
  for (const chart of rows.charts.filter((row) => !planIds.has(row.plan_id)))
    invalid.push({
      source: `plan_charts id ${String(chart.id)}`,
      problems: [`refers to missing plan ${String(chart.plan_id)}`],
    });
  for (const entry of rows.history.filter((row) => !planIds.has(row.plan_id)))
    invalid.push({
      source: `plan_history id ${String(entry.id)}`,
      problems: [`refers to missing plan ${String(entry.plan_id)}`],
    });

  for (const row of rows.plans) {
    const source = `coach_plans id ${String(row.id)}`;
    const checked = allChecked({
      coach: legacyCoach(row.coach_name, coaches),
      tradingDate: legacyDate(row.date),
      text: legacyText(row.plan, 'plan text'),
      authorName: legacyName(row.author, 'author'),
      channelName: legacyChannel(row.channel),
      createdAt: legacyTimestamp(row.created_at, 'created_at'),
    });
    const problems = 'problems' in checked ? [...checked.problems] : [];
    const editedAt =
      row.edited_at === null || row.edited_at === undefined
        ? null
        : legacyTimestamp(row.edited_at, 'edited_at');
    if (editedAt && !editedAt.ok) problems.push(editedAt.problem);

    const charts: { url: string; filename: string }[] = [];
    for (const chart of rows.charts.filter((item) => item.plan_id === row.id)) {
      const checkedChart = legacyChart(chart.chart_url, chart.filename);
      if (checkedChart.ok) charts.push(checkedChart.value);
      else problems.push(`plan_charts id ${String(chart.id)}: ${checkedChart.problem}`);
    }
    const revisions: LegacyPlan['revisions'][number][] = [];
    for (const entry of rows.history.filter((item) => item.plan_id === row.id)) {
      // Bytes as the editor would otherwise fall back to the author's name below: report them instead.
      const editorBytes =
        entry.edited_by instanceof Uint8Array ? legacyName(entry.edited_by, 'edited_by') : null;
      if (editorBytes && !editorBytes.ok)
        problems.push(`plan_history id ${String(entry.id)}: ${editorBytes.problem}`);
      const revision = allChecked({
        previousText: legacyText(entry.plan_text, 'history text'),
        editedAt: legacyTimestamp(entry.edited_at, 'history edited_at'),
      });
      if ('problems' in revision)
        problems.push(...revision.problems.map((p) => `plan_history id ${String(entry.id)}: ${p}`));
      else {
        const editor =
          typeof entry.edited_by === 'string' && entry.edited_by !== ''
            ? entry.edited_by
            : String(row.author);
        revisions.push({ ...revision.values, editorName: editor });
      }
    }
    if (problems.length > 0 || 'problems' in checked) {
      invalid.push({ source, problems });
      continue;
    }
    const edited = editedAt?.ok ? editedAt.value : null;
    const deleted = row.is_deleted === 1 || row.is_deleted === true || row.is_deleted === '1';
    plans.push({
      source,
      ...checked.values,
      editedAt: edited,
      deletedAt: deleted ? (edited ?? checked.values.createdAt) : null,
      charts,
      revisions,
    });
  }
  return { format: 'sqlite', plans, invalid };
}
