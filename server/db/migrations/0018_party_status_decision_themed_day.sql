-- Issue 16 §4: a member's 党籍状态 takes effect by a recorded 党员大会 decision (since, decision), and an organization may fix the day of its 主题党日.
ALTER TABLE "members" ADD COLUMN "party_status_since" date;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "party_status_decision_id" uuid;--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "themed_day" smallint;