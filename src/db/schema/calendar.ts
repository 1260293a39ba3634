import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const calendarDayKind = pgEnum('calendar_day_kind', ['HOLIDAY', 'MAKEUP_WORKDAY']);

/**
 * Years whose official days are loaded (the State Council's yearly notice of holidays, 部分节假日
 * 安排的通知). Deadlines reaching a year not listed here are provisional.
 */
export const workingCalendarYears = pgTable(
  'working_calendar_years',
  {
    year: integer('year').primaryKey(),
    /** The notice the days come from, e.g. its title and document number. */
    notice: text('notice').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Subject of the administrator's token; null for the data shipped in the migrations. */
    updatedBy: text('updated_by'),
  },
  (t) => [check('working_calendar_years_year_ck', sql`${t.year} between 2000 and 2100`)],
);

/** The official days of a covered year: holidays (放假, weekends inside the span included) and make-up working days (调休上班). */
export const workingCalendarDays = pgTable(
  'working_calendar_days',
  {
    // One row per date: a day cannot be both a holiday and a make-up working day.
    date: date('date').primaryKey(),
    year: integer('year')
      .notNull()
      .references(() => workingCalendarYears.year, { onDelete: 'cascade' }),
    kind: calendarDayKind('kind').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
  },
  (t) => [
    check('working_calendar_days_year_ck', sql`extract(year from ${t.date}) = ${t.year}`),
    check('working_calendar_days_makeup_weekend_ck', sql`${t.kind} <> 'MAKEUP_WORKDAY' or extract(isodow from ${t.date}) in (6, 7)`),
    index('working_calendar_days_year_idx').on(t.year, t.date),
  ],
);
