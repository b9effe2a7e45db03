-- Issue 16 §3: an organization's founding date is required (the rules hold it to a period only if it
-- existed for half of it). Rows without one take the day they were created, in Asia/Shanghai.
UPDATE "orgs" SET "founded_on" = ("created_at" at time zone 'Asia/Shanghai')::date WHERE "founded_on" IS NULL;--> statement-breakpoint
ALTER TABLE "orgs" ALTER COLUMN "founded_on" SET DEFAULT ((now() at time zone 'Asia/Shanghai')::date);--> statement-breakpoint
ALTER TABLE "orgs" ALTER COLUMN "founded_on" SET NOT NULL;
