import { isIsoDate } from './dates';

/**
 * Working-day arithmetic for time-limited handling (限时办理): pure, on calendar dates written
 * YYYY-MM-DD (Shanghai dates: turn an instant into one with `todayInShanghai(instant)` first).
 * Nothing here reads the clock or the time zone; dates become whole day numbers in UTC.
 *
 * A day is a working day when the calendar lists it as a make-up working day (调休上班), or when
 * it is Monday to Friday and the calendar does not list it as a holiday.
 *
 * Years the calendar does not cover (no State Council notice loaded yet) follow the weekend rule
 * alone, and every answer that looked at such a day says `provisional: true`. Refusing would stop
 * intake every December, since the next year's notice comes out in November at the earliest and
 * deadlines near the year's end reach into January; a provisional date that the caller stores
 * with its flag can be recomputed once administrators load the notice.
 */

/** The official days of the years a calendar covers. */
export interface WorkingCalendarDays {
  /** Official holidays (放假), including the weekend days inside a holiday span. */
  readonly holidays: readonly string[];
  /** Weekend days declared working days (调休上班). */
  readonly makeUpWorkdays: readonly string[];
  /** Years whose official days are all listed, e.g. [2025, 2026]. */
  readonly years: readonly number[];
}

/** A date computed from the calendar. */
export interface WorkingDayDate {
  readonly date: string;
  /** True when the computation crossed a day of a year the calendar does not cover. */
  readonly provisional: boolean;
}

/** A count of working days computed from the calendar. */
export interface WorkingDayCount {
  readonly days: number;
  /** True when the counted span reaches a year the calendar does not cover. */
  readonly provisional: boolean;
}

const MS_PER_DAY = 86_400_000;
/** Day number of Monday 1970-01-05: weekday counts are taken in whole weeks from a Monday. */
const MONDAY = 4;

/** Whole days since 1970-01-01 of a YYYY-MM-DD date; throws RangeError on anything else. */
export function dayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`Not a date written YYYY-MM-DD: ${JSON.stringify(date)}`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/** The YYYY-MM-DD date of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a day number: 0 Sunday … 6 Saturday. */
export function weekdayOf(day: number): number {
  return mod(day + 4, 7);
}

const isWeekend = (day: number) => {
  const weekday = weekdayOf(day);
  return weekday === 0 || weekday === 6;
};

const yearOfDay = (day: number) => new Date(day * MS_PER_DAY).getUTCFullYear();

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Monday-to-Friday days up to and including `day`, counted from a fixed Monday (negative before it). */
function weekdaysThrough(day: number): number {
  const days = day - MONDAY + 1;
  return 5 * Math.floor(days / 7) + Math.min(mod(days, 7), 5);
}

/**
 * The official days of some years, ready for arithmetic. Build it once (see `loadWorkingCalendar`
 * for the hub's database) and ask it for thousands of deadlines: every answer takes a binary
 * search over the few dozen days per year that differ from the weekend rule, whatever the span.
 */
export class WorkingCalendar {
  /** A calendar that covers no year: the weekend rule everywhere, every answer provisional. */
  static readonly NONE = new WorkingCalendar({ holidays: [], makeUpWorkdays: [], years: [] });

  private readonly holidays: ReadonlySet<number>;
  private readonly makeUpWorkdays: ReadonlySet<number>;
  private readonly years: ReadonlySet<number>;
  /** Days that differ from the weekend rule, ascending, with the running sum of their effect. */
  private readonly exceptionDays: readonly number[];
  private readonly exceptionSums: readonly number[];

