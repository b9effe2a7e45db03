CREATE TABLE "inspection_draws" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"under_org_id" uuid NOT NULL,
	"strata" text NOT NULL,
	"size" integer NOT NULL,
	"seed" text NOT NULL,
	"org_kinds" jsonb NOT NULL,
	"population" jsonb NOT NULL,
	"sample" jsonb NOT NULL,
	"drawn_by" uuid NOT NULL,
	"drawn_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_draws_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "task_assignments" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"task_id" uuid NOT NULL,
	"parent_id" uuid,
	"org_id" uuid NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"status" text NOT NULL,
	"deadline" date NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"submitted_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"return_reason" text,
	"reminded_due_at" timestamp with time zone,
	"reminded_overdue_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"escalated_to_org_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_assignments_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "task_events" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"assignment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text,
	"user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_events_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "task_evidence" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"assignment_id" uuid NOT NULL,
	"event_id" uuid,
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
	CONSTRAINT "task_evidence_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" text,
	"deadline" date NOT NULL,
	"weight" integer,
	"evidence_needed" text,
	"issuer_org_id" uuid NOT NULL,
	"under_org_id" uuid NOT NULL,
	"org_kinds" jsonb NOT NULL,
	"fields" jsonb,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE INDEX "inspection_draws_org_idx" ON "inspection_draws" USING btree ("county_code","under_org_id","drawn_at");--> statement-breakpoint
CREATE UNIQUE INDEX "task_assignments_task_org_uq" ON "task_assignments" USING btree ("county_code","task_id","org_id");--> statement-breakpoint
CREATE INDEX "task_assignments_org_idx" ON "task_assignments" USING btree ("county_code","org_id","status","deadline");--> statement-breakpoint
CREATE INDEX "task_assignments_parent_idx" ON "task_assignments" USING btree ("county_code","parent_id");--> statement-breakpoint
CREATE INDEX "task_assignments_escalated_idx" ON "task_assignments" USING btree ("county_code","escalated_to_org_id","escalated_at");--> statement-breakpoint
CREATE INDEX "task_events_assignment_idx" ON "task_events" USING btree ("county_code","assignment_id","at");--> statement-breakpoint
CREATE INDEX "task_evidence_assignment_idx" ON "task_evidence" USING btree ("county_code","assignment_id","created_at");--> statement-breakpoint
CREATE INDEX "tasks_issuer_idx" ON "tasks" USING btree ("county_code","issuer_org_id","created_at");