/**
 * Pure helpers that keep personal data out of the schema until the access layer exists:
 * masking of free text and names, and ages computed instead of birth dates. Compiled answers
 * write the same in SQL (src/server/compiled/getters.ts): a change here is a change there, and
 * test/integration/compiled-getters.test.ts holds the two equal.
 */

/** Characters, not UTF-16 code units: rare CJK characters outside the BMP count as one. */
export function characterCount(value: string): number {
  return Array.from(value).length;
}

/** Keeps the first `visible` characters and stars the rest, e.g. 上海市浦东新****** . */
export function maskTail(value: string, visible: number): string {
  const characters = Array.from(value);
  return characters.slice(0, visible).join('') + '*'.repeat(Math.max(characters.length - visible, 0));
}

/** An address keeps at most its first 6 characters (roughly the district), and never more than half of it. */
export function maskAddress(address: string): string {
  return maskTail(address, Math.min(6, Math.floor(characterCount(address) / 2)));
}

/**
 * A name keeps its first character (the surname in most Chinese names): 张三丰 → 张**.
 * A one-character name is starred completely, since keeping it would keep the whole name.
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  return characterCount(trimmed) <= 1 ? '*'.repeat(characterCount(trimmed)) : maskTail(trimmed, 1);
}

/**
 * Completed years between two YYYY-MM-DD dates. Someone born on 29 February
 * turns a year older on 1 March in common years.
 */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // MM-DD strings compare chronologically.
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export const AGE_OF_MAJORITY = 18;
