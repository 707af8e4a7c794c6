-- A market opened through the API on a plan was stored without the plan's coach (fixed in the API), so the bot's
-- coach scoreboard, which finds a coach's calls by coach_id, missed it. Markets on a plan are its coach's calls.
UPDATE `markets` SET `coach_id` = (SELECT `coach` FROM `plans` WHERE `plans`.`id` = `markets`.`plan_id`) WHERE `coach_id` IS NULL AND `plan_id` IS NOT NULL;
