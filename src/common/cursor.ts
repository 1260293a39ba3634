/**
 * Connection cursors: the sort-key values of an item, JSON in base64url. Opaque to clients;
 * a cursor from one ordering is rejected by another because the key count or kinds differ.
 */
export type CursorValue = string | number | boolean | null;

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Returns undefined for a cursor that is malformed or has the wrong number of keys. */
export function decodeCursor(cursor: string, expectedKeys: number): CursorValue[] | undefined {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== expectedKeys) return undefined;
  const valid = parsed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  return valid ? (parsed as CursorValue[]) : undefined;
}
