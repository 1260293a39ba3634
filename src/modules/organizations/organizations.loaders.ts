import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { findOrganizationsByIds, findStaffMembersByIds, serviceCentersOfStreetLoader, staffOfOrganizationLoader, subOrganizationsLoader } from './organizations.repository';

export function createOrganizationLoaders(db: Database, maxPageSize: number) {
  return {
    organization: new DataLoader((ids: readonly number[]) => findOrganizationsByIds(db, ids)),
    staffMember: new DataLoader((ids: readonly number[]) => findStaffMembersByIds(db, ids)),
    subOrganizations: subOrganizationsLoader(db, maxPageSize),
    staffOfOrganization: staffOfOrganizationLoader(db, maxPageSize),
    serviceCentersOfStreet: serviceCentersOfStreetLoader(db, maxPageSize),
  };
}
