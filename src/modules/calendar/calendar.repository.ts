import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rowGroupsByKeys } from '../../db/batch';
import { workingCalendarDays, workingCalendarYears } from '../../db/schema';

export type WorkingCalendarYearRow = typeof workingCalendarYears.$inferSelect;
export type WorkingCalendarDayRow = typeof workingCalendarDays.$inferSelect;
export type CalendarDayKindValue = WorkingCalendarDayRow['kind'];

export async function findWorkingCalendarYear(db: Database, year: number): Promise<WorkingCalendarYearRow | undefined> {
  const [row] = await db.select().from(workingCalendarYears).where(eq(workingCalendarYears.year, year));
  return row;
}

/** The official days of each year, by date: one statement. */
export const findWorkingCalendarDaysByYears = (db: Database, years: readonly number[]) =>
  rowGroupsByKeys<WorkingCalendarDayRow>(db, workingCalendarDays, workingCalendarDays.year, workingCalendarDays.date, years, (r) => r.year);

/** Every covered year with its official days (a year without days appears once with nulls): one statement. */
export function listWorkingCalendar(db: Database): Promise<{ year: number; date: string | null; kind: CalendarDayKindValue | null }[]> {
  return db
    .select({ year: workingCalendarYears.year, date: workingCalendarDays.date, kind: workingCalendarDays.kind })
    .from(workingCalendarYears)
    .leftJoin(workingCalendarDays, eq(workingCalendarDays.year, workingCalendarYears.year));
}

/**
 * Replaces a year's notice and days. The upsert of the year comes first: it locks the year's row,
 * so two administrators replacing the same year run one after the other.
 */
export async function replaceWorkingCalendarYear(
  db: Database,
  year: { year: number; notice: string; updatedBy: string | null },
  days: readonly Omit<WorkingCalendarDayRow, 'year'>[],
): Promise<WorkingCalendarYearRow> {
  const [row] = await db
    .insert(workingCalendarYears)
    .values(year)
    .onConflictDoUpdate({ target: workingCalendarYears.year, set: { notice: year.notice, updatedBy: year.updatedBy, updatedAt: sql`now()` } })
    .returning();
  await db.delete(workingCalendarDays).where(eq(workingCalendarDays.year, year.year));
  if (days.length > 0) await db.insert(workingCalendarDays).values(days.map((day) => ({ ...day, year: year.year })));
  return row!;
}
