import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { resourceScope } from '../resources/resources.repository';
import {
  areasOfContracts,
  findContractsByIds,
  findMilestonesByIds,
  findPaymentsByIds,
  milestonesOfContracts,
  paymentsOfMilestones,
  paymentTotalsOfContractLoader,
  paymentTotalsOfMilestoneLoader,
  resourcesOfContracts,
} from './contracts.repository';

export function createContractLoaders(db: Database, visible: Visibilities) {
  return {
    /** Contracts the viewer may see in full. */
    purchaseContract: new DataLoader((ids: readonly number[]) => findContractsByIds(db, visible.Contract, ids)),
    /** Every contract, for the disclosed (public) fields only. */
    disclosedContract: new DataLoader((ids: readonly number[]) => findContractsByIds(db, undefined, ids)),
    contractMilestone: new DataLoader((ids: readonly number[]) => findMilestonesByIds(db, visible.Contract, ids)),
    milestonePayment: new DataLoader((ids: readonly number[]) => findPaymentsByIds(db, visible.Contract, ids)),
    areasOfContract: new DataLoader((ids: readonly number[]) => areasOfContracts(db, ids)),
    milestonesOfContract: new DataLoader((ids: readonly number[]) => milestonesOfContracts(db, ids)),
    paymentsOfMilestone: new DataLoader((ids: readonly number[]) => paymentsOfMilestones(db, ids)),
    resourcesOfContract: new DataLoader((ids: readonly number[]) => resourcesOfContracts(db, resourceScope(visible.Resource), ids)),
    paymentTotalsOfContract: paymentTotalsOfContractLoader(db),
    paymentTotalsOfMilestone: paymentTotalsOfMilestoneLoader(db),
  };
}
