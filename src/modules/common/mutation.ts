import type { Actor } from '../../auth/actor';
import type { Database } from '../../db/client';
import { recordAudit } from '../audit/audit.service';
import type { AuditAction } from '../audit/audit.types';
import { UserErrorsAbort, type UserError } from './user-error.type';

export type MutationResult<Row> = { row: Row; userErrors: [] } | { row: null; userErrors: UserError[] };

/** What a successful mutation writes to the audit log: the entity comes from the written row. */
export interface MutationAudit<Row> {
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly entityType: string;
  /** Names of the fields written (never their values). */
  readonly fields: (row: Row) => readonly string[];
}

/**
 * Runs a mutation's validation, writes and audit entry in one transaction. A `UserErrorsAbort`
 * thrown inside rolls everything back and becomes the payload's userErrors: never half-written,
 * and never written without its audit entry.
 */
export async function runMutation<Row extends { id: number }>(db: Database, audit: MutationAudit<Row>, work: (tx: Database) => Promise<Row>): Promise<MutationResult<Row>> {
  try {
    const row = await db.transaction(async (tx) => {
      const written = await work(tx);
      const entry = {
        actor: audit.actor.viewer,
        requestId: audit.actor.requestId,
        purpose: audit.actor.purpose ?? null,
        action: audit.action,
        entityType: audit.entityType,
        entityId: written.id,
        fields: audit.fields(written),
      };
      if (audit.actor.deferredAudit) audit.actor.deferredAudit.push(entry);
      else await recordAudit(tx, [entry]);
      return written;
    });
    return { row, userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrorsAbort) return { row: null, userErrors: error.errors };
    throw error;
  }
}

/** The names of the input fields a client actually gave, for the audit entry. */
export function givenFields(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key]) => key)
    .sort();
}
