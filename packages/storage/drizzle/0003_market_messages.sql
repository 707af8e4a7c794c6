CREATE TABLE `market_messages` (
	`market_id` integer PRIMARY KEY NOT NULL,
	`guild_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`message_id` text NOT NULL,
	`close_announced` integer DEFAULT 0 NOT NULL,
	`announced_settlements` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`market_id`) REFERENCES `markets`(`id`) ON UPDATE no action ON DELETE no action
);
