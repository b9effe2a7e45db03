CREATE TABLE "import_mappings" (
	"county_code" char(6) NOT NULL,
	"kind" text NOT NULL,
	"field" text NOT NULL,
	"source" text NOT NULL,
	"target" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_mappings_county_code_kind_field_source_pk" PRIMARY KEY("county_code","kind","field","source")
);
