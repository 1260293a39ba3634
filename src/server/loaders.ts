import type { Visibilities } from '../auth/visibility';
import { measureBatches } from '../common/metrics';
import type { Database } from '../db/client';
import { createCalendarLoaders } from '../modules/calendar/calendar.loaders';
import { createApplicationLoaders } from '../modules/applications/applications.loaders';
import { createCapacityLoaders } from '../modules/capacity/capacity.loaders';
import { createDeadlineLoaders } from '../modules/deadlines/deadlines.loaders';
import { createCatalogueLoaders } from '../modules/catalogue/catalogue.loaders';
import { createContractLoaders } from '../modules/contracts/contracts.loaders';
import { createGeographyLoaders, type PlaceLoaders } from '../modules/geography/geography.loaders';
import { createHouseholdLoaders } from '../modules/households/households.loaders';
import { createMatchingLoaders } from '../modules/matching/matching.loaders';
import { createNeedLoaders } from '../modules/needs/needs.loaders';
import { createPurchasingLoaders } from '../modules/purchasing/purchasing.loaders';
import { createPaymentLoaders } from '../modules/payments/payments.loaders';
import { createOversightLoaders } from '../modules/oversight/oversight.loaders';
import { createOrganizationLoaders } from '../modules/organizations/organizations.loaders';
import { createReferralLoaders } from '../modules/referrals/referrals.loaders';
import { createResourceLoaders, type ProviderLoaders } from '../modules/resources/resources.loaders';
import { createVerificationLoaders } from '../modules/verification/verification.loaders';

/** What every group of loaders is built from. */
interface LoaderSource {
  readonly db: Database;
  readonly visible: Visibilities;
  readonly maxPageSize: number;
  /**
   * All loaders of the request: a group whose statement also fetches rows of another group's
   * type (a household with its committee, say) hands them to that group's loaders.
   */
  readonly loaders: object;
}

/** The loaders by module: a request builds a group the first time it asks for one of its loaders. */
const GROUPS = {
  geography: (s: LoaderSource) => createGeographyLoaders(s.db, s.maxPageSize),
  organizations: (s: LoaderSource) => createOrganizationLoaders(s.db, s.visible, s.maxPageSize),
  catalogue: (s: LoaderSource) => createCatalogueLoaders(s.db),
  calendar: (s: LoaderSource) => createCalendarLoaders(s.db),
  households: (s: LoaderSource) => createHouseholdLoaders(s.db, s.visible, s.maxPageSize, s.loaders as PlaceLoaders),
  needs: (s: LoaderSource) => createNeedLoaders(s.db, s.visible, s.maxPageSize),
  resources: (s: LoaderSource) => createResourceLoaders(s.db, s.visible, s.maxPageSize, s.loaders as ProviderLoaders),
  referrals: (s: LoaderSource) => createReferralLoaders(s.db, s.visible, s.maxPageSize),
  matching: (s: LoaderSource) => createMatchingLoaders(s.db),
  payments: (s: LoaderSource) => createPaymentLoaders(s.db, s.visible, s.maxPageSize),
  applications: (s: LoaderSource) => createApplicationLoaders(s.db, s.visible, s.maxPageSize),
  deadlines: (s: LoaderSource) => createDeadlineLoaders(s.db, s.visible),
  verification: (s: LoaderSource) => createVerificationLoaders(s.db, s.visible),
  capacity: (s: LoaderSource) => createCapacityLoaders(s.db, s.visible, s.maxPageSize),
  purchasing: (s: LoaderSource) => createPurchasingLoaders(s.db, s.visible),
  contracts: (s: LoaderSource) => createContractLoaders(s.db, s.visible),
  oversight: (s: LoaderSource) => createOversightLoaders(s.db, s.maxPageSize),
};
type GroupName = keyof typeof GROUPS;
type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
export type Loaders = UnionToIntersection<ReturnType<(typeof GROUPS)[GroupName]>>;

const SOURCE = Symbol('loader source');
const BUILT = Symbol('built loader groups');
interface LazyLoaders {
  [SOURCE]: LoaderSource;
  [BUILT]: Partial<Record<GroupName, Record<string, unknown>>>;
}

let prototype: object | undefined;

/**
 * The shared prototype: one getter per loader name, which builds the loader's group for this
 * request on first use. Which names belong to which group is read once, from groups built for
 * no one (building a DataLoader runs nothing).
 */
function loadersPrototype(source: LoaderSource): object {
  if (prototype) return prototype;
  const shape: PropertyDescriptorMap = {};
  for (const group of Object.keys(GROUPS) as GroupName[]) {
    for (const name of Object.keys(GROUPS[group](source))) {
      if (name in shape) throw new Error(`two loader groups both name a loader "${name}"`);
      shape[name] = {
        enumerable: true,
        get(this: LazyLoaders) {
          const built = (this[BUILT][group] ??= measureBatches(GROUPS[group](this[SOURCE]) as Record<string, unknown>));
          return built[name];
        },
      };
    }
  }
  prototype = Object.create(Object.prototype, shape) as object;
  return prototype;
}

/**
 * Every DataLoader of one request, fresh per operation so caches never cross requests. A request
 * pays only for the groups it uses: building all of them (about 90 loaders) cost a few hundred
 * microseconds per request, most of a small query's own cost.
 */
export function createLoaders(db: Database, visible: Visibilities, maxPageSize: number): Loaders {
  const loaders = Object.create(loadersPrototype({ db, visible, maxPageSize, loaders: {} })) as LazyLoaders;
  loaders[SOURCE] = { db, visible, maxPageSize, loaders };
  loaders[BUILT] = {};
  return loaders as unknown as Loaders;
}
