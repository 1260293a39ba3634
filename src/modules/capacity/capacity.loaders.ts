import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { attendanceOfSessionLoader, attendanceOfStaffLoader, findReviewSchedulesByHouseholdIds, findTrainingSessionsByIds } from './capacity.repository';

export function createCapacityLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return {
    trainingSession: new DataLoader((ids: readonly number[]) => findTrainingSessionsByIds(db, ids)),
    attendanceOfSession: attendanceOfSessionLoader(db, visible.StaffMember, maxPageSize),
    attendanceOfStaff: attendanceOfStaffLoader(db, maxPageSize),
    reviewScheduleOfHousehold: new DataLoader((ids: readonly number[]) => findReviewSchedulesByHouseholdIds(db, ids)),
  };
}
