import { badInput } from './errors';

const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Shanghai as YYYY-MM-DD: the hub's calendar, whatever the server's time zone. */
export function todayInShanghai(now: Date = new Date()): string {
  return SHANGHAI_DATE.format(now);
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
