import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { findNeedsByIds, needsOfCaseLoader, needsOfHouseholdLoader } from './needs.repository';

export function createNeedLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return {
    need: new DataLoader((ids: readonly number[]) => findNeedsByIds(db, visible.Need, ids)),
    needsOfHousehold: needsOfHouseholdLoader(db, visible.Need, maxPageSize),
    needsOfCase: needsOfCaseLoader(db, visible.Need, maxPageSize),
  };
}
