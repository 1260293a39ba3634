import { decodeCursor, encodeCursor, type CursorValue } from '../../src/common/cursor';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

describe('encodeCursor / decodeCursor', () => {
  it.each<[string, CursorValue[]]>([
    ['a timestamp and an id', ['2026-03-01T08:15:30.123456Z', 42]],
    ['an enum, a timestamp and an id', ['CRITICAL', '2026-03-01T08:15:30.123Z', 7]],
    ['a single id', [1]],
    ['every primitive kind', ['文本', 0, -3.5, true, false, null]],
  ])('round-trips %s', (_label, values) => {
    const cursor = encodeCursor(values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, values.length)).toEqual(values);
  });

  it('is opaque: the cursor does not show the key values in clear text', () => {
    const cursor = encodeCursor(['2026-03-01T08:15:30.123Z', 42]);
    expect(cursor).not.toContain('2026');
    expect(cursor).not.toContain('42');
  });

  it('rejects a cursor with fewer or more keys than the ordering has', () => {
    const twoKeys = encodeCursor(['2026-03-01T08:15:30.123Z', 42]);
    expect(decodeCursor(twoKeys, 2)).toBeDefined();
    expect(decodeCursor(twoKeys, 1)).toBeUndefined();
    expect(decodeCursor(twoKeys, 3)).toBeUndefined();
    // An URGENCY cursor (3 keys) on the CREATED_AT ordering (2 keys).
    expect(decodeCursor(encodeCursor(['HIGH', '2026-03-01T08:15:30.123Z', 42]), 2)).toBeUndefined();
  });

  it.each([
    ['the empty string', ''],
    ['characters outside base64url', 'abc+/def='],
    ['whitespace', 'WzFd '],
    ['non-JSON bytes', b64('not json')],
    ['JSON that is not an array', b64('{"id":1}')],
    ['a JSON number', b64('1')],
    ['an array holding an object', b64('[{"id":1}]')],
    ['an array holding an array', b64('[[1]]')],
    ['a truncated array', b64('[1,')],
    ['a cursor longer than 2000 characters', encodeCursor(['x'.repeat(2000)])],
  ])('rejects %s', (_label, cursor) => {
    expect(decodeCursor(cursor, 1)).toBeUndefined();
  });

  it('rejects garbage without throwing', () => {
    for (const cursor of ['%%%', '....', '\u0000', '漢字', 'a'.repeat(5000)]) {
      expect(() => decodeCursor(cursor, 1)).not.toThrow();
      expect(decodeCursor(cursor, 1)).toBeUndefined();
    }
  });
});
