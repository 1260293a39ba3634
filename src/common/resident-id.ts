/**
 * Mainland China resident identity numbers (GB 11643-1999, 18 characters):
 * 6-digit area code, 8-digit birth date (YYYYMMDD), 3-digit sequence,
 * 1 ISO 7064 MOD 11-2 check character.
 */

/** First two digits of the area code (province level). */
export const RESIDENT_ID_PROVINCE_CODES: readonly string[] = [
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71',
  '81', '82', '83',
  '91',
];

const PROVINCE_CODE_SET: ReadonlySet<string> = new Set(RESIDENT_ID_PROVINCE_CODES);

const CHECK_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
// Index = weighted sum mod 11.
const CHECK_CHAR_BY_REMAINDER = '10X98765432';

const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;
const FIRST_17_SHAPE = /^\d{17}$/;
const ISO_DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

const EARLIEST_BIRTH_YEAR = 1900;
// China Standard Time has no DST, so a fixed offset gives "today" in Shanghai
// regardless of the server's time zone.
const SHANGHAI_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

export function normaliseResidentId(value: string): string {
  return value.trim().toUpperCase();
}

export function residentIdCheckChar(first17: string): string {
  if (!FIRST_17_SHAPE.test(first17)) {
    throw new RangeError('residentIdCheckChar expects exactly 17 digits');
  }
  let weightedSum = 0;
  for (let index = 0; index < 17; index += 1) {
    weightedSum += Number(first17.charAt(index)) * (CHECK_WEIGHTS[index] ?? 0);
  }
  return CHECK_CHAR_BY_REMAINDER.charAt(weightedSum % 11);
}

export function isValidResidentId(value: string): boolean {
  const id = normaliseResidentId(value);
  if (!RESIDENT_ID_SHAPE.test(id)) return false;
  if (!PROVINCE_CODE_SET.has(id.slice(0, 2))) return false;
  if (!isAcceptableBirthDate(id.slice(6, 10), id.slice(10, 12), id.slice(12, 14))) return false;
  return residentIdCheckChar(id.slice(0, 17)) === id.charAt(17);
}

/** Birth date as YYYY-MM-DD; throws RangeError if the id is not valid. */
export function birthDateFromResidentId(id: string): string {
  const normalised = requireValidResidentId(id);
  return `${normalised.slice(6, 10)}-${normalised.slice(10, 12)}-${normalised.slice(12, 14)}`;
}

/** The 17th digit is odd for men and even for women; throws RangeError if the id is not valid. */
export function sexFromResidentId(id: string): 'MALE' | 'FEMALE' {
  const normalised = requireValidResidentId(id);
  return Number(normalised.charAt(16)) % 2 === 1 ? 'MALE' : 'FEMALE';
}

/**
 * Builds a number that passes isValidResidentId (for demo data).
 * Throws RangeError for inputs that cannot produce a valid number.
 */
export function makeResidentId(params: {
  areaCode: string;
  birthDate: string;
  sequence: number;
}): string {
  const { areaCode, birthDate, sequence } = params;
  if (!/^\d{6}$/.test(areaCode) || !PROVINCE_CODE_SET.has(areaCode.slice(0, 2))) {
    throw new RangeError(`areaCode must be 6 digits with a known province prefix: ${areaCode}`);
  }
  const dateMatch = ISO_DATE_SHAPE.exec(birthDate);
  if (dateMatch === null || !isAcceptableBirthDate(dateMatch[1] ?? '', dateMatch[2] ?? '', dateMatch[3] ?? '')) {
    throw new RangeError(`birthDate must be a real YYYY-MM-DD date from 1900 up to today: ${birthDate}`);
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError(`sequence must be an integer in 0..999: ${sequence}`);
  }
  const first17 = `${areaCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/**
 * Keeps the first 3 and last 4 characters, e.g. 310***********123X.
 * Anything not shaped like an 18-character id is masked completely, so
 * malformed data never leaks more than its length. Its SQL twin is maskResidentIdSql
 * (src/server/compiled/getters.ts), held equal by test/integration/compiled-getters.test.ts.
 */
export function maskResidentId(id: string): string {
  const normalised = normaliseResidentId(id);
  if (!RESIDENT_ID_SHAPE.test(normalised)) return '*'.repeat(normalised.length);
  return `${normalised.slice(0, 3)}${'*'.repeat(11)}${normalised.slice(-4)}`;
}

function requireValidResidentId(id: string): string {
  if (!isValidResidentId(id)) {
    throw new RangeError('Invalid resident identity number');
  }
  return normaliseResidentId(id);
}

function isAcceptableBirthDate(yearDigits: string, monthDigits: string, dayDigits: string): boolean {
  const year = Number(yearDigits);
  const month = Number(monthDigits);
  const day = Number(dayDigits);
  if (year < EARLIEST_BIRTH_YEAR) return false;
  if (month < 1 || month > 12) return false;
  if (day < 1 || day > daysInMonth(year, month)) return false;
  // Fixed-width digit strings compare chronologically.
  return `${yearDigits}${monthDigits}${dayDigits}` <= todayInShanghaiCompact();
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids DST gaps.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function todayInShanghaiCompact(): string {
  return new Date(Date.now() + SHANGHAI_UTC_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}
