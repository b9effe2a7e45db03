CREATE TABLE "target_items" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"sheet_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"weight" integer NOT NULL,
	"report" text,
	"reported_at" timestamp with time zone,
	"reported_by" uuid,
	"score" numeric(5, 1),
	"comment" text,
	"scored_by" uuid,
	"scored_at" timestamp with time zone,
	CONSTRAINT "target_items_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "target_sheets" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"issuer_org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "target_sheets_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
ALTER TABLE "directives" ADD COLUMN "client_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "client_id" uuid;--> statement-breakpoint
CREATE INDEX "target_items_sheet_idx" ON "target_items" USING btree ("county_code","sheet_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "target_sheets_org_year_uq" ON "target_sheets" USING btree ("county_code","org_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "directives_client_uq" ON "directives" USING btree ("county_code","created_by","client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_client_uq" ON "tasks" USING btree ("county_code","created_by","client_id");