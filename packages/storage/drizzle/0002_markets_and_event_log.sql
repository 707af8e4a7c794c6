ALTER TABLE `plan_events` RENAME TO `events`;--> statement-breakpoint
CREATE TABLE `market_options` (
	`market_id` integer NOT NULL,
	`option_index` integer NOT NULL,
	`label` text NOT NULL,
	`pool` integer NOT NULL,
	PRIMARY KEY(`market_id`, `option_index`),
	FOREIGN KEY (`market_id`) REFERENCES `markets`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "market_options_pool_check" CHECK("market_options"."pool" >= 0)
);
--> statement-breakpoint
CREATE TABLE `markets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`question` text NOT NULL,
	`description` text,
	`mechanism` text NOT NULL,
	`weight` integer NOT NULL,
	`subsidy` integer NOT NULL,
	`subsidy_payer` text NOT NULL,
	`creator_id` text NOT NULL,
	`creator_name` text NOT NULL,
	`plan_id` integer,
	`coach_id` text,
	`created_at` text NOT NULL,
	`closes_at` text NOT NULL,
	`status` text NOT NULL,
	`resolution_option` integer,
	`resolution_probability` integer,
	`settled_at` text,
	`settled_by` text,
	`settlements` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "markets_mechanism_check" CHECK("markets"."mechanism" in ('cpmm', 'lmsr', 'pool')),
	CONSTRAINT "markets_status_check" CHECK("markets"."status" in ('open', 'resolved', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `markets_status_closes_at_idx` ON `markets` (`status`,`closes_at`);--> statement-breakpoint
CREATE INDEX `markets_guild_id_idx` ON `markets` (`guild_id`,`id`);--> statement-breakpoint
CREATE INDEX `markets_coach_idx` ON `markets` (`guild_id`,`coach_id`);--> statement-breakpoint
CREATE TABLE `positions` (
	`market_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`option_index` integer NOT NULL,
	`shares` integer NOT NULL,
	`invested` integer NOT NULL,
	`taken_out` integer NOT NULL,
	`payout` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`market_id`, `user_id`, `option_index`),
	FOREIGN KEY (`market_id`) REFERENCES `markets`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "positions_non_negative" CHECK("positions"."shares" >= 0 and "positions"."invested" >= 0 and "positions"."taken_out" >= 0)
);
--> statement-breakpoint
CREATE TABLE `trades` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`market_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`option_index` integer NOT NULL,
	`side` text NOT NULL,
	`points` integer NOT NULL,
	`shares` integer NOT NULL,
	`probabilities_before` text NOT NULL,
	`probabilities_after` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`market_id`) REFERENCES `markets`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "trades_side_check" CHECK("trades"."side" in ('buy', 'sell'))
);
--> statement-breakpoint
CREATE INDEX `trades_market_user_idx` ON `trades` (`market_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text,
	`market_id` integer,
	`balance` integer DEFAULT 0 NOT NULL,
	`last_daily_date` text,
	`created_at` text NOT NULL,
	CONSTRAINT "accounts_kind_check" CHECK("accounts"."kind" in ('house', 'rounding', 'escrow', 'user')),
	CONSTRAINT "accounts_no_overdraft" CHECK("accounts"."kind" = 'house' or "accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_guild_key_unique` ON `accounts` (`guild_id`,`key`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text,
	`actor_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`reason` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_subject_idx` ON `audit_log` (`subject`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`guild_id` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`result` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`guild_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_at_idx` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `transfers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`from_account_id` integer NOT NULL,
	`to_account_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`kind` text NOT NULL,
	`market_id` integer,
	`settlement` integer,
	`reverses_id` integer,
	`memo` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`from_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "transfers_amount_positive" CHECK("transfers"."amount" > 0),
	CONSTRAINT "transfers_distinct_accounts" CHECK("transfers"."from_account_id" <> "transfers"."to_account_id")
);
--> statement-breakpoint
CREATE INDEX `transfers_from_idx` ON `transfers` (`from_account_id`);--> statement-breakpoint
CREATE INDEX `transfers_to_idx` ON `transfers` (`to_account_id`);--> statement-breakpoint
CREATE INDEX `transfers_market_settlement_idx` ON `transfers` (`market_id`,`settlement`);--> statement-breakpoint
CREATE INDEX `transfers_reverses_idx` ON `transfers` (`reverses_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`domain` text NOT NULL,
	`type` text NOT NULL,
	`schema_version` integer DEFAULT 1 NOT NULL,
	`guild_id` text,
	`plan_id` integer,
	`market_id` integer,
	`payload` text NOT NULL,
	`occurred_at` text NOT NULL,
	CONSTRAINT "events_type_in_domain" CHECK(substr("__new_events"."type", 1, length("__new_events"."domain") + 1) = "__new_events"."domain" || '.')
);
--> statement-breakpoint
-- Edited by hand: every existing event is a plan event, and keeps its id so SSE clients resume across the upgrade.
INSERT INTO `__new_events`("id", "domain", "type", "schema_version", "guild_id", "plan_id", "market_id", "payload", "occurred_at") SELECT "id", 'plan', "type", 1, NULL, "plan_id", NULL, "payload", "occurred_at" FROM `events`;--> statement-breakpoint
-- Keep the AUTOINCREMENT high-water mark too, so an id once handed out is never reused.
UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence WHERE name IN ('events', '__new_events')) WHERE name = '__new_events';--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `events_domain_id_idx` ON `events` (`domain`,`id`);--> statement-breakpoint
CREATE INDEX `events_market_id_idx` ON `events` (`market_id`);--> statement-breakpoint
-- Added by hand: the ledger's history is append-only; a correction is a new, reversing row.
CREATE TRIGGER `transfers_append_only_update` BEFORE UPDATE ON `transfers` BEGIN SELECT RAISE(ABORT, 'transfers are append-only'); END;--> statement-breakpoint
CREATE TRIGGER `transfers_append_only_delete` BEFORE DELETE ON `transfers` BEGIN SELECT RAISE(ABORT, 'transfers are append-only'); END;--> statement-breakpoint
CREATE TRIGGER `trades_append_only_update` BEFORE UPDATE ON `trades` BEGIN SELECT RAISE(ABORT, 'trades are append-only'); END;--> statement-breakpoint
CREATE TRIGGER `trades_append_only_delete` BEFORE DELETE ON `trades` BEGIN SELECT RAISE(ABORT, 'trades are append-only'); END;--> statement-breakpoint
CREATE TRIGGER `events_append_only_update` BEFORE UPDATE ON `events` BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
