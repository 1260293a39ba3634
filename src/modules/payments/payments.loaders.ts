import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { batchTotalsLoader, eventsOfAllowances, findAllowancesByIds, findBatchesByIds, findLinesByIds, linesOfBatchLoader } from './payments.repository';

export function createPaymentLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return {
    allowance: new DataLoader((ids: readonly number[]) => findAllowancesByIds(db, visible.Allowance, ids)),
    allowanceHistory: new DataLoader((ids: readonly number[]) => eventsOfAllowances(db, ids)),
    disbursementBatch: new DataLoader((ids: readonly number[]) => findBatchesByIds(db, visible.Disbursement, ids)),
    disbursementLine: new DataLoader((ids: readonly number[]) => findLinesByIds(db, visible.Disbursement, ids)),
    linesOfBatch: linesOfBatchLoader(db, visible.Disbursement, maxPageSize),
    batchTotals: batchTotalsLoader(db),
  };
}
