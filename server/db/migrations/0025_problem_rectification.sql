CREATE TABLE "problem_rectifications" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"problem_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"measures" text NOT NULL,
	"deadline" date NOT NULL,
	"responsible" text,
	"set_by" uuid NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_rectifications_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "problem_verifications" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"problem_id" uuid NOT NULL,
	"result" text NOT NULL,
	"comment" text,
	"by_user" uuid NOT NULL,
	"by_org_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_verifications_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE INDEX "problem_rectifications_problem_idx" ON "problem_rectifications" USING btree ("county_code","problem_id","set_at");--> statement-breakpoint
CREATE INDEX "problem_verifications_problem_idx" ON "problem_verifications" USING btree ("county_code","problem_id","at");