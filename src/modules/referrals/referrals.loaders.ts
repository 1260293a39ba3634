import DataLoader from 'dataloader';
import type { Visibilities } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { eventsOfReferralLoader, findReferralsByIds, referralsOfNeedLoader, referralsOfResourceLoader } from './referrals.repository';

export function createReferralLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return {
    referral: new DataLoader((ids: readonly number[]) => findReferralsByIds(db, visible.Referral, ids)),
    referralsOfNeed: referralsOfNeedLoader(db, visible.Referral, maxPageSize),
    referralsOfResource: referralsOfResourceLoader(db, visible.Referral, maxPageSize),
    eventsOfReferral: eventsOfReferralLoader(db, maxPageSize),
  };
}
