import { createHash } from 'node:crypto';

/**
 * The hash chain of the audit log, as pure functions: how an entry is serialised and hashed,
 * and how a walk over stored entries finds the first broken link. No database here.
 */

/** The `prevHash` of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** Names the serialisation, so a future format can be told apart from this one. */
const FORMAT = 'hub-audit-v1';

/** Everything an entry's hash covers. */
export interface ChainedAuditContent {
  readonly id: number;
  readonly occurredAt: Date;
  readonly requestId: string | null;
  readonly actorSubject: string | null;
  readonly actorOrganizationId: number | null;
  readonly actorRoles: readonly string[];
  readonly purpose: string | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: number;
  readonly fields: readonly string[];
  readonly prevHash: string;
}

export interface ChainedAuditEntry extends ChainedAuditContent {
  readonly hash: string;
}

/**
 * The bytes an entry's hash covers: a JSON array in a fixed order. JSON quotes every string and
 * keeps list boundaries, so no two different entries share a serialisation (["a,b"] is not
 * ["a","b"], a null is not the text "null"). The time is ISO 8601 UTC with milliseconds: the
 * column holds exactly that precision on every driver.
 */
export function canonicalAuditContent(entry: ChainedAuditContent): string {
  if (!Number.isSafeInteger(entry.id)) throw new Error('An audit entry id must be a safe integer');
  if (Number.isNaN(entry.occurredAt.getTime())) throw new Error('An audit entry needs a valid time');
  return JSON.stringify([
    FORMAT,
    entry.id,
    entry.occurredAt.toISOString(),
    entry.requestId,
    entry.actorSubject,
    entry.actorOrganizationId,
    [...entry.actorRoles],
    entry.purpose,
    entry.action,
    entry.entityType,
    entry.entityId,
    [...entry.fields],
    entry.prevHash,
  ]);
}

/** SHA-256 of the canonical serialisation, lower-case hex. */
export function hashAuditEntry(entry: ChainedAuditContent): string {
  return createHash('sha256').update(canonicalAuditContent(entry), 'utf8').digest('hex');
}

/** Why a chain is not intact. */
export enum AuditChainBreak {
  /** An entry's stored hash is not the hash of its content: the entry was altered. */
  CONTENT_CHANGED = 'CONTENT_CHANGED',
  /** An entry does not name the previous entry's hash: an entry before it was rewritten, or its link was. */
  LINK_BROKEN = 'LINK_BROKEN',
  /** The ids jump: entries were removed from the sequence. */
  ENTRY_MISSING = 'ENTRY_MISSING',
}

export type AuditChainStatus =
  | {
      readonly ok: true;
      readonly entries: number;
      /** The head of the chain (null when empty): keep it elsewhere to detect a later truncation. */
      readonly lastId: number | null;
      readonly lastHash: string;
    }
  | {
      readonly ok: false;
      /** Entries found intact before the break. */
      readonly entries: number;
      readonly firstBrokenId: number;
      readonly reason: AuditChainBreak;
      /** What was found, in words; names ids and hashes only. */
      readonly message: string;
    };

type Broken = Extract<AuditChainStatus, { ok: false }>;

/**
 * Walks entries in id order, fed in batches. Checks, per entry: the id follows the previous one,
 * the hash matches the content, and the entry links to the previous entry's hash.
 */
export class AuditChainWalker {
  private entries = 0;
  private lastId = 0;
  private lastHash = GENESIS_HASH;
  private broken: Broken | undefined;

  /** Checks the next entries; returns the break once one is found (later entries are ignored). */
  accept(batch: readonly ChainedAuditEntry[]): Broken | undefined {
    for (const entry of batch) {
      if (this.broken) break;
      this.broken = this.check(entry);
      if (this.broken) break;
      this.entries += 1;
      this.lastId = entry.id;
      this.lastHash = entry.hash;
    }
    return this.broken;
  }

  /** The id after which the next batch starts. */
  get position(): number {
    return this.lastId;
  }

  result(): AuditChainStatus {
    return this.broken ?? { ok: true, entries: this.entries, lastId: this.entries === 0 ? null : this.lastId, lastHash: this.lastHash };
  }

  private check(entry: ChainedAuditEntry): Broken | undefined {
    const expectedId = this.lastId + 1;
    const fail = (firstBrokenId: number, reason: AuditChainBreak, message: string): Broken => ({ ok: false, entries: this.entries, firstBrokenId, reason, message });
    if (entry.id !== expectedId) {
      const missing = entry.id - 1 === expectedId ? `entry ${expectedId} is` : `entries ${expectedId} to ${entry.id - 1} are`;
      return entry.id > expectedId
        ? fail(expectedId, AuditChainBreak.ENTRY_MISSING, `${missing} missing: entry ${entry.id} follows ${this.lastId === 0 ? 'the start of the chain' : `entry ${this.lastId}`}`)
        : fail(entry.id, AuditChainBreak.ENTRY_MISSING, `entry ${entry.id} is out of sequence after entry ${this.lastId}`);
    }
    if (hashAuditEntry(entry) !== entry.hash) {
      return fail(entry.id, AuditChainBreak.CONTENT_CHANGED, `entry ${entry.id} does not match its hash: its content was changed`);
    }
    if (entry.prevHash !== this.lastHash) {
      const previous = this.lastId === 0 ? 'the genesis value' : `the hash of entry ${this.lastId}`;
      return fail(entry.id, AuditChainBreak.LINK_BROKEN, `entry ${entry.id} does not link to ${previous}`);
    }
    return undefined;
  }
}
