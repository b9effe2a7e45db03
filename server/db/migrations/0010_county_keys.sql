-- The scale path made true (docs/SCALE.md): every distributed table keyed by (county_code, …), settings
-- and a county's own code-list entries per county, a global login directory, one audit chain per
-- county. Runs on a database with data: rows without a county get the installation's (platform_meta
-- 'county', else the county of the oldest root organization, else the pseudo-county 000000).
CREATE OR REPLACE FUNCTION pg_temp.installation_county() RETURNS char(6) LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT value->>'code' FROM platform_meta WHERE key = 'county'),
    (SELECT county_code FROM orgs WHERE parent_id IS NULL ORDER BY created_at LIMIT 1),
    '000000')::char(6)
$$;
--> statement-breakpoint
CREATE TABLE "county_code_lists" (
	"county_code" char(6) NOT NULL,
	"list" text NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "county_code_lists_county_code_list_code_pk" PRIMARY KEY("county_code","list","code")
);
--> statement-breakpoint
CREATE TABLE "usernames" (
	"username" text PRIMARY KEY NOT NULL,
	"county_code" char(6) NOT NULL,
	"user_id" uuid NOT NULL
);
--> statement-breakpoint
-- Every existing account in the login directory (lower(username) was unique, so no clash).
INSERT INTO "usernames" ("username", "county_code", "user_id") SELECT lower("username"), "county_code", "id" FROM "users";
--> statement-breakpoint
DROP INDEX "orgs_county_idx";--> statement-breakpoint
DROP INDEX "audit_at_idx";--> statement-breakpoint
DROP INDEX "audit_user_idx";--> statement-breakpoint
DROP INDEX "audit_object_idx";--> statement-breakpoint
DROP INDEX "member_org_history_member_idx";--> statement-breakpoint
DROP INDEX "members_org_idx";--> statement-breakpoint
DROP INDEX "members_pinyin_idx";--> statement-breakpoint
DROP INDEX "members_tail_bidx_idx";--> statement-breakpoint
DROP INDEX "members_sort_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "members_initials_cov";--> statement-breakpoint
DROP INDEX "org_events_org_idx";--> statement-breakpoint
DROP INDEX "org_posts_org_idx";--> statement-breakpoint
DROP INDEX "org_posts_member_idx";--> statement-breakpoint
DROP INDEX "orgs_path_idx";--> statement-breakpoint
DROP INDEX "orgs_parent_idx";--> statement-breakpoint
DROP INDEX "orgs_initials_idx";--> statement-breakpoint
DROP INDEX "users_username_uq";--> statement-breakpoint
-- Settings: the rows so far were the installation county's.
ALTER TABLE "settings" ADD COLUMN "county_code" char(6);--> statement-breakpoint
UPDATE "settings" SET "county_code" = pg_temp.installation_county();--> statement-breakpoint
ALTER TABLE "settings" ALTER COLUMN "county_code" SET NOT NULL;--> statement-breakpoint
-- Sessions learn their account's county (the account is then read by (county_code, id)); a session
-- whose account is gone is dropped.
ALTER TABLE "sessions" ADD COLUMN "county_code" char(6);--> statement-breakpoint
UPDATE "sessions" s SET "county_code" = u."county_code" FROM "users" u WHERE u."id" = s."user_id";--> statement-breakpoint
DELETE FROM "sessions" WHERE "county_code" IS NULL;--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "county_code" SET NOT NULL;--> statement-breakpoint
-- The audit log. Entries so far form one global chain: they keep it (chain_rule 1, set without
-- touching a row: a column added with a constant default), new entries chain per county (default 2).
-- Entries written without a county (system, CLI, unknown login names) get the installation's county
-- and chain_rule 0, which tells verification their hash covers no county. That one UPDATE is the
-- migration's, as the table owner, with the append-only trigger off for it alone; no hashed value
-- changes.
ALTER TABLE "audit_log" ADD COLUMN "chain_rule" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "chain_rule" SET DEFAULT 2;--> statement-breakpoint
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_no_update";--> statement-breakpoint
UPDATE "audit_log" SET "county_code" = pg_temp.installation_county(), "chain_rule" = 0 WHERE "county_code" IS NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_no_update";--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "county_code" SET NOT NULL;--> statement-breakpoint
-- Primary keys: (county_code, id), and (county_code, seq) for the audit log.
ALTER TABLE "account_requests" DROP CONSTRAINT "account_requests_pkey";--> statement-breakpoint
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_pkey";--> statement-breakpoint
ALTER TABLE "member_org_history" DROP CONSTRAINT "member_org_history_pkey";--> statement-breakpoint
ALTER TABLE "members" DROP CONSTRAINT "members_pkey";--> statement-breakpoint
ALTER TABLE "org_events" DROP CONSTRAINT "org_events_pkey";--> statement-breakpoint
ALTER TABLE "org_posts" DROP CONSTRAINT "org_posts_pkey";--> statement-breakpoint
ALTER TABLE "orgs" DROP CONSTRAINT "orgs_pkey";--> statement-breakpoint
ALTER TABLE "settings" DROP CONSTRAINT "settings_pkey";--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_pkey";--> statement-breakpoint
ALTER TABLE "account_requests" ADD CONSTRAINT "account_requests_county_code_id_pk" PRIMARY KEY("county_code","id");--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_county_code_seq_pk" PRIMARY KEY("county_code","seq");--> statement-breakpoint
ALTER TABLE "member_org_history" ADD CONSTRAINT "member_org_history_county_code_id_pk" PRIMARY KEY("county_code","id");--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_county_code_id_pk" PRIMARY KEY("county_code","id");--> statement-breakpoint
ALTER TABLE "org_events" ADD CONSTRAINT "org_events_county_code_id_pk" PRIMARY KEY("county_code","id");--> statement-breakpoint
ALTER TABLE "org_posts" ADD CONSTRAINT "org_posts_county_code_id_pk" PRIMARY KEY("county_code","id");--> statement-breakpoint
ALTER TABLE "orgs" ADD CONSTRAINT "orgs_county_code_id_pk" PRIMARY KEY("county_code","id");--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_county_code_key_pk" PRIMARY KEY("county_code","key");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_county_code_id_pk" PRIMARY KEY("county_code","id");--> statement-breakpoint
-- Indexes lead with the county: every query carries it.
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("county_code","at");--> statement-breakpoint
CREATE INDEX "audit_user_idx" ON "audit_log" USING btree ("county_code","user_id","at");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "audit_log" USING btree ("county_code","object_type","object_id");--> statement-breakpoint
-- The pre-0010 global chain is verified in sequence order across counties: an index of its entries only.
CREATE INDEX "audit_legacy_idx" ON "audit_log" USING btree ("seq") WHERE "audit_log"."chain_rule" < 2;--> statement-breakpoint
CREATE INDEX "member_org_history_member_idx" ON "member_org_history" USING btree ("county_code","member_id","from_date");--> statement-breakpoint
CREATE INDEX "members_org_idx" ON "members" USING btree ("county_code","org_id","name_pinyin");--> statement-breakpoint
CREATE INDEX "members_pinyin_idx" ON "members" USING btree ("county_code","name_pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "members_tail_bidx_idx" ON "members" USING btree ("county_code","id_tail_bidx");--> statement-breakpoint
CREATE INDEX "members_sort_idx" ON "members" USING btree ("county_code","name_pinyin","id");--> statement-breakpoint
-- The covering initials index of 0006, now per county (drizzle-kit cannot express INCLUDE).
CREATE INDEX "members_initials_cov" ON "members" ("county_code", "name_initials" text_pattern_ops) INCLUDE ("id", "org_id", "name_pinyin", "name");--> statement-breakpoint
CREATE INDEX "org_events_org_idx" ON "org_events" USING btree ("county_code","org_id","at");--> statement-breakpoint
CREATE INDEX "org_posts_org_idx" ON "org_posts" USING btree ("county_code","org_id");--> statement-breakpoint
CREATE INDEX "org_posts_member_idx" ON "org_posts" USING btree ("county_code","member_id");--> statement-breakpoint
CREATE INDEX "orgs_path_idx" ON "orgs" USING btree ("county_code","path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "orgs_parent_idx" ON "orgs" USING btree ("county_code","parent_id","sort_order");--> statement-breakpoint
CREATE INDEX "orgs_initials_idx" ON "orgs" USING btree ("county_code","name_initials" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree ("county_code",lower("username"));--> statement-breakpoint
-- The member-count triggers (0003) join on the county too: the organization is found by its key, and
-- under Citus the update stays on the shard of the members it counts.
CREATE OR REPLACE FUNCTION members_count_insert() RETURNS trigger AS $$
BEGIN
  UPDATE orgs o SET member_count = o.member_count + d.n
    FROM (SELECT county_code, org_id, count(*)::int AS n FROM new_rows GROUP BY county_code, org_id) d
    WHERE o.county_code = d.county_code AND o.id = d.org_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION members_count_delete() RETURNS trigger AS $$
BEGIN
  UPDATE orgs o SET member_count = o.member_count - d.n
    FROM (SELECT county_code, org_id, count(*)::int AS n FROM old_rows GROUP BY county_code, org_id) d
    WHERE o.county_code = d.county_code AND o.id = d.org_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION members_count_update() RETURNS trigger AS $$
BEGIN
  UPDATE orgs o SET member_count = o.member_count + d.n
    FROM (
      SELECT county_code, org_id, sum(n)::int AS n FROM (
        SELECT county_code, org_id, -1 AS n FROM old_rows UNION ALL SELECT county_code, org_id, 1 AS n FROM new_rows
      ) x GROUP BY county_code, org_id HAVING sum(n) <> 0
    ) d WHERE o.county_code = d.county_code AND o.id = d.org_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP FUNCTION pg_temp.installation_county();
