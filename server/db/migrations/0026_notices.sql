CREATE TABLE "notice_signatures" (
	"county_code" char(6) NOT NULL,
	"notice_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	CONSTRAINT "notice_signatures_county_code_notice_id_org_id_pk" PRIMARY KEY("county_code","notice_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"title" text NOT NULL,
	"under_org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"status" text NOT NULL,
	"content" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	CONSTRAINT "notices_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE INDEX "notice_signatures_org_idx" ON "notice_signatures" USING btree ("county_code","org_id");--> statement-breakpoint
CREATE INDEX "notices_org_idx" ON "notices" USING btree ("county_code","under_org_id","created_at");