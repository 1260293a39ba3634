import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { committeesOfStreetLoader, findCommitteePlacesByIds, findDistrictsByIds, findStreetsByIds, streetsOfDistrictLoader, type CommitteeRow } from './geography.repository';

export function createGeographyLoaders(db: Database, maxPageSize: number) {
  const district = new DataLoader((ids: readonly number[]) => findDistrictsByIds(db, ids));
  const street = new DataLoader((ids: readonly number[]) => findStreetsByIds(db, ids));
  // A committee comes with its street and district, which are then in those loaders too.
  const committee = new DataLoader(async (ids: readonly number[]): Promise<(CommitteeRow | undefined)[]> =>
    (await findCommitteePlacesByIds(db, ids)).map((place) => {
      if (!place) return undefined;
      street.prime(place.street.id, place.street);
      district.prime(place.district.id, place.district);
      return place.committee;
    }),
  );
  return {
    district,
    street,
    committee,
    streetsOfDistrict: streetsOfDistrictLoader(db, maxPageSize),
    committeesOfStreet: committeesOfStreetLoader(db, maxPageSize),
  };
}
