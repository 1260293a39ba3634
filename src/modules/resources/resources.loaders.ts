import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import type { OrganizationRow } from '../organizations/organizations.repository';
import { findResourcesWithProvidersByIds, resourcesOfProviderLoader, serviceAreasOfResources, type ResourceRow } from './resources.repository';

/** The loader that a resource fetched with its provider fills. */
export interface ProviderLoaders {
  readonly organization: DataLoader<number, OrganizationRow | undefined>;
}

export function createResourceLoaders(db: Database, visible: Visibilities, maxPageSize: number, providers: ProviderLoaders) {
  return {
    // A resource comes with its provider, which then costs no statement of its own.
    resource: new DataLoader(async (ids: readonly number[]): Promise<(ResourceRow | undefined)[]> =>
      (await findResourcesWithProvidersByIds(db, visible.Resource, ids)).map((row) => {
        if (row) providers.organization.prime(row.provider.id, row.provider);
        return row?.resource;
      }),
    ),
    serviceAreaOfResource: new DataLoader((ids: readonly number[]) => serviceAreasOfResources(db, ids)),
    resourcesOfProvider: resourcesOfProviderLoader(db, visible.Resource, maxPageSize),
  };
}
