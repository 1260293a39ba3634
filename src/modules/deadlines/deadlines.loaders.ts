import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { escalationsOfSteps, findStepsByIds, stepsOfApplications } from './deadlines.repository';

/** Steps are reached through applications the viewer may read; `applicationStep` (node refetch) checks the scope itself. */
export function createDeadlineLoaders(db: Database, visible: Visibilities) {
  return {
    applicationStep: new DataLoader((ids: readonly number[]) => findStepsByIds(db, visible.Application, ids)),
    stepsOfApplication: new DataLoader((ids: readonly number[]) => stepsOfApplications(db, ids)),
    escalationOfStep: new DataLoader((ids: readonly number[]) => escalationsOfSteps(db, ids)),
  };
}
