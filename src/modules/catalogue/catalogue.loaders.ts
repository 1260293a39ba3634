import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { findServiceCategoriesByIds } from './catalogue.repository';

export function createCatalogueLoaders(db: Database) {
  return {
    serviceCategory: new DataLoader((ids: readonly number[]) => findServiceCategoriesByIds(db, ids)),
  };
}
