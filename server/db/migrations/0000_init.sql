CREATE TABLE "audit_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	"username" text,
	"roles" text,
	"org_id" uuid,
	"county_code" char(6),
	"ip" text,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"result" text NOT NULL,
	"request_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_lists" (
	"list" text NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "code_lists_list_code_pk" PRIMARY KEY("list","code")
);
--> statement-breakpoint
CREATE TABLE "member_org_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"member_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"org_name" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_pinyin" text NOT NULL,
	"name_initials" text NOT NULL,
	"sex" char(1) NOT NULL,
	"birth_date" date NOT NULL,
	"ethnicity" text,
	"education" text,
	"person_category" text,
	"join_method" text,
	"standing" text NOT NULL,
	"party_status" text DEFAULT 'normal' NOT NULL,
	"join_date" date NOT NULL,
	"full_date" date,
	"post" text,
	"native_place" text,
	"work_start_date" date,
	"id_enc" text NOT NULL,
	"id_bidx" text NOT NULL,
	"id_tail" text NOT NULL,
	"id_masked" text NOT NULL,
	"phone_enc" text,
	"phone_bidx" text,
	"phone_masked" text,
	"address_enc" text,
	"address_masked" text,
	"lost_contact" boolean DEFAULT false NOT NULL,
	"last_contact_date" date,
	"mobile" boolean DEFAULT false NOT NULL,
	"hardship" boolean DEFAULT false NOT NULL,
	"migrant_worker" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "org_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"post" text NOT NULL,
	"member_id" uuid,
	"person_name" text,
	"start_date" date,
	"term_end" date,
	"ended_on" date,
	"vacant_since" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orgs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"parent_id" uuid,
	"path" text NOT NULL,
	"depth" integer NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"name_pinyin" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"field" text,
	"category" text,
	"division_code" text,
	"unit_situation" text,
	"unit_name" text,
	"founded_on" date,
	"contact_name" text,
	"contact_phone" text,
	"term_start" date,
	"term_end" date,
	"term_years" integer,
	"status" text DEFAULT 'active' NOT NULL,
	"merged_into" uuid,
	"dissolved_on" date,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"password_history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"roles" text[] NOT NULL,
	"org_id" uuid NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_user_idx" ON "audit_log" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "audit_log" USING btree ("object_type","object_id");--> statement-breakpoint
CREATE INDEX "member_org_history_member_idx" ON "member_org_history" USING btree ("member_id","from_date");--> statement-breakpoint
CREATE UNIQUE INDEX "members_id_bidx_uq" ON "members" USING btree ("county_code","id_bidx");--> statement-breakpoint
CREATE INDEX "members_org_idx" ON "members" USING btree ("org_id","name_pinyin");--> statement-breakpoint
CREATE INDEX "members_pinyin_idx" ON "members" USING btree ("name_pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "members_initials_idx" ON "members" USING btree ("name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "members_name_trgm" ON "members" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "members_tail_idx" ON "members" USING btree ("id_tail");--> statement-breakpoint
CREATE INDEX "members_sort_idx" ON "members" USING btree ("name_pinyin","id");--> statement-breakpoint
CREATE INDEX "org_events_org_idx" ON "org_events" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "org_posts_org_idx" ON "org_posts" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "org_posts_member_idx" ON "org_posts" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "orgs_path_idx" ON "orgs" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "orgs_parent_idx" ON "orgs" USING btree ("parent_id","sort_order");--> statement-breakpoint
CREATE INDEX "orgs_county_idx" ON "orgs" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "orgs_name_trgm" ON "orgs" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree (lower("username"));