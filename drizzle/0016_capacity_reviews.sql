-- Review intervals of assisted households (动态管理), by assistance status, in months: a household
-- holding several statuses is reviewed at the shortest. Following the national rule for 低保
-- (households whose income varies are checked every six months, stable ones yearly), the default
-- is six months for minimum-living-allowance and expenditure-poverty households and twelve for
-- low-income and extreme-poverty support; a reviewer may set a later date for a stable household.
INSERT INTO "review_intervals" ("assistance_status", "months") VALUES
	('MINIMUM_LIVING_ALLOWANCE', 6),
	('LOW_INCOME', 12),
	('EXTREME_POVERTY_SUPPORT', 12),
	('EXPENDITURE_POVERTY', 6);
--> statement-breakpoint
-- The Shanghai calendar day of a moment, whatever the session's time zone (no daylight saving).
CREATE FUNCTION "shanghai_date"(moment timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT ((moment AT TIME ZONE 'UTC') + interval '8 hours')::date $$;
--> statement-breakpoint
-- Every household that holds an assistance status has a review date, however it was written
-- (registration, import, seed): the first review falls one interval after it gained the status.
CREATE FUNCTION "household_review_schedule_ensure"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF cardinality(NEW.assistance_statuses) > 0 THEN
		INSERT INTO "household_review_schedules" ("household_id", "next_review_on")
		SELECT NEW.id, (shanghai_date(CASE WHEN TG_OP = 'INSERT' THEN NEW.created_at ELSE now() END) + make_interval(months => min(i.months)))::date
		FROM "review_intervals" i
		WHERE i.assistance_status = ANY (NEW.assistance_statuses)
		HAVING min(i.months) IS NOT NULL
		ON CONFLICT ("household_id") DO UPDATE SET "next_review_on" = EXCLUDED."next_review_on", "updated_at" = now()
			WHERE "household_review_schedules"."next_review_on" IS NULL;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "households_review_schedule"
	AFTER INSERT OR UPDATE OF "assistance_statuses" ON "households"
	FOR EACH ROW EXECUTE FUNCTION "household_review_schedule_ensure"();
--> statement-breakpoint
-- Households already in the hub: due one interval after they were registered.
INSERT INTO "household_review_schedules" ("household_id", "next_review_on")
SELECT h.id, (shanghai_date(h.created_at) + make_interval(months => min(i.months)))::date
FROM "households" h JOIN "review_intervals" i ON i.assistance_status = ANY (h.assistance_statuses)
GROUP BY h.id, h.created_at;
