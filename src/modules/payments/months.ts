import { todayInShanghai } from '../../common/dates';

/** Payment months are written YYYY-MM; as text they sort in calendar order. */
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** The month after a YYYY-MM month. */
export function nextMonth(month: string): string {
  const [year, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** The Shanghai calendar month of an instant. */
export function monthInShanghai(at: Date = new Date()): string {
  return todayInShanghai(at).slice(0, 7);
}
