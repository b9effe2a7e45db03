CREATE TABLE "major_problems" (
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"problem_id" uuid NOT NULL,
	"note" text,
	"chosen_by" uuid NOT NULL,
	"chosen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "major_problems_county_code_org_id_year_problem_id_pk" PRIMARY KEY("county_code","org_id","year","problem_id")
);
