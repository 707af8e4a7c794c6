DROP INDEX "transfers_reverses_idx";--> statement-breakpoint
CREATE INDEX "transfers_reverses_idx" ON "transfers" USING btree ("reverses_id") WHERE "transfers"."reverses_id" IS NOT NULL;