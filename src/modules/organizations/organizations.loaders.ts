import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { findOrganizationsByIds, findStaffMembersByIds, serviceCentersOfStreetLoader, staffOfOrganizationLoader, subOrganizationsLoader } from './organizations.repository';

export function createOrganizationLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return {
    organization: new DataLoader((ids: readonly number[]) => findOrganizationsByIds(db, ids)),
    staffMember: new DataLoader((ids: readonly number[]) => findStaffMembersByIds(db, visible.StaffMember, ids)),
    subOrganizations: subOrganizationsLoader(db, maxPageSize),
    staffOfOrganization: staffOfOrganizationLoader(db, visible.StaffMember, maxPageSize),
    serviceCentersOfStreet: serviceCentersOfStreetLoader(db, maxPageSize),
  };
}
