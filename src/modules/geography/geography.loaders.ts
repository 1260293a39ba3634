import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { committeesOfStreetLoader, findCommitteePlacesByIds, findDistrictsByIds, findStreetPlacesByIds, streetsOfDistrictLoader, type CommitteePlace, type CommitteeRow, type DistrictRow, type StreetRow } from './geography.repository';

/** The loaders that a committee fetched with its street and district fills. */
export interface PlaceLoaders {
  readonly committee: DataLoader<number, CommitteeRow | undefined>;
  readonly street: DataLoader<number, StreetRow | undefined>;
  readonly district: DataLoader<number, DistrictRow | undefined>;
}

/** Hands a committee's street and district (and the committee) to their loaders, so showing where it is costs no statement. */
export function primePlace(loaders: PlaceLoaders, place: CommitteePlace): void {
  loaders.committee.prime(place.committee.id, place.committee);
  loaders.street.prime(place.street.id, place.street);
  loaders.district.prime(place.district.id, place.district);
}

export function createGeographyLoaders(db: Database, maxPageSize: number) {
  const district = new DataLoader((ids: readonly number[]) => findDistrictsByIds(db, ids));
  // A street comes with its district, so that a street's district never waits for a statement of its own:
  // whether another statement had already primed it would otherwise decide how many statements a query costs.
  const street: DataLoader<number, StreetRow | undefined> = new DataLoader(async (ids: readonly number[]) =>
    (await findStreetPlacesByIds(db, ids)).map((place) => {
      if (place) district.prime(place.district.id, place.district);
      return place?.street;
    }),
  );
  // A committee comes with its street and district, which are then in those loaders too.
  const committee: DataLoader<number, CommitteeRow | undefined> = new DataLoader(async (ids: readonly number[]) =>
    (await findCommitteePlacesByIds(db, ids)).map((place) => {
      if (place) primePlace({ committee, street, district }, place);
      return place?.committee;
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
