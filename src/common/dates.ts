import { badInput } from './errors';

const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The last day formatted and the instants it spans: a page of persons asks for today once per age. */
let day = { value: '', from: 0, until: 0 };
const DAY_MS = 86_400_000;
/** Shanghai keeps UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Today's date in Shanghai as YYYY-MM-DD: the hub's calendar, whatever the server's time zone. */
export function todayInShanghai(now: Date = new Date()): string {
  const at = now.getTime();
  if (at >= day.from && at < day.until) return day.value;
  const value = SHANGHAI_DATE.format(now);
  const from = Date.parse(`${value}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
  // Only a day that the formatter and the fixed offset agree on is remembered.
  if (at >= from && at < from + DAY_MS) day = { value, from, until: from + DAY_MS };
  return value;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar year argument of a report, from 1990 to 2200; `field` names it in the error. */
export function checkYear(year: number, field: string): number {
  if (!Number.isInteger(year) || year < 1990 || year > 2200) throw badInput([field], `${field} must be a year from 1990 to 2200`);
  return year;
}
