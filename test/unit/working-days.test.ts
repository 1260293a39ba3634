import { dateOfDay, dayNumber, weekdayOf, WorkingCalendar } from '../../src/common/working-days';

/**
 * Working-day arithmetic against the State Council's notices for 2025 (国办发明电〔2024〕12号) and
 * 2026 (notice of 2025-11-04). Expected dates were worked out by hand from the notices; the
 * property checks compare every answer with a day-by-day count.
 */

/** Every date from `first` to `last` inclusive. */
function span(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = dayNumber(first); day <= dayNumber(last); day += 1) days.push(dateOfDay(day));
  return days;
}

const HOLIDAYS_2025 = [
  '2025-01-01',
  ...span('2025-01-28', '2025-02-04'),
  ...span('2025-04-04', '2025-04-06'),
  ...span('2025-05-01', '2025-05-05'),
  ...span('2025-05-31', '2025-06-02'),
  ...span('2025-10-01', '2025-10-08'),
];
const MAKE_UP_2025 = ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'];
const HOLIDAYS_2026 = [
  ...span('2026-01-01', '2026-01-03'),
  ...span('2026-02-15', '2026-02-23'),
  ...span('2026-04-04', '2026-04-06'),
  ...span('2026-05-01', '2026-05-05'),
  ...span('2026-06-19', '2026-06-21'),
  ...span('2026-09-25', '2026-09-27'),
  ...span('2026-10-01', '2026-10-07'),
];
const MAKE_UP_2026 = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

const calendar = new WorkingCalendar({ holidays: [...HOLIDAYS_2025, ...HOLIDAYS_2026], makeUpWorkdays: [...MAKE_UP_2025, ...MAKE_UP_2026], years: [2025, 2026] });

const due = (start: string, n: number) => calendar.addWorkingDays(start, n);
const firm = (date: string) => ({ date, provisional: false });

/** The obvious definition, one day at a time, from the lists above: what the fast one must equal. */
const holidaySet = new Set([...HOLIDAYS_2025, ...HOLIDAYS_2026]);
const makeUpSet = new Set([...MAKE_UP_2025, ...MAKE_UP_2026]);
function naiveIsWorking(day: number): boolean {
  const date = dateOfDay(day);
  return makeUpSet.has(date) || (!holidaySet.has(date) && weekdayOf(day) !== 0 && weekdayOf(day) !== 6);
}
function naiveAdd(start: string, n: number): string {
  let day = dayNumber(start);
  if (n === 0) {
    while (!naiveIsWorking(day)) day += 1;
    return dateOfDay(day);
  }
  for (let counted = 0; counted < n; ) {
    day += 1;
    if (naiveIsWorking(day)) counted += 1;
  }
  return dateOfDay(day);
}

describe('calendar dates', () => {
  it('turns dates into day numbers and back without any time zone', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-02-15') - dayNumber('2026-02-14')).toBe(1);
    expect(dateOfDay(dayNumber('2024-02-29'))).toBe('2024-02-29');
    expect(weekdayOf(dayNumber('2026-02-13'))).toBe(5);
    expect(weekdayOf(dayNumber('2026-02-15'))).toBe(0);
    expect(weekdayOf(dayNumber('1969-12-27'))).toBe(6);
  });

  it.each(['2026-02-30', '2026-2-3', '2026-02-03T00:00:00Z', '', 'tomorrow'])('refuses %j as a date', (date) => {
    expect(() => dayNumber(date)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(date, 1)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-02-13', true, 'Friday before the Spring Festival'],
    ['2026-02-14', true, 'make-up Saturday'],
    ['2026-02-15', false, 'Spring Festival, Sunday'],
    ['2026-02-16', false, 'Spring Festival, Monday'],
    ['2026-02-23', false, 'last day of the Spring Festival, Monday'],
    ['2026-02-24', true, 'first working day after it'],
    ['2026-02-28', true, 'make-up Saturday'],
    ['2026-03-01', false, 'ordinary Sunday'],
    ['2026-01-04', true, 'make-up Sunday after New Year'],
    ['2025-01-26', true, 'make-up Sunday before the Spring Festival'],
    ['2025-10-08', false, 'last day of National Day and Mid-Autumn'],
    ['2025-10-11', true, 'make-up Saturday'],
    ['2025-06-02', false, 'Dragon Boat Festival, Monday'],
  ])('%s is %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('follows the weekend rule in years it does not cover', () => {
    expect(calendar.coversYear(2027)).toBe(false);
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true);
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false);
  });
});

