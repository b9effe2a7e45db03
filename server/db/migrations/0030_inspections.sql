CREATE TABLE "inspection_findings" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"inspection_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"org_id" uuid NOT NULL,
	"text" text NOT NULL,
	"problem_id" uuid NOT NULL,
	CONSTRAINT "inspection_findings_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"kind" text NOT NULL,
	"org_id" uuid NOT NULL,
	"inspector_org_id" uuid NOT NULL,
	"inspectors" text NOT NULL,
	"checked_on" date NOT NULL,
	"summary" text,
	"draw_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspections_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE INDEX "inspection_findings_inspection_idx" ON "inspection_findings" USING btree ("county_code","inspection_id");--> statement-breakpoint
CREATE INDEX "inspections_org_idx" ON "inspections" USING btree ("county_code","org_id","checked_on");