import type { CoachwireDatabase } from '@coachwire/storage';

/** Appends `count` plan events straight to the log (as years of bot activity would), in one transaction. */
export function seedEvents(database: CoachwireDatabase, count: number, occurredAt = new Date()): void {
  const insert = database.sqlite.prepare(
    "INSERT INTO events (domain, type, plan_id, payload, occurred_at) VALUES ('plan', 'plan.updated', ?, ?, ?)",
  );
  database.sqlite.transaction(() => {
    for (let index = 1; index <= count; index++) {
      const payload = JSON.stringify({
        id: index,
        coach: 'd',
        tradingDate: '2026-11-20',
        authorId: '111111111111111111',
        authorName: 'alice',
        editedAt: occurredAt.toISOString(),
        deletedAt: null,
      });
      insert.run(index, payload, occurredAt.toISOString());
    }
  })();
}
