ALTER TABLE `bot_status` ADD `state` text;--> statement-breakpoint
ALTER TABLE `bot_status` ADD `last_error` text;