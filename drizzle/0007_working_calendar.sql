CREATE TYPE "public"."calendar_day_kind" AS ENUM('HOLIDAY', 'MAKEUP_WORKDAY');--> statement-breakpoint
CREATE TABLE "working_calendar_days" (
	"date" date PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"kind" "calendar_day_kind" NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "working_calendar_days_year_ck" CHECK (extract(year from "working_calendar_days"."date") = "working_calendar_days"."year"),
	CONSTRAINT "working_calendar_days_makeup_weekend_ck" CHECK ("working_calendar_days"."kind" <> 'MAKEUP_WORKDAY' or extract(isodow from "working_calendar_days"."date") in (6, 7))
);
--> statement-breakpoint
CREATE TABLE "working_calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"notice" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "working_calendar_years_year_ck" CHECK ("working_calendar_years"."year" between 2000 and 2100)
);
--> statement-breakpoint
ALTER TABLE "working_calendar_days" ADD CONSTRAINT "working_calendar_days_year_working_calendar_years_year_fk" FOREIGN KEY ("year") REFERENCES "public"."working_calendar_years"("year") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "working_calendar_days_year_idx" ON "working_calendar_days" USING btree ("year","date");