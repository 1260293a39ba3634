import DataLoader from 'dataloader';
import type { Principal } from './principal';

/** One read of personal data in clear. */
export interface PersonalRead {
  readonly entityType: string;
  readonly entityId: number;
  readonly field: string;
}

/** What the audit log receives: who, for what purpose, which request, and what was read. */
export interface AuditRecord {
  readonly principal: Principal;
  readonly purpose: string | undefined;
  readonly requestId: string;
  readonly entityType: string;
  readonly entityId: number;
  readonly fields: readonly string[];
}

export type AuditWriter = (records: readonly AuditRecord[]) => Promise<void>;

const keyOf = (read: PersonalRead): string => `${read.entityType}:${read.entityId}:${read.field}`;

/** Per-request audit of clear reads: the reads of one tick are written together, before any value is returned. */
export interface AuditTrail {
  recordPersonalRead(read: PersonalRead): Promise<void>;
}

export function createAuditTrail(write: AuditWriter, principal: Principal, purpose: string | undefined, requestId: string): AuditTrail {
  // A field of an object read again later in the same request is already on record.
  const audited = new Set<string>();
  const batch = new DataLoader<PersonalRead, void, string>(
    async (reads) => {
      // One entry per object, listing the fields read in clear.
      const byEntity = new Map<string, { entityType: string; entityId: number; fields: Set<string> }>();
      for (const read of reads) {
        const key = `${read.entityType}:${read.entityId}`;
        const entry = byEntity.get(key) ?? { entityType: read.entityType, entityId: read.entityId, fields: new Set<string>() };
        entry.fields.add(read.field);
        byEntity.set(key, entry);
      }
      await write([...byEntity.values()].map((e) => ({ principal, purpose, requestId, entityType: e.entityType, entityId: e.entityId, fields: [...e.fields].sort() })));
      for (const read of reads) audited.add(keyOf(read));
      return reads.map(() => undefined);
    },
    { cache: false, cacheKeyFn: keyOf },
  );
  return { recordPersonalRead: (read) => (audited.has(keyOf(read)) ? Promise.resolve() : batch.load(read)) };
}
