-- Sessions are distributed by county like the accounts they belong to (docs/SCALE.md): the key is
-- (county_code, id_hash), so a request reads its session, account and organization in one statement.
DROP INDEX "sessions_user_idx";--> statement-breakpoint
ALTER TABLE "sessions" DROP CONSTRAINT "sessions_pkey";--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_county_code_id_hash_pk" PRIMARY KEY("county_code","id_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("county_code","user_id");
