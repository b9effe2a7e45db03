CREATE TABLE "inspection_plans" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"planner_org_id" uuid NOT NULL,
	"org_ids" jsonb NOT NULL,
	"draw_id" uuid,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"inspectors" text NOT NULL,
	"focus" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_plans_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "problem_evidence" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"problem_id" uuid NOT NULL,
	"progress_id" uuid,
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
	"thumb_key" text,
	"thumb_sm3" text,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "problem_evidence_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "problem_progress" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"problem_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"text" text NOT NULL,
	"by_user" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_progress_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "plan_id" uuid;--> statement-breakpoint
CREATE INDEX "inspection_plans_org_idx" ON "inspection_plans" USING btree ("county_code","planner_org_id","starts_on");--> statement-breakpoint
CREATE INDEX "problem_evidence_problem_idx" ON "problem_evidence" USING btree ("county_code","problem_id","created_at");--> statement-breakpoint
CREATE INDEX "problem_progress_problem_idx" ON "problem_progress" USING btree ("county_code","problem_id","at");