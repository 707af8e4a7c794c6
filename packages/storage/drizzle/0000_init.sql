CREATE TABLE `bot_status` (
	`id` integer PRIMARY KEY NOT NULL,
	`connected` integer NOT NULL,
	`latency_ms` integer,
	`guilds` integer NOT NULL,
	`heartbeat_at` text NOT NULL,
	`mock` integer NOT NULL,
	CONSTRAINT "bot_status_single_row" CHECK("bot_status"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `charts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`position` integer NOT NULL,
	`url` text NOT NULL,
	`filename` text NOT NULL,
	`content_type` text,
	`size` integer,
	`width` integer,
	`height` integer,
	`discord_attachment_id` text,
	`sha256` text,
	`archive_status` text DEFAULT 'none' NOT NULL,
	`archive_attempts` integer DEFAULT 0 NOT NULL,
	`archive_error` text,
	`archived_at` text,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "charts_archive_status_check" CHECK("charts"."archive_status" in ('none', 'pending', 'archived', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `charts_plan_id_position_idx` ON `charts` (`plan_id`,`position`);--> statement-breakpoint
CREATE TABLE `plan_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`plan_id` integer NOT NULL,
	`payload` text NOT NULL,
	`occurred_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `plan_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`previous_text` text NOT NULL,
	`editor_id` text,
	`editor_name` text NOT NULL,
	`edited_at` text NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plan_revisions_plan_id_idx` ON `plan_revisions` (`plan_id`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`coach` text NOT NULL,
	`trading_date` text NOT NULL,
	`text` text NOT NULL,
	`author_id` text,
	`author_name` text NOT NULL,
	`guild_id` text,
	`channel_id` text,
	`channel_name` text,
	`source_message_id` text,
	`created_at` text NOT NULL,
	`edited_at` text,
	`deleted_at` text,
	`deleted_by_id` text,
	`deleted_by_name` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_live_coach_date_unique` ON `plans` (`coach`,`trading_date`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `plans_trading_date_id_idx` ON `plans` (`trading_date`,`id`);--> statement-breakpoint
CREATE INDEX `plans_author_id_idx` ON `plans` (`author_id`);--> statement-breakpoint
CREATE INDEX `plans_source_message_id_idx` ON `plans` (`source_message_id`);