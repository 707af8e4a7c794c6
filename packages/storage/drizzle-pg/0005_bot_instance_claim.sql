ALTER TABLE "bot_status" ADD COLUMN "instance_id" text;--> statement-breakpoint
ALTER TABLE "bot_status" ADD COLUMN "host" text;--> statement-breakpoint
ALTER TABLE "bot_status" ADD COLUMN "pid" integer;