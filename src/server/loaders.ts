import type { Visibilities } from '../auth/visibility';
import { measureBatches } from '../common/metrics';
import type { Database } from '../db/client';
import { createCalendarLoaders } from '../modules/calendar/calendar.loaders';
import { createApplicationLoaders } from '../modules/applications/applications.loaders';
import { createCapacityLoaders } from '../modules/capacity/capacity.loaders';
import { createDeadlineLoaders } from '../modules/deadlines/deadlines.loaders';
import { createCatalogueLoaders } from '../modules/catalogue/catalogue.loaders';
import { createContractLoaders } from '../modules/contracts/contracts.loaders';
import { createGeographyLoaders } from '../modules/geography/geography.loaders';
import { createHouseholdLoaders } from '../modules/households/households.loaders';
import { createMatchingLoaders } from '../modules/matching/matching.loaders';
import { createNeedLoaders } from '../modules/needs/needs.loaders';
import { createPurchasingLoaders } from '../modules/purchasing/purchasing.loaders';
import { createPaymentLoaders } from '../modules/payments/payments.loaders';
import { createOversightLoaders } from '../modules/oversight/oversight.loaders';
import { createOrganizationLoaders } from '../modules/organizations/organizations.loaders';
import { createReferralLoaders } from '../modules/referrals/referrals.loaders';
import { createResourceLoaders } from '../modules/resources/resources.loaders';
import { createVerificationLoaders } from '../modules/verification/verification.loaders';

/** Every DataLoader of one request: built fresh per operation so caches never cross requests. */
export function createLoaders(db: Database, visible: Visibilities, maxPageSize: number) {
  return measureBatches({
    ...createGeographyLoaders(db, maxPageSize),
    ...createOrganizationLoaders(db, visible, maxPageSize),
    ...createCatalogueLoaders(db),
    ...createCalendarLoaders(db),
    ...createHouseholdLoaders(db, visible, maxPageSize),
    ...createNeedLoaders(db, visible, maxPageSize),
    ...createResourceLoaders(db, visible, maxPageSize),
    ...createReferralLoaders(db, visible, maxPageSize),
    ...createMatchingLoaders(db),
    ...createPaymentLoaders(db, visible, maxPageSize),
    ...createApplicationLoaders(db, visible, maxPageSize),
    ...createDeadlineLoaders(db, visible),
    ...createVerificationLoaders(db, visible),
    ...createCapacityLoaders(db, visible, maxPageSize),
    ...createPurchasingLoaders(db, visible),
    ...createContractLoaders(db, visible),
    ...createOversightLoaders(db, maxPageSize),
  });
}

export type Loaders = ReturnType<typeof createLoaders>;
