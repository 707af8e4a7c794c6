// The PostgreSQL schema: pg-core mirrors of every SQLite table, kept beside them in the feature folders.
// drizzle-kit (drizzle-pg.config.ts) reads this file; PgHandle's drizzle instance is typed by it.
export { charts } from '../charts/pg-chart-schema.js';
export { events } from '../events/pg-event-schema.js';
export { marketMessages } from '../markets/pg-market-message-schema.js';
export { marketOptions, markets, positions, trades } from '../markets/pg-market-schema.js';
export { memberNames } from '../members/pg-member-name-schema.js';
export { botStatus } from '../pg-bot-status-schema.js';
export { planRevisions, plans } from '../plans/pg-plan-schema.js';
export { accounts, auditLog, idempotencyKeys, transfers } from '../points/pg-points-schema.js';
