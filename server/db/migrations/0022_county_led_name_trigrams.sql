-- A county's name searches read only its county (issue 21): the trigram indexes are led by county_code,
-- which a GIN index takes through btree_gin (a trusted extension: the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
DROP INDEX "members_name_trgm";--> statement-breakpoint
DROP INDEX "orgs_name_trgm";--> statement-breakpoint
CREATE INDEX "members_name_trgm" ON "members" USING gin ("county_code","name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "orgs_name_trgm" ON "orgs" USING gin ("county_code","name" gin_trgm_ops);