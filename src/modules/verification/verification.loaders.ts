import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import {
  figuresOfRequests,
  findFiguresByIds,
  findLiveVerificationsOfApplications,
  findStandardsByIds,
  findStandardsByYears,
  findVerificationRequestsByIds,
  resultLinesOfRequests,
  returnsOfRequests,
} from './verification.repository';

export function createVerificationLoaders(db: Database, visible: Visibilities) {
  return {
    verificationRequest: new DataLoader((ids: readonly number[]) => findVerificationRequestsByIds(db, visible.VerificationRequest, ids)),
    verificationOfApplication: new DataLoader((applicationIds: readonly number[]) => findLiveVerificationsOfApplications(db, visible.VerificationRequest, applicationIds)),
    verificationFigure: new DataLoader((ids: readonly number[]) => findFiguresByIds(db, visible.VerificationRequest, ids)),
    // The parents below are requests the viewer already sees: no further scope.
    figuresOfVerification: new DataLoader((requestIds: readonly number[]) => figuresOfRequests(db, requestIds)),
    returnsOfVerification: new DataLoader((requestIds: readonly number[]) => returnsOfRequests(db, requestIds)),
    explanationOfVerification: new DataLoader((requestIds: readonly number[]) => resultLinesOfRequests(db, requestIds)),
    verificationStandard: new DataLoader((ids: readonly number[]) => findStandardsByIds(db, ids)),
    verificationStandardOfYear: new DataLoader((years: readonly number[]) => findStandardsByYears(db, years)),
  };
}
