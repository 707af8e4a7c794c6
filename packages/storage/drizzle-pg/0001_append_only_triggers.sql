-- Written by hand (drizzle-kit generate --custom), mirroring the triggers of SQLite's 0002 migration:
-- the ledger's history (transfers) and the trade log are append-only, a correction is a new, reversing row;
-- events are never rewritten, only deleted oldest-first by retention pruning.
CREATE FUNCTION coachwire_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% are append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER transfers_append_only_update BEFORE UPDATE ON transfers FOR EACH ROW EXECUTE FUNCTION coachwire_refuse_change();--> statement-breakpoint
CREATE TRIGGER transfers_append_only_delete BEFORE DELETE ON transfers FOR EACH ROW EXECUTE FUNCTION coachwire_refuse_change();--> statement-breakpoint
-- TRUNCATE skips row triggers, so it is refused by a statement trigger of its own (SQLite has no TRUNCATE).
CREATE TRIGGER transfers_append_only_truncate BEFORE TRUNCATE ON transfers FOR EACH STATEMENT EXECUTE FUNCTION coachwire_refuse_change();--> statement-breakpoint
CREATE TRIGGER trades_append_only_update BEFORE UPDATE ON trades FOR EACH ROW EXECUTE FUNCTION coachwire_refuse_change();--> statement-breakpoint
CREATE TRIGGER trades_append_only_delete BEFORE DELETE ON trades FOR EACH ROW EXECUTE FUNCTION coachwire_refuse_change();--> statement-breakpoint
CREATE TRIGGER trades_append_only_truncate BEFORE TRUNCATE ON trades FOR EACH STATEMENT EXECUTE FUNCTION coachwire_refuse_change();--> statement-breakpoint
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION coachwire_refuse_change();
