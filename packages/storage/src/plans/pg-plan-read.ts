import type { Plan } from '@coachwire/core';
import type { PgQueryable } from '../markets/pg-market-sql.js';
import { type ChartRow, type PlanRow, toPlan } from './plan-rows.js';

// One plan read is one statement: the plan row and its charts (as a JSON array in position order) come
// together, so a read is one round trip and one snapshot. The statements are named (prepared once per
// connection): the server parses and plans them once, and the client skips the Parse step afterwards.

const PLAN_COLUMNS = `p.id, p.coach, p.trading_date AS "tradingDate", p.text, p.author_id AS "authorId",
  p.author_name AS "authorName", p.guild_id AS "guildId", p.channel_id AS "channelId",
  p.channel_name AS "channelName", p.source_message_id AS "sourceMessageId", p.created_at AS "createdAt",
  p.edited_at AS "editedAt", p.deleted_at AS "deletedAt", p.deleted_by_id AS "deletedById",
  p.deleted_by_name AS "deletedByName"`;

const CHARTS_OF_PLAN = `(SELECT json_agg(json_build_object('id', c.id, 'planId', c.plan_id, 'position', c.position,
    'url', c.url, 'filename', c.filename, 'contentType', c.content_type, 'size', c.size, 'width', c.width,
    'height', c.height, 'discordAttachmentId', c.discord_attachment_id, 'sha256', c.sha256,
    'archiveStatus', c.archive_status, 'archiveAttempts', c.archive_attempts, 'archiveError', c.archive_error,
    'archivedAt', c.archived_at) ORDER BY c.position)
  FROM charts c WHERE c.plan_id = p.id) AS charts`;

const QUERIES = {
  byId: `SELECT ${PLAN_COLUMNS}, ${CHARTS_OF_PLAN} FROM plans p WHERE p.id = $1::bigint`,
  live: `SELECT ${PLAN_COLUMNS}, ${CHARTS_OF_PLAN} FROM plans p
    WHERE p.coach = $1 AND p.trading_date = $2 AND p.deleted_at IS NULL`,
  // The live plan if there is one, else the newest deleted one.
  bySourceMessage: `SELECT ${PLAN_COLUMNS}, ${CHARTS_OF_PLAN} FROM plans p WHERE p.source_message_id = $1
    ORDER BY p.deleted_at IS NULL DESC, p.id DESC LIMIT 1`,
} as const;

interface PlanWithChartsRow extends PlanRow {
  readonly charts: ChartRow[] | null;
}

/** The first plan `kind` finds (with its charts), or null; `includeDeleted` keeps a deleted one. */
export async function readPlanPg(
  client: PgQueryable,
  kind: keyof typeof QUERIES,
  values: unknown[],
  includeDeleted = true,
): Promise<Plan | null> {
  const { rows } = await client.query<PlanWithChartsRow>({
    name: `coachwire_plan_${kind}`,
    text: QUERIES[kind],
    values,
  });
  const row = rows[0];
  if (!row || (row.deletedAt !== null && !includeDeleted)) return null;
  return toPlan(row, row.charts ?? []);
}
