import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { candidatesOfNeeds } from './matching.service';

export function createMatchingLoaders(db: Database) {
  return {
    candidatesOfNeed: new DataLoader((needIds: readonly number[]) => candidatesOfNeeds(db, needIds)),
  };
}
