CREATE TABLE "showroom_inquiries" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"product_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"name_enc" text NOT NULL,
	"contact_enc" text NOT NULL,
	"contact_masked" text NOT NULL,
	"message_enc" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "showroom_inquiries_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "showroom_pictures" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"product_id" uuid NOT NULL,
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
	"thumb_key" text,
	"thumb_sm3" text,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "showroom_pictures_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE TABLE "showroom_products" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"county_code" char(6) NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"price" text,
	"season" text,
	"quantity" text,
	"contact_kind" text NOT NULL,
	"office_phone" text NOT NULL,
	"private_phone_enc" text,
	"private_phone_consent_by" uuid,
	"private_phone_consent_at" timestamp with time zone,
	"shop_url" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"return_reason" text,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "showroom_products_county_code_id_pk" PRIMARY KEY("county_code","id")
);
--> statement-breakpoint
CREATE INDEX "showroom_inquiries_org_idx" ON "showroom_inquiries" USING btree ("county_code","org_id","created_at");--> statement-breakpoint
CREATE INDEX "showroom_inquiries_product_idx" ON "showroom_inquiries" USING btree ("county_code","product_id");--> statement-breakpoint
CREATE INDEX "showroom_pictures_product_idx" ON "showroom_pictures" USING btree ("county_code","product_id","created_at");--> statement-breakpoint
CREATE INDEX "showroom_products_status_idx" ON "showroom_products" USING btree ("county_code","status","published_at");--> statement-breakpoint
CREATE INDEX "showroom_products_org_idx" ON "showroom_products" USING btree ("county_code","org_id","updated_at");