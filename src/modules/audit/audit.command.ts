import type { Database } from '../../db/client';
import { verifyAuditChain } from './audit.service';

/**
 * `hub audit-verify`: checks the chain and writes the result as one JSON line.
 * Returns the exit code: 0 when intact, 1 when broken.
 */
export async function auditVerifyCommand(db: Database, writeLine: (line: string) => void): Promise<number> {
  const status = await verifyAuditChain(db);
  writeLine(JSON.stringify(status));
  return status.ok ? 0 : 1;
}
