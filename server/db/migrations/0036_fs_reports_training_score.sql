CREATE TABLE "fs_five_items" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"fs_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"done_on" date NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fs_five_items_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_reminders" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"fs_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"due_on" date NOT NULL,
	"stage" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "fs_reminders_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_report_comments" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"report_id" uuid NOT NULL,
	"side" text NOT NULL,
	"text" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fs_report_comments_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_reports" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"fs_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"period" text NOT NULL,
	"body" text NOT NULL,
	"areas" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"made_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fs_reports_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_score_items" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"fs_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"side" text NOT NULL,
	"score" numeric(5, 1) NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"given_by" uuid NOT NULL,
	"given_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fs_score_items_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_systems" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"ord" integer NOT NULL,
	"name" text NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fs_systems_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_training_attendance" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"training_id" uuid NOT NULL,
	"fs_id" uuid NOT NULL,
	"status" text NOT NULL,
	"note" text,
	CONSTRAINT "fs_training_attendance_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "fs_trainings" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"hours" numeric(4, 1),
	"content" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fs_trainings_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE INDEX "fs_five_items_fs_idx" ON "fs_five_items" USING btree ("county_code","fs_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "fs_reminders_subject_idx" ON "fs_reminders" USING btree ("county_code","fs_id","subject","stage");--> statement-breakpoint
CREATE INDEX "fs_report_comments_report_idx" ON "fs_report_comments" USING btree ("county_code","report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fs_reports_period_idx" ON "fs_reports" USING btree ("county_code","fs_id","kind","period");--> statement-breakpoint
CREATE UNIQUE INDEX "fs_reports_client_idx" ON "fs_reports" USING btree ("county_code","client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fs_score_items_idx" ON "fs_score_items" USING btree ("county_code","fs_id","year","side");--> statement-breakpoint
CREATE UNIQUE INDEX "fs_systems_ord_idx" ON "fs_systems" USING btree ("county_code","ord");--> statement-breakpoint
CREATE UNIQUE INDEX "fs_training_attendance_idx" ON "fs_training_attendance" USING btree ("county_code","training_id","fs_id");--> statement-breakpoint
CREATE INDEX "fs_training_attendance_fs_idx" ON "fs_training_attendance" USING btree ("county_code","fs_id");--> statement-breakpoint
CREATE INDEX "fs_trainings_day_idx" ON "fs_trainings" USING btree ("county_code","held_on");