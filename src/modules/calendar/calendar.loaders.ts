import DataLoader from 'dataloader';
import type { Database } from '../../db/client';
import { findWorkingCalendarDaysByYears } from './calendar.repository';
import { loadWorkingCalendar } from './calendar.service';

/** The one key of `workingCalendar`: the whole calendar, loaded once per request. */
export const WHOLE_CALENDAR = 'ALL';

export function createCalendarLoaders(db: Database) {
  return {
    workingCalendarDays: new DataLoader((years: readonly number[]) => findWorkingCalendarDaysByYears(db, years)),
    workingCalendar: new DataLoader(async (keys: readonly (typeof WHOLE_CALENDAR)[]) => {
      const calendar = await loadWorkingCalendar(db);
      return keys.map(() => calendar);
    }),
  };
}
