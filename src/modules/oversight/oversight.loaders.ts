import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { evaluationsOfProviderLoader, findContractBriefs, findEvaluationsByIds, findFormulasByIds, latestTotalsOfProviders, resourcesOfPlans, serviceFactsOfReferrals } from './oversight.repository';

export function createOversightLoaders(db: Database, maxPageSize: number) {
  return {
    evaluationFormula: new DataLoader((ids: readonly number[]) => findFormulasByIds(db, ids)),
    contractEvaluation: new DataLoader((ids: readonly number[]) => findEvaluationsByIds(db, ids)),
    evaluationsOfProvider: evaluationsOfProviderLoader(db, maxPageSize),
    /** A provider's latest evaluated total, 0–100; null when never evaluated. */
    latestEvaluationTotal: new DataLoader((ids: readonly number[]) => latestTotalsOfProviders(db, ids)),
    contractBrief: new DataLoader((ids: readonly number[]) => findContractBriefs(db, ids)),
    resourcesOfPlan: new DataLoader((ids: readonly number[]) => resourcesOfPlans(db, ids)),
    serviceFacts: new DataLoader((ids: readonly number[]) => serviceFactsOfReferrals(db, ids)),
  };
}
