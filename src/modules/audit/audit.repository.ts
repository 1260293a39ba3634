import { and, asc, desc, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { paginate, type PageRequest } from '../../db/paginate';
import { auditLog } from '../../db/schema';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert & { id: number; occurredAt: Date; hash: string; prevHash: string };

/** Any fixed number, distinct from the setup lock in db/client.ts: serialises appends to the chain. */
const AUDIT_CHAIN_LOCK_KEY = 4_823_601;

/**
 * Takes the chain's lock until the transaction ends, so one writer at a time reads the head
 * and appends after it: two concurrent writers never fork the chain.
 */
export async function lockAuditChain(tx: Database): Promise<void> {
  await tx.execute(sql`/* lockAuditChain */ select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
}

/** The last entry of the chain, or undefined when it is empty. */
export async function findAuditChainHead(tx: Database): Promise<Pick<AuditRow, 'id' | 'hash' | 'occurredAt'> | undefined> {
  const [row] = await tx
    .select({ id: auditLog.id, hash: auditLog.hash, occurredAt: auditLog.occurredAt })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row;
}

export async function insertAuditRows(tx: Database, rows: readonly NewAuditRow[]): Promise<AuditRow[]> {
  return tx.insert(auditLog).values([...rows]).returning();
}

/** The entries after `afterId` in chain order, at most `limit`: one batch of a verification walk. */
export function auditBatchAfter(db: Database, afterId: number, limit: number): Promise<AuditRow[]> {
  return db.select().from(auditLog).where(gt(auditLog.id, afterId)).orderBy(asc(auditLog.id)).limit(limit);
}

export interface AuditListFilter {
  readonly actorSubject?: string;
  readonly entityType?: string;
  readonly entityId?: number;
  readonly purpose?: string;
  readonly actions?: readonly AuditRow['action'][];
  /** At or after this instant. */
  readonly from?: Date;
  /** Before this instant. */
  readonly to?: Date;
}

function auditConditions(filter: AuditListFilter): SQL | undefined {
  return and(
    filter.actorSubject !== undefined ? eq(auditLog.actorSubject, filter.actorSubject) : undefined,
    filter.entityType !== undefined ? eq(auditLog.entityType, filter.entityType) : undefined,
    filter.entityId !== undefined ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.purpose !== undefined ? eq(auditLog.purpose, filter.purpose) : undefined,
    filter.actions?.length ? inArray(auditLog.action, [...filter.actions]) : undefined,
    filter.from ? gte(auditLog.occurredAt, filter.from) : undefined,
    filter.to ? lt(auditLog.occurredAt, filter.to) : undefined,
  );
}

/** A page of entries, newest first: chain order, which is also time order (see recordAudit). */
export function listAuditEntries(db: Database, filter: AuditListFilter, request: PageRequest, maxPageSize: number) {
  return paginate<AuditRow>({
    db,
    table: auditLog,
    where: auditConditions(filter),
    keys: [{ column: auditLog.id, descending: true }],
    keyOf: (r) => [r.id],
    request,
    maxPageSize,
  });
}
