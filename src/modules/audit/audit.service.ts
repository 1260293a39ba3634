import type { Principal } from '../../auth/principal';
import { mayReadAuditLog } from '../../auth/policy';
import { HubError } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import type { Database } from '../../db/client';
import type { PageRequest } from '../../db/paginate';
import { AuditChainWalker, GENESIS_HASH, hashAuditEntry, type AuditChainStatus, type ChainedAuditContent } from './audit.chain';
import {
  auditBatchAfter,
  findAuditChainHead,
  insertAuditRows,
  listAuditEntries,
  lockAuditChain,
  type AuditListFilter,
  type AuditRow,
  type NewAuditRow,
} from './audit.repository';
import { AuditAction } from './audit.types';

/**
 * One thing to write to the audit log. It names the entity and the fields, never their values:
 * no names, ID numbers, phone numbers or addresses go into the log.
 */
export interface AuditEntryInput {
  /** Who acted: the request's viewer (the public has a null subject). */
  readonly actor: Pick<Principal, 'subject' | 'organizationId' | 'roles'>;
  /** The GraphQL request, or null for work outside one (command-line jobs). */
  readonly requestId: string | null;
  /**
   * The stated purpose: a global ID (e.g. of a Case), or null when none was stated. Anything
   * else is the client's free text (the X-Hub-Purpose header) and is logged as null: a write
   * never fails because of it, and no text that could name a person enters the log.
   */
  readonly purpose: string | null;
  readonly action: AuditAction;
  /** GraphQL type name of the entity, e.g. 'Person'. */
  readonly entityType: string;
  /** Row key of the entity. */
  readonly entityId: number;
  /** Names of the fields read or written, e.g. ['idNumber', 'phone']. */
  readonly fields?: readonly string[];
}

/** The parts of a request context an audit entry is made from (a HubContext has them all). */
export interface AuditRequest {
  readonly viewer: Pick<Principal, 'subject' | 'organizationId' | 'roles'>;
  readonly requestId: string | null;
  readonly purpose: string | null | undefined;
}

/** An entry of the current request: `recordAudit(tx, [auditEntry(ctx, AuditAction.UPDATE, 'Need', id, ['units'])])`. */
export function auditEntry(request: AuditRequest, action: AuditAction, entityType: string, entityId: number, fields: readonly string[] = []): AuditEntryInput {
  return { actor: request.viewer, requestId: request.requestId, purpose: request.purpose ?? null, action, entityType, entityId, fields };
}

/** An entry's content before it is placed in the chain. */
type AuditContent = Omit<NewAuditRow, 'id' | 'occurredAt' | 'prevHash' | 'hash'> & Omit<ChainedAuditContent, 'id' | 'occurredAt' | 'prevHash'>;

const TYPE_NAME = /^[A-Z][A-Za-z]{0,63}$/;
// Field names are identifiers: a value (a phone number, an ID number, a name in Chinese) never fits.
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}(\.[A-Za-z][A-Za-z0-9_]{0,63}){0,3}$/;
const MAX_TEXT = 200;
const ACTIONS = new Set<string>(Object.values(AuditAction));

function boundedText(value: string | null, what: string): string | null {
  if (value !== null && (value.length === 0 || value.length > MAX_TEXT)) throw new Error(`Audit entry: ${what} must be 1 to ${MAX_TEXT} characters`);
  return value;
}

/** Checks an entry's shape and puts its lists in a canonical order. Malformed entries are programming errors. */
function normalise(input: AuditEntryInput): AuditContent {
  if (!ACTIONS.has(input.action)) throw new Error(`Audit entry: unknown action ${String(input.action)}`);
  if (!TYPE_NAME.test(input.entityType)) throw new Error('Audit entry: entityType must be a GraphQL type name');
  if (!Number.isInteger(input.entityId) || input.entityId < 1 || input.entityId > 2_147_483_647) throw new Error('Audit entry: entityId must be a positive 32-bit integer');
  const fields = [...new Set(input.fields ?? [])].sort();
  if (!fields.every((field) => FIELD_NAME.test(field))) throw new Error('Audit entry: fields must be field names, never values');
  const { actor } = input;
  if (actor.organizationId !== null && !Number.isInteger(actor.organizationId)) throw new Error('Audit entry: organizationId must be an integer');
  return {
    requestId: boundedText(input.requestId, 'requestId'),
    actorSubject: boundedText(actor.subject, 'actor subject'),
    actorOrganizationId: actor.organizationId,
    actorRoles: [...new Set<string>(actor.roles)].sort(),
    // An ID, never free text, so nothing personal can ride along in it.
    purpose: input.purpose !== null && fromGlobalId(input.purpose) ? input.purpose : null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    fields,
  };
}

