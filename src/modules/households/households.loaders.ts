import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { casesOfHouseholdLoader, findCasesByIds, findHouseholdsByIds, findPersonsByIds, personsOfHouseholdLoader } from './households.repository';

export function createHouseholdLoaders(db: Database, maxPageSize: number) {
  return {
    household: new DataLoader((ids: readonly number[]) => findHouseholdsByIds(db, ids)),
    person: new DataLoader((ids: readonly number[]) => findPersonsByIds(db, ids)),
    caseById: new DataLoader((ids: readonly number[]) => findCasesByIds(db, ids)),
    personsOfHousehold: personsOfHouseholdLoader(db, maxPageSize),
    casesOfHousehold: casesOfHouseholdLoader(db, maxPageSize),
  };
}
