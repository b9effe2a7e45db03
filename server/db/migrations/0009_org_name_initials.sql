ALTER TABLE "orgs" ADD COLUMN "name_initials" text;--> statement-breakpoint
CREATE INDEX "orgs_initials_idx" ON "orgs" USING btree ("name_initials" text_pattern_ops);