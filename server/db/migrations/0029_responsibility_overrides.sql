CREATE TABLE "responsibility_overrides" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"level" text NOT NULL,
	"person_name" text,
	"reason" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"set_by" uuid NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "responsibility_overrides_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE INDEX "responsibility_overrides_org_idx" ON "responsibility_overrides" USING btree ("county_code","org_id","level","from_date");