CREATE TABLE "appraisal_grades" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"grade" text NOT NULL,
	"meeting_id" uuid,
	"handling" text,
	"handling_note" text,
	"handling_ends_on" date,
	"reviewed_on" date,
	"review_result" text,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appraisal_grades_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"blob_key" text NOT NULL,
	"sm3" text NOT NULL,
	"source_sm3" text NOT NULL,
	"size" bigint NOT NULL,
	"kind" text NOT NULL,
	"mime" text NOT NULL,
	"filename" text NOT NULL,
	"width" integer,
	"height" integer,
	"captured_at" timestamp with time zone,
	"phash" text,
	"thumb_key" text,
	"thumb_sm3" text,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "evidence_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "meeting_attendance" (
	"county_code" char(6) NOT NULL,
	"meeting_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"held_on" date NOT NULL,
	CONSTRAINT "meeting_attendance_county_code_meeting_id_member_id_pk" PRIMARY KEY("county_code","meeting_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_decisions" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"meeting_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"member_id" uuid,
	"text" text NOT NULL,
	"sort_order" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "meeting_decisions_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"held_on" date NOT NULL,
	"place" text,
	"chair_member_id" uuid,
	"chair_name" text,
	"chair_delegation" text,
	"recorder_member_id" uuid,
	"recorder_name" text,
	"lecturer_member_id" uuid,
	"lecturer_name" text,
	"topic" text,
	"agenda" text,
	"minutes_html" text,
	"counterpart_member_id" uuid,
	"rectification" text,
	"guests" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"committee_size" smallint,
	"committee_present" smallint,
	"valid" boolean DEFAULT true NOT NULL,
	"client_id" uuid,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "meetings_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "problem_events" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"problem_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"message" text NOT NULL,
	"cause" text NOT NULL,
	"user_id" uuid,
	CONSTRAINT "problem_events_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "problems" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"source" text NOT NULL,
	"rule_id" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"status" text NOT NULL,
	"message" text NOT NULL,
	"cleared_by" text NOT NULL,
	"field" text,
	"township_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"raised_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"cleared_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problems_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "rule_results" (
	"county_code" char(6) NOT NULL,
	"rule_id" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"period" text NOT NULL,
	"org_id" uuid NOT NULL,
	"period_start" date,
	"period_end" date,
	"required" integer DEFAULT 1 NOT NULL,
	"held" integer DEFAULT 0 NOT NULL,
	"ok" boolean NOT NULL,
	"ended" boolean NOT NULL,
	"refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rule_results_county_code_rule_id_subject_type_subject_id_period_pk" PRIMARY KEY("county_code","rule_id","subject_type","subject_id","period")
);
--> statement-breakpoint
CREATE TABLE "rule_runs" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"checked" integer,
	"opened" integer,
	"cleared" integer,
	"error" text,
	"started_by" uuid,
	CONSTRAINT "rule_runs_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "rule_settings" (
	"county_code" char(6) NOT NULL,
	"key" text NOT NULL,
	"effective_from" date NOT NULL,
	"value" jsonb NOT NULL,
	"set_by" uuid,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rule_settings_county_code_key_effective_from_pk" PRIMARY KEY("county_code","key","effective_from")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "appraisal_grades_member_year_uq" ON "appraisal_grades" USING btree ("county_code","member_id","year");--> statement-breakpoint
CREATE INDEX "appraisal_grades_org_year_idx" ON "appraisal_grades" USING btree ("county_code","org_id","year");--> statement-breakpoint
CREATE INDEX "appraisal_grades_review_idx" ON "appraisal_grades" USING btree ("county_code","handling_ends_on") WHERE handling = 'correct' and reviewed_on is null;--> statement-breakpoint
CREATE INDEX "evidence_owner_idx" ON "evidence" USING btree ("county_code","owner_type","owner_id");--> statement-breakpoint
CREATE INDEX "evidence_source_sm3_idx" ON "evidence" USING btree ("county_code","source_sm3");--> statement-breakpoint
CREATE INDEX "evidence_phash_idx" ON "evidence" USING btree ("county_code","phash");--> statement-breakpoint
CREATE INDEX "meeting_attendance_member_idx" ON "meeting_attendance" USING btree ("county_code","member_id","held_on");--> statement-breakpoint
CREATE INDEX "meeting_decisions_meeting_idx" ON "meeting_decisions" USING btree ("county_code","meeting_id");--> statement-breakpoint
CREATE INDEX "meeting_decisions_member_idx" ON "meeting_decisions" USING btree ("county_code","member_id");--> statement-breakpoint
CREATE INDEX "meetings_org_idx" ON "meetings" USING btree ("county_code","org_id","kind","held_on");--> statement-breakpoint
CREATE INDEX "meetings_kind_day_idx" ON "meetings" USING btree ("county_code","kind","held_on");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_client_id_uq" ON "meetings" USING btree ("county_code","client_id");--> statement-breakpoint
CREATE INDEX "problem_events_problem_idx" ON "problem_events" USING btree ("county_code","problem_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "problems_key_uq" ON "problems" USING btree ("county_code","source","rule_id","subject_type","subject_id","period");--> statement-breakpoint
CREATE INDEX "problems_org_idx" ON "problems" USING btree ("county_code","org_id","status");--> statement-breakpoint
CREATE INDEX "problems_status_idx" ON "problems" USING btree ("county_code","status","rule_id","period");--> statement-breakpoint
CREATE INDEX "rule_results_org_idx" ON "rule_results" USING btree ("county_code","org_id","period_start");--> statement-breakpoint
CREATE INDEX "rule_results_rule_period_idx" ON "rule_results" USING btree ("county_code","rule_id","period");--> statement-breakpoint
CREATE INDEX "rule_runs_started_idx" ON "rule_runs" USING btree ("county_code","started_at");