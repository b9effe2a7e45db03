CREATE TABLE "first_secretaries" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"id_enc" text NOT NULL,
	"id_bidx" text NOT NULL,
	"member_id" uuid,
	"org_id" uuid NOT NULL,
	"dispatch_unit" text NOT NULL,
	"dispatch_org_id" uuid,
	"liaison" text,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"status" text DEFAULT 'serving' NOT NULL,
	"ended_on" date,
	"end_reason" text,
	"areas" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"user_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "first_secretaries_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_checkins" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"fs_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"made_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"position_enc" text,
	"accuracy_m" integer,
	"distance_m" integer,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note" text,
	"client_id" uuid,
	"check_id" uuid,
	"blob_key" text,
	"sm3" text,
	"source_sm3" text,
	"size" integer,
	"mime" text,
	"width" integer,
	"height" integer,
	"captured_at" timestamp with time zone,
	"thumb_key" text,
	"thumb_sm3" text,
	"created_by" uuid NOT NULL,
	CONSTRAINT "fs_checkins_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_leaves" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"fs_id" uuid NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"town_approve" boolean,
	"town_by" uuid,
	"town_at" timestamp with time zone,
	"town_comment" text,
	"unit_approve" boolean,
	"unit_by" uuid,
	"unit_at" timestamp with time zone,
	"unit_comment" text,
	"client_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fs_leaves_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_spot_checks" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"fs_id" uuid NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"asked_by" uuid,
	"seed" text,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fs_spot_checks_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "org_designations" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"set_by" uuid NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_designations_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "lat" double precision;--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "lng" double precision;--> statement-breakpoint
CREATE INDEX "first_secretaries_org_idx" ON "first_secretaries" USING btree ("county_code","org_id");--> statement-breakpoint
CREATE INDEX "first_secretaries_user_idx" ON "first_secretaries" USING btree ("county_code","user_id");--> statement-breakpoint
CREATE INDEX "fs_checkins_fs_day_idx" ON "fs_checkins" USING btree ("county_code","fs_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "fs_checkins_client_idx" ON "fs_checkins" USING btree ("county_code","client_id");--> statement-breakpoint
CREATE INDEX "fs_leaves_fs_idx" ON "fs_leaves" USING btree ("county_code","fs_id","from_date");--> statement-breakpoint
CREATE UNIQUE INDEX "fs_leaves_client_idx" ON "fs_leaves" USING btree ("county_code","client_id");--> statement-breakpoint
CREATE INDEX "fs_spot_checks_fs_idx" ON "fs_spot_checks" USING btree ("county_code","fs_id","asked_at");--> statement-breakpoint
CREATE INDEX "org_designations_org_idx" ON "org_designations" USING btree ("county_code","org_id","kind");