describe('addWorkingDays', () => {
  describe('across the Spring Festival of 2026 (15–23 Feb, make-up Saturdays 14 and 28 Feb)', () => {
    it('counts the make-up Saturday after a Friday intake, skips the festival and lands on Friday 27 Feb', () => {
      expect(due('2026-02-13', 1)).toEqual(firm('2026-02-14'));
      expect(due('2026-02-13', 2)).toEqual(firm('2026-02-24'));
      expect(due('2026-02-13', 5)).toEqual(firm('2026-02-27'));
    });

    it('does not count the make-up Saturday when the intake is on it, and counts Saturday 28 Feb', () => {
      expect(due('2026-02-14', 1)).toEqual(firm('2026-02-24'));
      expect(due('2026-02-14', 5)).toEqual(firm('2026-02-28'));
    });

    it('counts both make-up Saturdays when the span holds both', () => {
      expect(due('2026-02-12', 5)).toEqual(firm('2026-02-26'));
      expect(due('2026-02-13', 6)).toEqual(firm('2026-02-28'));
      expect(due('2026-02-13', 10)).toEqual(firm('2026-03-05'));
    });

    it('counts an intake during the festival from the first working day after it', () => {
      expect(due('2026-02-16', 1)).toEqual(firm('2026-02-24'));
      expect(due('2026-02-20', 5)).toEqual(firm('2026-02-28'));
    });
  });

  describe('across the Spring Festival of 2025 (28 Jan–4 Feb, make-up Sunday 26 Jan and Saturday 8 Feb)', () => {
    it('counts Sunday 26 Jan, skips the festival and counts Saturday 8 Feb', () => {
      expect(due('2025-01-24', 1)).toEqual(firm('2025-01-26'));
      expect(due('2025-01-24', 2)).toEqual(firm('2025-01-27'));
      expect(due('2025-01-24', 3)).toEqual(firm('2025-02-05'));
      expect(due('2025-01-24', 5)).toEqual(firm('2025-02-07'));
      expect(due('2025-01-24', 6)).toEqual(firm('2025-02-08'));
      expect(due('2025-01-24', 7)).toEqual(firm('2025-02-10'));
    });

    it('counts from Saturday 25 Jan to the make-up Sunday the next day', () => {
      expect(due('2025-01-25', 1)).toEqual(firm('2025-01-26'));
      expect(due('2025-01-27', 1)).toEqual(firm('2025-02-05'));
    });
  });

  describe('across National Day', () => {
    it('2025: skips 1–8 Oct and counts Sunday 28 Sep and Saturday 11 Oct', () => {
      expect(due('2025-09-26', 1)).toEqual(firm('2025-09-28'));
      expect(due('2025-09-26', 3)).toEqual(firm('2025-09-30'));
      expect(due('2025-09-26', 4)).toEqual(firm('2025-10-09'));
      expect(due('2025-09-26', 6)).toEqual(firm('2025-10-11'));
      expect(due('2025-09-26', 7)).toEqual(firm('2025-10-13'));
      expect(due('2025-09-30', 5)).toEqual(firm('2025-10-14'));
    });

    it('2026: counts Sunday 20 Sep, skips Mid-Autumn 25–27 Sep and National Day 1–7 Oct, counts Saturday 10 Oct', () => {
      expect(due('2026-09-18', 1)).toEqual(firm('2026-09-20'));
      expect(due('2026-09-18', 5)).toEqual(firm('2026-09-24'));
      expect(due('2026-09-18', 6)).toEqual(firm('2026-09-28'));
      expect(due('2026-09-18', 9)).toEqual(firm('2026-10-08'));
      expect(due('2026-09-18', 11)).toEqual(firm('2026-10-10'));
      expect(due('2026-09-18', 12)).toEqual(firm('2026-10-12'));
      expect(due('2026-09-30', 3)).toEqual(firm('2026-10-10'));
    });
  });

  describe('across the year boundary into New Year 2026 (1–3 Jan, make-up Sunday 4 Jan)', () => {
    it('goes from 31 Dec 2025 to the make-up Sunday', () => {
      expect(due('2025-12-31', 1)).toEqual(firm('2026-01-04'));
      expect(due('2025-12-31', 2)).toEqual(firm('2026-01-05'));
      expect(due('2025-12-30', 2)).toEqual(firm('2026-01-04'));
    });

    it('counts a week of December into January', () => {
      expect(due('2025-12-26', 5)).toEqual(firm('2026-01-05'));
    });
  });

  it('gives the next Friday for a Friday intake with 5 working days in an ordinary week', () => {
    expect(due('2026-03-06', 5)).toEqual(firm('2026-03-13'));
    expect(due('2026-03-07', 5)).toEqual(firm('2026-03-13'));
  });

  describe('with 0 working days', () => {
    it('is the start itself on a working day, including a make-up day', () => {
      expect(due('2026-02-13', 0)).toEqual(firm('2026-02-13'));
      expect(due('2026-02-14', 0)).toEqual(firm('2026-02-14'));
    });

    it('is the next working day when the start is a day off', () => {
      expect(due('2026-02-15', 0)).toEqual(firm('2026-02-24'));
      expect(due('2026-03-01', 0)).toEqual(firm('2026-03-02'));
    });
  });

  describe('in years the calendar does not cover', () => {
    it('follows the weekend rule and says the answer is provisional', () => {
      expect(due('2026-12-25', 5)).toEqual({ date: '2027-01-01', provisional: true });
      expect(due('2024-02-09', 1)).toEqual({ date: '2024-02-12', provisional: true });
      expect(due('2024-02-09', 0)).toEqual({ date: '2024-02-09', provisional: true });
    });

    it('is firm when every day it counted lies in a covered year, whatever the start', () => {
      expect(due('2026-12-21', 3)).toEqual(firm('2026-12-24'));
      expect(due('2024-12-31', 1)).toEqual(firm('2025-01-02'));
      expect(due('2024-12-31', 0)).toEqual({ date: '2024-12-31', provisional: true });
    });

    it('is provisional everywhere on a calendar that covers nothing', () => {
      expect(WorkingCalendar.NONE.addWorkingDays('2026-02-13', 5)).toEqual({ date: '2026-02-20', provisional: true });
      expect(WorkingCalendar.NONE.coveredYears).toEqual([]);
    });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p working days', (n) => {
    expect(() => due('2026-02-13', n)).toThrow(RangeError);
  });

  it('answers spans of years as the day-by-day count does', () => {
    expect(due('2025-01-01', 500)).toEqual({ date: naiveAdd('2025-01-01', 500), provisional: true });
    expect(due('2025-01-01', 480)).toEqual({ date: naiveAdd('2025-01-01', 480), provisional: false });
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after the first date up to and including the second', () => {
    expect(calendar.workingDaysBetween('2026-02-13', '2026-02-27')).toEqual({ days: 5, provisional: false });
    expect(calendar.workingDaysBetween('2026-02-14', '2026-02-23')).toEqual({ days: 0, provisional: false });
    expect(calendar.workingDaysBetween('2025-09-26', '2025-10-13')).toEqual({ days: 7, provisional: false });
    expect(calendar.workingDaysBetween('2025-12-26', '2026-01-05')).toEqual({ days: 5, provisional: false });
    expect(calendar.workingDaysBetween('2026-02-13', '2026-02-13')).toEqual({ days: 0, provisional: false });
  });

  it('is negative when the second date comes first', () => {
    expect(calendar.workingDaysBetween('2026-02-27', '2026-02-13')).toEqual({ days: -5, provisional: false });
  });

  it('counts a whole covered year: 2025 and 2026 each have 248 working days', () => {
    expect(calendar.workingDaysBetween('2024-12-31', '2025-12-31')).toEqual({ days: 248, provisional: false });
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toEqual({ days: 248, provisional: false });
  });

  it('is provisional when the span reaches an uncovered year', () => {
    expect(calendar.workingDaysBetween('2026-12-31', '2027-01-04')).toEqual({ days: 2, provisional: true });
    expect(calendar.workingDaysBetween('2027-01-04', '2026-12-31')).toEqual({ days: -2, provisional: true });
  });
});

