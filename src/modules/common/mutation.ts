import type { Database } from '../../db/client';
import { UserErrorsAbort, type UserError } from './user-error.type';

export type MutationResult<Row> = { row: Row; userErrors: [] } | { row: null; userErrors: UserError[] };

/**
 * Runs a mutation's validation and writes in one transaction. A `UserErrorsAbort` thrown
 * inside rolls everything back and becomes the payload's userErrors: never half-written.
 */
export async function runMutation<Row>(db: Database, work: (tx: Database) => Promise<Row>): Promise<MutationResult<Row>> {
  try {
    return { row: await db.transaction((tx) => work(tx)), userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrorsAbort) return { row: null, userErrors: error.errors };
    throw error;
  }
}
