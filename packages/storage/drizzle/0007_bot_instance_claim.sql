ALTER TABLE `bot_status` ADD `instance_id` text;--> statement-breakpoint
ALTER TABLE `bot_status` ADD `host` text;--> statement-breakpoint
ALTER TABLE `bot_status` ADD `pid` integer;