import type { AuditRecord } from '../../auth/audit-trail';
import type { Database } from '../../db/client';
import { recordAudit } from './audit.service';
import { AuditAction } from './audit.types';

/** The request's audit trail (src/auth/audit-trail.ts) writes its clear reads of personal data here. */
export async function writeAuditRecords(db: Database, records: readonly AuditRecord[]): Promise<void> {
  await recordAudit(
    db,
    records.map((record) => ({
      actor: record.principal,
      requestId: record.requestId,
      purpose: record.purpose ?? null,
      action: AuditAction.READ_PERSONAL,
      entityType: record.entityType,
      entityId: record.entityId,
      fields: record.fields,
    })),
  );
}