/**
 * Appends entries to the audit log, in one transaction (a savepoint when `db` is already a
 * transaction, whose commit or rollback then decides for the entries too). Appends are
 * serialised by an advisory lock held to the end of the outermost transaction, so call this
 * late in a long transaction: other writers wait for it. The caller's transaction must be READ
 * COMMITTED (the default): a snapshot older than the lock would not see the newest entry, and
 * the append would then fail on the primary key rather than fork the chain.
 *
 * Each entry gets the next number, a time (milliseconds, never before the previous entry's), the
 * previous entry's hash, and its own hash.
 */
export async function recordAudit(db: Database, entries: readonly AuditEntryInput[]): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  const contents = entries.map(normalise);
  return db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const head = await findAuditChainHead(tx);
    // Taken under the lock and kept monotonic, so chain order is also time order.
    const now = Date.now();
    const occurredAt = new Date(head ? Math.max(now, head.occurredAt.getTime()) : now);
    let id = head?.id ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const rows = contents.map((content): NewAuditRow => {
      id += 1;
      const chained = { ...content, id, occurredAt, prevHash };
      const hash = hashAuditEntry(chained);
      prevHash = hash;
      return { ...chained, hash };
    });
    return insertAuditRows(tx, rows);
  });
}

/** How many entries a verification reads at a time. */
export const VERIFY_BATCH_SIZE = 1000;

/**
 * Checks the whole chain in id order, a batch at a time, recomputing every hash. Stops at the
 * first break. Entries appended during the walk are checked too.
 */
export async function verifyAuditChain(db: Database, batchSize = VERIFY_BATCH_SIZE): Promise<AuditChainStatus> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  const walker = new AuditChainWalker();
  for (;;) {
    const batch = await auditBatchAfter(db, walker.position, batchSize);
    if (walker.accept(batch) || batch.length < batchSize) return walker.result();
  }
}

/** Only the roles the policy table lets read the audit log (auditors, city civil affairs). */
export function requireAuditReader(viewer: Principal): void {
  if (!mayReadAuditLog(viewer)) throw new HubError('FORBIDDEN', 'Only auditors and city civil affairs may read the audit log');
}

export interface AuditSearch {
  readonly actorSubject?: string | null;
  readonly entityType?: string | null;
  /** Global ID of any node. */
  readonly entityId?: string | null;
  readonly purpose?: string | null;
  readonly actions?: readonly AuditAction[] | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
}

export function searchAuditLog(db: Database, viewer: Principal, search: AuditSearch, request: PageRequest, maxPageSize: number) {
  requireAuditReader(viewer);
  let entity: { entityType: string; entityId: number } | undefined;
  if (search.entityId != null) {
    const decoded = fromGlobalId(search.entityId);
    if (!decoded) throw new HubError('BAD_USER_INPUT', 'entityId must be the global ID of an object', ['filter', 'entityId']);
    entity = { entityType: decoded.typeName, entityId: decoded.id };
  }
  if (search.entityType != null && entity && entity.entityType !== search.entityType) {
    throw new HubError('BAD_USER_INPUT', 'entityType contradicts the type of entityId', ['filter', 'entityType']);
  }
  const filter: AuditListFilter = {
    actorSubject: search.actorSubject ?? undefined,
    entityType: entity?.entityType ?? search.entityType ?? undefined,
    entityId: entity?.entityId,
    purpose: search.purpose ?? undefined,
    actions: search.actions ?? undefined,
    from: search.from ?? undefined,
    to: search.to ?? undefined,
  };
  return listAuditEntries(db, filter, request, maxPageSize);
}

export function checkAuditChain(db: Database, viewer: Principal): Promise<AuditChainStatus> {
  requireAuditReader(viewer);
  return verifyAuditChain(db);
}
