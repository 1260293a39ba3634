import { authorizeWrite } from '../../auth/authorize';
import type { Actor } from '../../auth/actor';
import { badInput } from '../../common/errors';
import { dayNumber, weekdayOf, WorkingCalendar } from '../../common/working-days';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { recomputeOpenStepDeadlines } from '../deadlines/deadlines.service';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, checkIntRange, requiredText } from '../common/validate';
import { listWorkingCalendar, replaceWorkingCalendarYear, type CalendarDayKindValue, type WorkingCalendarDayRow, type WorkingCalendarYearRow } from './calendar.repository';
import type { SetWorkingCalendarYearInput, WorkingCalendarDayInput, WorkingDayDeadline } from './calendar.types';

/** Years the calendar may hold (the table's check constraint says the same). */
export const CALENDAR_YEARS = { min: 2000, max: 2100 } as const;
/** Longest time limit `workingDayDeadline` answers: about four years. */
export const MAX_DEADLINE_WORKING_DAYS = 1000;

/**
 * The whole working calendar (every covered year, a few dozen rows each) as the pure value that
 * computes deadlines. Pass a transaction to compute deadlines inside a mutation; in resolvers,
 * `ctx.loaders.workingCalendar.load(WHOLE_CALENDAR)` loads it once per request.
 */
export async function loadWorkingCalendar(db: Database): Promise<WorkingCalendar> {
  const years = new Set<number>();
  const holidays: string[] = [];
  const makeUpWorkdays: string[] = [];
  for (const row of await listWorkingCalendar(db)) {
    years.add(row.year);
    if (row.kind === 'HOLIDAY') holidays.push(row.date!);
    if (row.kind === 'MAKEUP_WORKDAY') makeUpWorkdays.push(row.date!);
  }
  return new WorkingCalendar({ holidays, makeUpWorkdays, years: [...years] });
}

/** Refuses a year outside the calendar's range as BAD_USER_INPUT at `field`. */
export function requireCalendarYear(year: number, field: readonly string[]): number {
  if (!Number.isInteger(year) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) {
    throw badInput(field, `${field[field.length - 1]} must be a year from ${CALENDAR_YEARS.min} to ${CALENDAR_YEARS.max}`);
  }
  return year;
}

/** The deadline `workingDays` working days after `start` (a YYYY-MM-DD date), with bad arguments refused as BAD_USER_INPUT. */
export function workingDayDeadline(calendar: WorkingCalendar, start: string, workingDays: number): WorkingDayDeadline {
  requireCalendarYear(Number(start.slice(0, 4)), ['start']);
  if (!Number.isInteger(workingDays) || workingDays < 0 || workingDays > MAX_DEADLINE_WORKING_DAYS) {
    throw badInput(['workingDays'], `workingDays must be an integer from 0 to ${MAX_DEADLINE_WORKING_DAYS}`);
  }
  const due = calendar.addWorkingDays(start, workingDays);
  return { start, workingDays, dueDate: due.date, provisional: due.provisional };
}

export type WorkingCalendarYearResult = MutationResult<WorkingCalendarYearRow & { id: number }>;

/** Replaces one year's notice and official days at once (administrators). */
export function setWorkingCalendarYear(db: Database, actor: Actor, input: SetWorkingCalendarYearInput): Promise<WorkingCalendarYearResult> {
  authorizeWrite(actor.viewer, 'administerCalendar');
  const audit = { actor, action: AuditAction.UPDATE, entityType: 'WorkingCalendarYear', fields: () => ['holidays', 'makeUpWorkdays', 'notice'] };
  return runMutation(db, audit, async (tx) => {
    const errors = new UserErrors();
    const year = checkIntRange(errors, ['input', 'year'], input.year, CALENDAR_YEARS.min, CALENDAR_YEARS.max) ? input.year : undefined;
    const notice = requiredText(errors, ['input', 'notice'], input.notice, 200);
    const seen = new Map<string, CalendarDayKindValue>();
    const days = [...officialDays(errors, 'HOLIDAY', input.holidays, year, seen), ...officialDays(errors, 'MAKEUP_WORKDAY', input.makeUpWorkdays, year, seen)];
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const row = await replaceWorkingCalendarYear(tx, { year: year!, notice: notice!, updatedBy: actor.viewer.subject }, days);
    // Deadlines already running follow the new official days.
    await recomputeOpenStepDeadlines(tx);
    return { id: row.year, ...row };
  });
}

const LIST_OF: Record<CalendarDayKindValue, 'holidays' | 'makeUpWorkdays'> = { HOLIDAY: 'holidays', MAKEUP_WORKDAY: 'makeUpWorkdays' };

/** Checks one list of the input; `seen` holds the dates of the lists checked before, so a date is taken once. */
function officialDays(errors: UserErrors, kind: CalendarDayKindValue, days: readonly WorkingCalendarDayInput[], year: number | undefined, seen: Map<string, CalendarDayKindValue>): Omit<WorkingCalendarDayRow, 'year'>[] {
  const list = LIST_OF[kind];
  return days.flatMap((day, index) => {
    const path = ['input', list, index];
    const nameZh = requiredText(errors, [...path, 'nameZh'], day.nameZh, 50);
    const nameEn = requiredText(errors, [...path, 'nameEn'], day.nameEn, 100);
    const date = [...path, 'date'];
    const earlier = seen.get(day.date);
    if (!checkDate(errors, date, day.date)) return [];
    if (year !== undefined && Number(day.date.slice(0, 4)) !== year) {
      errors.add(date, UserErrorCode.OUT_OF_RANGE, `date must lie in ${year}`);
    } else if (kind === 'MAKEUP_WORKDAY' && ![0, 6].includes(weekdayOf(dayNumber(day.date)))) {
      errors.add(date, UserErrorCode.INVALID, `${day.date} is a weekday: a make-up working day must be a Saturday or Sunday`);
    } else if (earlier !== undefined) {
      errors.add(date, UserErrorCode.CONFLICT, earlier === kind ? `${day.date} is listed twice` : `${day.date} is also listed as a holiday`);
    } else {
      seen.set(day.date, kind);
    }
    return nameZh && nameEn ? [{ date: day.date, kind, nameZh, nameEn }] : [];
  });
}
