/**
 * Mainland China phone numbers: mobiles (optionally with +86 / 86 prefix)
 * and fixed lines written as area code + local number.
 */

const MOBILE_PATTERN = /^(?:\+?86[- ]?)?(1[3-9]\d{9})$/;
// 3-digit area codes are 010 and 02X (Shanghai is 021); all others are 4 digits
// starting 03–09. Deciding the length from the prefix keeps unseparated
// numbers such as 02112345678 unambiguous.
const FIXED_LINE_PATTERN = /^(0[12]\d|0[3-9]\d{2})[- ]?(\d{7,8})$/;

type ParsedPhone =
  | { kind: 'mobile'; digits: string }
  | { kind: 'fixed'; areaCode: string; localNumber: string };

export function isValidMainlandPhone(value: string): boolean {
  return parsePhone(value) !== null;
}

/** Mobile → 11 digits; fixed line → 0AA(A)-NNNNNNN(N). Throws RangeError if invalid. */
export function normalisePhone(value: string): string {
  const parsed = parsePhone(value);
  if (parsed === null) {
    throw new RangeError('Invalid mainland phone number');
  }
  return parsed.kind === 'mobile' ? parsed.digits : `${parsed.areaCode}-${parsed.localNumber}`;
}

/**
 * Mobile → 138****5678; fixed line keeps area code and last 2 digits → 021-******78.
 * Invalid input is masked completely so malformed data never leaks digits. Its SQL twin is
 * maskPhoneSql (src/server/compiled/getters.ts), held equal by test/integration/compiled-getters.test.ts.
 */
export function maskPhone(value: string): string {
  const parsed = parsePhone(value);
  if (parsed === null) return '*'.repeat(value.trim().length);
  if (parsed.kind === 'mobile') {
    return `${parsed.digits.slice(0, 3)}****${parsed.digits.slice(-4)}`;
  }
  const { areaCode, localNumber } = parsed;
  return `${areaCode}-${'*'.repeat(localNumber.length - 2)}${localNumber.slice(-2)}`;
}

function parsePhone(value: string): ParsedPhone | null {
  const trimmed = value.trim();
  const mobile = MOBILE_PATTERN.exec(trimmed);
  if (mobile?.[1] !== undefined) return { kind: 'mobile', digits: mobile[1] };
  const fixed = FIXED_LINE_PATTERN.exec(trimmed);
  if (fixed?.[1] !== undefined && fixed[2] !== undefined) {
    return { kind: 'fixed', areaCode: fixed[1], localNumber: fixed[2] };
  }
  return null;
}
