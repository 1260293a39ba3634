import { and, eq } from 'drizzle-orm';
import { PUBLIC_PRINCIPAL, type Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { auditLog, workingCalendarDays, workingCalendarYears } from '../../src/db/schema';
import { loadWorkingCalendar } from '../../src/modules/calendar/calendar.service';
import { CITY_VIEWER, startTestHub, type TestHub } from '../support/hub';

/**
 * The working calendar: the official days of 2025 and 2026 shipped in the migrations, the
 * public deadline query, and how the city bureau loads or replaces a year. A refused change
 * writes nothing; an accepted one is audited and moves the deadlines.
 */

interface Day {
  date: string;
  kind: 'HOLIDAY' | 'MAKEUP_WORKDAY';
  nameZh: string;
  nameEn: string;
}
interface Year {
  year: number;
  covered: boolean;
  notice: string | null;
  updatedAt: string | null;
  days: Day[];
}
interface UserError {
  field: string[];
  code: string;
  message: string;
}
interface Payload {
  workingCalendarYear: Year | null;
  userErrors: UserError[];
}
interface DayInput {
  date: string;
  nameZh: string;
  nameEn: string;
}

const YEAR = `query Year($year: Int!) { workingCalendar(year: $year) { year covered notice updatedAt days { date kind nameZh nameEn } } }`;
const DEADLINE = `query Deadline($start: LocalDate!, $n: Int!) { workingDayDeadline(start: $start, workingDays: $n) { start workingDays dueDate provisional } }`;
const SET = `mutation Set($input: SetWorkingCalendarYearInput!) {
  setWorkingCalendarYear(input: $input) { workingCalendarYear { year covered notice updatedAt days { date kind nameZh nameEn } } userErrors { field code message } }
}`;

const DISTRICT_BUREAU: Principal = { ...CITY_VIEWER, subject: 'test-district-bureau', roles: [Role.DISTRICT_CIVIL_AFFAIRS], districtIds: [1] };
const AUDITOR: Principal = { ...CITY_VIEWER, subject: 'test-auditor', roles: [Role.AUDITOR] };

/** Every date from `first` to `last` inclusive (same month). */
function dates(first: string, last: string): string[] {
  const prefix = first.slice(0, 8);
  const result: string[] = [];
  for (let day = Number(first.slice(8)); day <= Number(last.slice(8)); day += 1) result.push(`${prefix}${String(day).padStart(2, '0')}`);
  return result;
}
const days = (list: readonly string[], nameZh: string, nameEn: string): DayInput[] => list.map((date) => ({ date, nameZh, nameEn }));

/** A made-up year for tests (not the real 2027 notice, which the hub does not ship). */
const TEST_2027 = {
  year: 2027,
  notice: '测试通知（test data, not an official notice）',
  holidays: days(dates('2027-01-01', '2027-01-03'), '元旦', "New Year's Day"),
  makeUpWorkdays: [] as DayInput[],
};

describe('working calendar', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub();
  });

  afterAll(() => hub.close());

  async function year(value: number, viewer?: Principal): Promise<Year> {
    const result = await hub.run<{ workingCalendar: Year }>(YEAR, { year: value }, viewer ? { viewer } : undefined);
    expect(result.errors).toBeUndefined();
    return result.data!.workingCalendar;
  }

  async function deadline(start: string, n: number, viewer?: Principal): Promise<{ dueDate: string; provisional: boolean }> {
    const result = await hub.run<{ workingDayDeadline: { start: string; workingDays: number; dueDate: string; provisional: boolean } }>(DEADLINE, { start, n }, viewer ? { viewer } : undefined);
    expect(result.errors).toBeUndefined();
    const { start: echoedStart, workingDays, dueDate, provisional } = result.data!.workingDayDeadline;
    expect({ echoedStart, workingDays }).toEqual({ echoedStart: start, workingDays: n });
    return { dueDate, provisional };
  }

  async function set(input: Record<string, unknown>, viewer?: Principal) {
    return hub.run<{ setWorkingCalendarYear: Payload }>(SET, { input }, viewer ? { viewer } : undefined);
  }

  async function setAsCity(input: Record<string, unknown>): Promise<Payload> {
    const result = await set(input);
    expect(result.errors).toBeUndefined();
    return result.data!.setWorkingCalendarYear;
  }

  async function storedDays(value: number) {
    return hub.db.select().from(workingCalendarDays).where(eq(workingCalendarDays.year, value)).orderBy(workingCalendarDays.date);
  }

  describe('the official days shipped for 2025 and 2026', () => {
    it('holds the 2026 notice: 33 holidays in seven spans and 6 make-up working days', async () => {
      const y = await year(2026);
      expect(y).toMatchObject({ year: 2026, covered: true });
      expect(y.notice).toContain('2026年部分节假日安排的通知');
      const of = (kind: Day['kind']) => y.days.filter((d) => d.kind === kind).map((d) => d.date);
      expect(of('HOLIDAY')).toEqual([
        ...dates('2026-01-01', '2026-01-03'),
        ...dates('2026-02-15', '2026-02-23'),
        ...dates('2026-04-04', '2026-04-06'),
        ...dates('2026-05-01', '2026-05-05'),
        ...dates('2026-06-19', '2026-06-21'),
        ...dates('2026-09-25', '2026-09-27'),
        ...dates('2026-10-01', '2026-10-07'),
      ]);
      expect(of('MAKEUP_WORKDAY')).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
      expect(y.days.find((d) => d.date === '2026-02-14')).toEqual({ date: '2026-02-14', kind: 'MAKEUP_WORKDAY', nameZh: '春节', nameEn: 'Spring Festival' });
      expect(y.days.find((d) => d.date === '2026-09-20')).toMatchObject({ nameZh: '国庆节', nameEn: 'National Day' });
      expect(y.days.find((d) => d.date === '2026-09-25')).toMatchObject({ nameZh: '中秋节', nameEn: 'Mid-Autumn Festival' });
    });

    it('holds the 2025 notice: 28 holidays and 5 make-up working days', async () => {
      const y = await year(2025);
      expect(y.notice).toContain('国办发明电〔2024〕12号');
      const of = (kind: Day['kind']) => y.days.filter((d) => d.kind === kind).map((d) => d.date);
      expect(of('HOLIDAY')).toEqual([
        '2025-01-01',
        ...dates('2025-01-28', '2025-01-31'),
        ...dates('2025-02-01', '2025-02-04'),
        ...dates('2025-04-04', '2025-04-06'),
        ...dates('2025-05-01', '2025-05-05'),
        '2025-05-31',
        ...dates('2025-06-01', '2025-06-02'),
        ...dates('2025-10-01', '2025-10-08'),
      ]);
      expect(of('MAKEUP_WORKDAY')).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
      expect(y.days.find((d) => d.date === '2025-10-06')).toMatchObject({ nameZh: '国庆节、中秋节' });
    });

    it('answers an uncovered year as not covered, with no days', async () => {
      expect(await year(2024)).toEqual({ year: 2024, covered: false, notice: null, updatedAt: null, days: [] });
    });

    it('is public: the public reads the calendar and deadlines', async () => {
      expect((await year(2026, PUBLIC_PRINCIPAL)).days).toHaveLength(39);
      expect(await deadline('2026-02-13', 5, PUBLIC_PRINCIPAL)).toEqual({ dueDate: '2026-02-27', provisional: false });
    });

    it('loads as the pure calendar other modules compute with', async () => {
      const calendar = await loadWorkingCalendar(hub.db);
      expect(calendar.coveredYears).toEqual(expect.arrayContaining([2025, 2026]));
      expect(calendar.workingDaysBetween('2024-12-31', '2025-12-31')).toEqual({ days: 248, provisional: false });
      expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toEqual({ days: 248, provisional: false });
    });
  });

  describe('workingDayDeadline', () => {
    it('skips the Spring Festival and counts the make-up Saturdays', async () => {
      expect(await deadline('2026-02-13', 5)).toEqual({ dueDate: '2026-02-27', provisional: false });
      expect(await deadline('2026-02-14', 5)).toEqual({ dueDate: '2026-02-28', provisional: false });
      expect(await deadline('2025-01-24', 6)).toEqual({ dueDate: '2025-02-08', provisional: false });
    });

    it('skips National Day and counts its make-up days', async () => {
      expect(await deadline('2025-09-26', 7)).toEqual({ dueDate: '2025-10-13', provisional: false });
      expect(await deadline('2026-09-30', 3)).toEqual({ dueDate: '2026-10-10', provisional: false });
    });

    it('is provisional when it reaches a year without a loaded notice', async () => {
      expect(await deadline('2028-12-25', 5)).toEqual({ dueDate: '2029-01-01', provisional: true });
    });

    it('loads the calendar once for many deadlines in one request', async () => {
      const result = await hub.run<Record<string, { dueDate: string }>>(
        `{ a: workingDayDeadline(start: "2026-02-13", workingDays: 5) { dueDate }
           b: workingDayDeadline(start: "2025-09-26", workingDays: 7) { dueDate }
           c: workingDayDeadline(start: "2025-12-31", workingDays: 1) { dueDate } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ a: { dueDate: '2026-02-27' }, b: { dueDate: '2025-10-13' }, c: { dueDate: '2026-01-04' } });
      expect(result.statements).toBe(1);
    });

    it.each([
      [{ start: '2026-02-13', n: -1 }, 'workingDays'],
      [{ start: '2026-02-13', n: 1001 }, 'workingDays'],
      [{ start: '1999-12-31', n: 1 }, 'start'],
    ])('refuses %j as BAD_USER_INPUT naming %s', async (variables, field) => {
      const result = await hub.run(DEADLINE, variables);
      expect(result.data).toBeNull();
      expect(result.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: [field] })]);
    });

    it('refuses a date that does not exist', async () => {
      const result = await hub.run(DEADLINE, { start: '2026-02-30', n: 1 });
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('refuses a year out of range in workingCalendar', async () => {
      const result = await hub.run(YEAR, { year: 1999 });
      expect(result.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['year'] })]);
    });
  });

  describe('setWorkingCalendarYear', () => {
    it.each([
      ['the public', PUBLIC_PRINCIPAL, 'UNAUTHENTICATED'],
      ['a district bureau', DISTRICT_BUREAU, 'FORBIDDEN'],
      ['an auditor', AUDITOR, 'FORBIDDEN'],
    ])('refuses %s and writes nothing', async (_label, viewer, code) => {
      const result = await set(TEST_2027, viewer);
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      expect(await year(2027)).toMatchObject({ covered: false, days: [] });
      expect(await hub.db.select().from(workingCalendarYears).where(eq(workingCalendarYears.year, 2027))).toEqual([]);
    });

    it('loads a new year for the city bureau, audits it, and makes deadlines into it firm', async () => {
      expect(await deadline('2026-12-25', 5)).toEqual({ dueDate: '2027-01-01', provisional: true });

      const { workingCalendarYear, userErrors } = await setAsCity({ ...TEST_2027, notice: `  ${TEST_2027.notice}  ` });
      expect(userErrors).toEqual([]);
      expect(workingCalendarYear).toMatchObject({ year: 2027, covered: true, notice: TEST_2027.notice });
      expect(workingCalendarYear!.days.map((d) => [d.date, d.kind])).toEqual([
        ['2027-01-01', 'HOLIDAY'],
        ['2027-01-02', 'HOLIDAY'],
        ['2027-01-03', 'HOLIDAY'],
      ]);
      expect(Math.abs(Date.parse(workingCalendarYear!.updatedAt!) - Date.now())).toBeLessThan(60_000);

      expect(await deadline('2026-12-25', 5)).toEqual({ dueDate: '2027-01-04', provisional: false });

      const [stored] = await hub.db.select().from(workingCalendarYears).where(eq(workingCalendarYears.year, 2027));
      expect(stored!.updatedBy).toBe(CITY_VIEWER.subject);
      const audited = await hub.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'WorkingCalendarYear'), eq(auditLog.entityId, 2027)));
      expect(audited.map((e) => ({ action: e.action, actor: e.actorSubject, fields: e.fields }))).toEqual([
        { action: 'UPDATE', actor: CITY_VIEWER.subject, fields: ['holidays', 'makeUpWorkdays', 'notice'] },
      ]);
    });

    it('replaces a year at once: the old days go, the new ones move the deadlines', async () => {
      const before = await year(2026);
      expect(await deadline('2026-02-13', 5)).toEqual({ dueDate: '2026-02-27', provisional: false });
      const asInput = (kind: Day['kind']) => before.days.filter((d) => d.kind === kind).map(({ date, nameZh, nameEn }) => ({ date, nameZh, nameEn }));

      // Without the make-up Saturday 14 February, a Friday intake first counts on the 24th.
      const withoutFeb14 = { year: 2026, notice: before.notice, holidays: asInput('HOLIDAY'), makeUpWorkdays: asInput('MAKEUP_WORKDAY').filter((d) => d.date !== '2026-02-14') };
      const changed = await setAsCity(withoutFeb14);
      expect(changed.userErrors).toEqual([]);
      expect(changed.workingCalendarYear!.days).toHaveLength(38);
      expect(await storedDays(2026)).toHaveLength(38);
      expect(await deadline('2026-02-13', 5)).toEqual({ dueDate: '2026-02-28', provisional: false });

      const restored = await setAsCity({ ...withoutFeb14, makeUpWorkdays: asInput('MAKEUP_WORKDAY') });
      expect(restored.userErrors).toEqual([]);
      expect((await year(2026)).days).toEqual(before.days);
      expect(await deadline('2026-02-13', 5)).toEqual({ dueDate: '2026-02-27', provisional: false });
    });

    it('reports every problem with the field at fault, and leaves the year as it was', async () => {
      const before = await storedDays(2026);
      const { workingCalendarYear, userErrors } = await setAsCity({
        year: 2026,
        notice: ' ',
        holidays: [
          { date: '2026-02-16', nameZh: '春节', nameEn: 'Spring Festival' },
          { date: '2025-02-16', nameZh: '春节', nameEn: 'Spring Festival' },
          { date: '2026-02-16', nameZh: '春节', nameEn: 'Spring Festival' },
          { date: '2026-02-17', nameZh: '', nameEn: 'Spring Festival' },
        ],
        makeUpWorkdays: [
          { date: '2026-02-16', nameZh: '春节', nameEn: 'Spring Festival' },
          { date: '2026-02-13', nameZh: '春节', nameEn: 'Spring Festival' },
          { date: '2026-02-14', nameZh: '春节', nameEn: 'Spring Festival' },
        ],
      });
      expect(workingCalendarYear).toBeNull();
      expect(userErrors.map(({ field, code }) => ({ field, code }))).toEqual([
        { field: ['input', 'notice'], code: 'REQUIRED' },
        { field: ['input', 'holidays', '1', 'date'], code: 'OUT_OF_RANGE' },
        { field: ['input', 'holidays', '2', 'date'], code: 'CONFLICT' },
        { field: ['input', 'holidays', '3', 'nameZh'], code: 'REQUIRED' },
        { field: ['input', 'makeUpWorkdays', '0', 'date'], code: 'INVALID' },
        { field: ['input', 'makeUpWorkdays', '1', 'date'], code: 'INVALID' },
      ]);
      expect(await storedDays(2026)).toEqual(before);
    });

    it('refuses a weekend make-up day that is also a holiday as CONFLICT', async () => {
      const { userErrors } = await setAsCity({
        year: 2027,
        notice: TEST_2027.notice,
        holidays: days(['2027-01-02'], '元旦', "New Year's Day"),
        makeUpWorkdays: days(['2027-01-02'], '元旦', "New Year's Day"),
      });
      expect(userErrors).toEqual([{ field: ['input', 'makeUpWorkdays', '0', 'date'], code: 'CONFLICT', message: expect.stringContaining('also listed as a holiday') }]);
    });

    it.each([1999, 2101])('refuses the year %i as OUT_OF_RANGE', async (value) => {
      const { workingCalendarYear, userErrors } = await setAsCity({ ...TEST_2027, year: value, holidays: [] });
      expect(workingCalendarYear).toBeNull();
      expect(userErrors).toEqual([{ field: ['input', 'year'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
      expect(await hub.db.select().from(workingCalendarYears).where(eq(workingCalendarYears.year, value))).toEqual([]);
    });
  });
});
