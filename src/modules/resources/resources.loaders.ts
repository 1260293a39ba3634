import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { findResourcesByIds, resourcesOfProviderLoader, serviceAreasOfResources } from './resources.repository';

export function createResourceLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return {
    resource: new DataLoader((ids: readonly number[]) => findResourcesByIds(db, visible.Resource, ids)),
    serviceAreaOfResource: new DataLoader((ids: readonly number[]) => serviceAreasOfResources(db, ids)),
    resourcesOfProvider: resourcesOfProviderLoader(db, visible.Resource, maxPageSize),
  };
}
