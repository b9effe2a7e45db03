DROP INDEX "members_tail_idx";--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "id_tail_bidx" text;--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "contact_phone_enc" text;--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "contact_phone_masked" text;--> statement-breakpoint
CREATE INDEX "members_tail_bidx_idx" ON "members" USING btree ("id_tail_bidx");--> statement-breakpoint
ALTER TABLE "members" DROP COLUMN "id_tail";--> statement-breakpoint
ALTER TABLE "members" DROP COLUMN "id_masked";