import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { primePlace, type PlaceLoaders } from '../geography/geography.loaders';
import { casesOfHouseholdLoader, findCasesByIds, findHouseholdPlacesByIds, findPersonsByIds, personsOfHouseholdLoader, type HouseholdRow } from './households.repository';

export function createHouseholdLoaders(db: Database, visible: Visibilities, maxPageSize: number, places: PlaceLoaders) {
  return {
    // A household comes with where it lives, which then costs its committee, street and district no statement.
    household: new DataLoader(async (ids: readonly number[]): Promise<(HouseholdRow | undefined)[]> =>
      (await findHouseholdPlacesByIds(db, visible.Household, ids)).map((place) => {
        if (place) primePlace(places, place);
        return place?.household;
      }),
    ),
    person: new DataLoader((ids: readonly number[]) => findPersonsByIds(db, visible.Person, ids)),
    caseById: new DataLoader((ids: readonly number[]) => findCasesByIds(db, visible.Case, ids)),
    personsOfHousehold: personsOfHouseholdLoader(db, visible.Person, maxPageSize),
    casesOfHousehold: casesOfHouseholdLoader(db, visible.Case, maxPageSize),
  };
}