  /** Throws RangeError for a malformed date, a date outside the covered years, or a date both holiday and make-up working day. */
  constructor(days: WorkingCalendarDays) {
    for (const year of days.years) {
      if (!Number.isInteger(year)) throw new RangeError(`Not a year: ${year}`);
    }
    this.years = new Set(days.years);
    const inCoveredYear = (date: string) => {
      const day = dayNumber(date);
      if (!this.years.has(yearOfDay(day))) throw new RangeError(`${date} lies outside the covered years`);
      return day;
    };
    this.holidays = new Set(days.holidays.map(inCoveredYear));
    this.makeUpWorkdays = new Set(days.makeUpWorkdays.map(inCoveredYear));
    for (const day of this.makeUpWorkdays) {
      if (this.holidays.has(day)) throw new RangeError(`${dateOfDay(day)} is both a holiday and a make-up working day`);
    }
    // Only a holiday on a weekday or a make-up day on a weekend changes the count.
    const effects = [
      ...[...this.holidays].filter((day) => !isWeekend(day)).map((day) => [day, -1] as const),
      ...[...this.makeUpWorkdays].filter(isWeekend).map((day) => [day, +1] as const),
    ].sort((a, b) => a[0] - b[0]);
    let sum = 0;
    this.exceptionDays = effects.map(([day]) => day);
    this.exceptionSums = effects.map(([, effect]) => (sum += effect));
  }

  /** Covered years, ascending. */
  get coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** Whether the calendar holds the official days of this year. */
  coversYear(year: number): boolean {
    return this.years.has(year);
  }

  /** Whether the date is a working day (by the weekend rule alone in an uncovered year). */
  isWorkingDay(date: string): boolean {
    return this.isWorking(dayNumber(date));
  }

  /**
   * The deadline `n` working days after `start`: the n-th working day strictly after `start`.
   * The start day itself never counts (受理当日不计入), whether or not it is a working day, so
   * intake on a Friday with 5 working days is due the next Friday, and intake on a Saturday or
   * on a holiday counts from the next working day. `n = 0` gives `start` when it is a working
   * day and the next working day otherwise (a time limit never ends on a day off).
   * Throws RangeError unless `n` is a whole number ≥ 0.
   */
  addWorkingDays(start: string, n: number): WorkingDayDate {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number ≥ 0, not ${n}`);
    const from = dayNumber(start);
    if (n === 0 && this.isWorking(from)) return { date: start, provisional: !this.years.has(yearOfDay(from)) };
    const target = this.rank(from) + Math.max(n, 1);
    // The smallest day whose rank reaches the target is the working day that makes it.
    let low = from + 1;
    let high = from + 2 * n + 14;
    while (this.rank(high) < target) high += high - from;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (this.rank(middle) < target) low = middle + 1;
      else high = middle;
    }
    return { date: dateOfDay(low), provisional: this.spansUncovered(n === 0 ? from : from + 1, low) };
  }

  /**
   * Working days after `from` up to and including `to`: how many `addWorkingDays(from, …)` takes
   * to reach `to` when `to` is a working day. Negative when `to` is before `from` (minus the
   * working days after `to` up to and including `from`); 0 for the same day.
   */
  workingDaysBetween(from: string, to: string): WorkingDayCount {
    const a = dayNumber(from);
    const b = dayNumber(to);
    return { days: this.rank(b) - this.rank(a), provisional: a !== b && this.spansUncovered(Math.min(a, b) + 1, Math.max(a, b)) };
  }

  private isWorking(day: number): boolean {
    return this.makeUpWorkdays.has(day) || (!this.holidays.has(day) && !isWeekend(day));
  }

  /** Working days up to and including `day`, from a fixed origin: differences are counts. */
  private rank(day: number): number {
    let low = 0;
    let high = this.exceptionDays.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.exceptionDays[middle]! <= day) low = middle + 1;
      else high = middle;
    }
    return weekdaysThrough(day) + (low === 0 ? 0 : this.exceptionSums[low - 1]!);
  }

  private spansUncovered(firstDay: number, lastDay: number): boolean {
    for (let year = yearOfDay(firstDay); year <= yearOfDay(lastDay); year += 1) {
      if (!this.years.has(year)) return true;
    }
    return false;
  }
}
