import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { findResourcesByIds, resourcesOfProviderLoader, serviceAreasOfResources } from './resources.repository';

export function createResourceLoaders(db: Database, maxPageSize: number) {
  return {
    resource: new DataLoader((ids: readonly number[]) => findResourcesByIds(db, ids)),
    serviceAreaOfResource: new DataLoader((ids: readonly number[]) => serviceAreasOfResources(db, ids)),
    resourcesOfProvider: resourcesOfProviderLoader(db, maxPageSize),
  };
}