describe('properties over every start from December 2024 to January 2027', () => {
  const starts = span('2024-12-01', '2027-01-31');
  const WORKING_DAYS = Array.from({ length: 31 }, (_, n) => n);

  /** The cases where `holds` fails, so one assertion reports all of them. */
  function failures<T>(cases: readonly T[], holds: (c: T) => boolean): T[] {
    return cases.filter((c) => !holds(c));
  }
  const pairs = starts.flatMap((start) => WORKING_DAYS.map((n) => [start, n] as const));

  it('addWorkingDays equals the day-by-day count for 0 to 30 working days', () => {
    expect(pairs.length).toBe(792 * 31);
    expect(failures(pairs, ([start, n]) => due(start, n).date === naiveAdd(start, n))).toEqual([]);
  });

  it('always ends on a working day, after the start for n ≥ 1', () => {
    expect(failures(pairs, ([start, n]) => calendar.isWorkingDay(due(start, n).date) && (n === 0 || due(start, n).date > start))).toEqual([]);
  });

  it('workingDaysBetween undoes addWorkingDays for n ≥ 1', () => {
    expect(failures(pairs, ([start, n]) => n === 0 || calendar.workingDaysBetween(start, due(start, n).date).days === n)).toEqual([]);
  });

  it('addWorkingDays undoes workingDaysBetween for any later working day, and the count is antisymmetric', () => {
    const spans = starts.flatMap((start) => Array.from({ length: 45 }, (_, i) => [start, dateOfDay(dayNumber(start) + i + 1)] as const));
    expect(failures(spans, ([start, end]) => calendar.workingDaysBetween(start, end).days + calendar.workingDaysBetween(end, start).days === 0)).toEqual([]);
    const toWorkingDays = spans.filter(([, end]) => calendar.isWorkingDay(end));
    expect(toWorkingDays.length).toBeGreaterThan(20_000);
    expect(failures(toWorkingDays, ([start, end]) => due(start, calendar.workingDaysBetween(start, end).days).date === end)).toEqual([]);
  });

  it('isWorkingDay matches the official lists and the weekend rule', () => {
    expect(failures(starts, (date) => calendar.isWorkingDay(date) === naiveIsWorking(dayNumber(date)))).toEqual([]);
  });
});

