/**
 * Opaque global IDs: base64url of "Type:key". Clients must treat them as opaque strings;
 * the encoding only lets `node(id:)` find the type.
 */
export function toGlobalId(typeName: string, id: number): string {
  return Buffer.from(`${typeName}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  readonly typeName: string;
  readonly id: number;
}

/** Returns undefined for anything that is not a well-formed global ID. */
export function fromGlobalId(globalId: string): DecodedGlobalId | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) return undefined;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Z][A-Za-z]*):([1-9][0-9]{0,9})$/.exec(decoded);
  if (!match) return undefined;
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) return undefined;
  // base64url ignores stray low bits in the last character: only the canonical spelling is an ID,
  // so one object never answers to several IDs.
  if (toGlobalId(match[1]!, id) !== globalId) return undefined;
  return { typeName: match[1]!, id };
}
