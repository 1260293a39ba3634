import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { findNeedsByIds, needsOfCaseLoader, needsOfHouseholdLoader } from './needs.repository';

export function createNeedLoaders(db: Database, maxPageSize: number) {
  return {
    need: new DataLoader((ids: readonly number[]) => findNeedsByIds(db, ids)),
    needsOfHousehold: needsOfHouseholdLoader(db, maxPageSize),
    needsOfCase: needsOfCaseLoader(db, maxPageSize),
  };
}
