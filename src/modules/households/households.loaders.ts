import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { casesOfHouseholdLoader, findCasesByIds, findHouseholdsByIds, findPersonsByIds, personsOfHouseholdLoader } from './households.repository';

export function createHouseholdLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return {
    household: new DataLoader((ids: readonly number[]) => findHouseholdsByIds(db, visible.Household, ids)),
    person: new DataLoader((ids: readonly number[]) => findPersonsByIds(db, visible.Person, ids)),
    caseById: new DataLoader((ids: readonly number[]) => findCasesByIds(db, visible.Case, ids)),
    personsOfHousehold: personsOfHouseholdLoader(db, visible.Person, maxPageSize),
    casesOfHousehold: casesOfHouseholdLoader(db, visible.Case, maxPageSize),
  };
}