describe('building a calendar', () => {
  it('refuses a date outside the covered years, a malformed date, and a day both holiday and make-up', () => {
    expect(() => new WorkingCalendar({ holidays: ['2027-01-01'], makeUpWorkdays: [], years: [2026] })).toThrow(/outside the covered years/);
    expect(() => new WorkingCalendar({ holidays: ['2026-13-01'], makeUpWorkdays: [], years: [2026] })).toThrow(RangeError);
    expect(() => new WorkingCalendar({ holidays: ['2026-02-14'], makeUpWorkdays: ['2026-02-14'], years: [2026] })).toThrow(/both/);
    expect(() => new WorkingCalendar({ holidays: [], makeUpWorkdays: [], years: [2026.5] })).toThrow(RangeError);
  });

  it('lists its covered years in order', () => {
    expect(new WorkingCalendar({ holidays: [], makeUpWorkdays: [], years: [2026, 2025] }).coveredYears).toEqual([2025, 2026]);
  });

  it('ignores a make-up day that falls on a weekday: it was a working day anyway', () => {
    const odd = new WorkingCalendar({ holidays: [], makeUpWorkdays: ['2026-03-04'], years: [2026] });
    expect(odd.addWorkingDays('2026-03-02', 5)).toEqual(firm('2026-03-09'));
    expect(odd.workingDaysBetween('2026-03-01', '2026-03-08').days).toBe(5);
  });
});
