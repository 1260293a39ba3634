import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { committeesOfStreetLoader, findCommitteesByIds, findDistrictsByIds, findStreetsByIds, streetsOfDistrictLoader } from './geography.repository';

export function createGeographyLoaders(db: Database, maxPageSize: number) {
  return {
    district: new DataLoader((ids: readonly number[]) => findDistrictsByIds(db, ids)),
    street: new DataLoader((ids: readonly number[]) => findStreetsByIds(db, ids)),
    committee: new DataLoader((ids: readonly number[]) => findCommitteesByIds(db, ids)),
    streetsOfDistrict: streetsOfDistrictLoader(db, maxPageSize),
    committeesOfStreet: committeesOfStreetLoader(db, maxPageSize),
  };
}
