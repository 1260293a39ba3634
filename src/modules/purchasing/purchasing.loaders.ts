import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import {
  bidScope,
  bidsOfProjects,
  categoriesOfProjects,
  criteriaOfProjects,
  eventsOfProjects,
  findBidsByIds,
  findExpertsByIds,
  findProjectsByIds,
  linksOfExperts,
  panelsOfProjects,
  scoresOfProjects,
} from './purchasing.repository';

export function createPurchasingLoaders(db: Database, visible: Visibilities) {
  return {
    purchaseProject: new DataLoader((ids: readonly number[]) => findProjectsByIds(db, visible.PurchaseProject, ids)),
    projectCategories: new DataLoader((ids: readonly number[]) => categoriesOfProjects(db, ids)),
    projectEvents: new DataLoader((ids: readonly number[]) => eventsOfProjects(db, ids)),
    projectCriteria: new DataLoader((ids: readonly number[]) => criteriaOfProjects(db, ids)),
    projectPanel: new DataLoader((ids: readonly number[]) => panelsOfProjects(db, ids)),
    /** The bids of each project the viewer may see (its own, or all of the purchaser's). */
    projectVisibleBids: new DataLoader((ids: readonly number[]) => bidsOfProjects(db, ids, bidScope(visible.Bid))),
    /** Every bid of each project: only for results the resolver has decided are disclosed. */
    projectAllBids: new DataLoader((ids: readonly number[]) => bidsOfProjects(db, ids)),
    projectScores: new DataLoader((ids: readonly number[]) => scoresOfProjects(db, ids)),
    bid: new DataLoader((ids: readonly number[]) => findBidsByIds(db, visible.Bid, ids)),
    procurementExpert: new DataLoader((ids: readonly number[]) => findExpertsByIds(db, visible.PurchaseProject, ids)),
    expertLinks: new DataLoader((ids: readonly number[]) => linksOfExperts(db, ids)),
  };
}
