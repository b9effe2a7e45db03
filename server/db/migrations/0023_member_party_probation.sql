-- Issue 16: a member's 留党察看 (党章第四十条) is recorded — from, until, who decided and when, and the 党员大会's 党纪处分 decision when there is one — so the 党员大会's vote base leaves the member out on the meeting's date.
ALTER TABLE "members" ADD COLUMN "party_probation_from" date;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "party_probation_until" date;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "party_probation_decided_by" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "party_probation_decided_on" date;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "party_probation_decision_id" uuid;