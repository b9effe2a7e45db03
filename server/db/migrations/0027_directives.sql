CREATE TABLE "directive_recipients" (
	"county_code" char(6) NOT NULL,
	"directive_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"reported_at" timestamp with time zone,
	"reported_by" uuid,
	"report" text,
	CONSTRAINT "directive_recipients_county_code_directive_id_org_id_pk" PRIMARY KEY("county_code","directive_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "directives" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"title" text NOT NULL,
	"doc_number" text,
	"summary" text,
	"issuer_org_id" uuid NOT NULL,
	"under_org_id" uuid NOT NULL,
	"org_kinds" jsonb NOT NULL,
	"fields" jsonb,
	"sign_deadline" date NOT NULL,
	"report_deadline" date NOT NULL,
	"file_key" text NOT NULL,
	"file_sm3" text NOT NULL,
	"file_name" text NOT NULL,
	"file_mime" text NOT NULL,
	"file_kind" text NOT NULL,
	"file_size" bigint NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directives_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE INDEX "directive_recipients_org_idx" ON "directive_recipients" USING btree ("county_code","org_id");--> statement-breakpoint
CREATE INDEX "directives_issuer_idx" ON "directives" USING btree ("county_code","issuer_org_id","created_at");