import { eq } from 'drizzle-orm';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import type { Database } from '../../src/db/client';
import { cases, persons, resources } from '../../src/db/schema';
import { categoryIds, makeCaseworker, makeHousehold, makeNeed, makePlace, makeProvider, makeResource, makeStreetOffice, type Place } from './factories';

/** A need of a household with an open case, and a provider's resource that can take it: the start of a referral. */
export interface ReferralScene {
  readonly place: Place;
  readonly provider: number;
  readonly resource: number;
  readonly office: number;
  readonly caseworker: number;
  readonly household: number;
  readonly caseId: number;
  readonly need: number;
  readonly personNames: string[];
  /** The case's caseworker, who may propose referrals for the need and read the household. */
  readonly caseworkerPrincipal: Principal;
}

export async function makeReferralScene(db: Database, members = 1): Promise<ReferralScene> {
  const place = await makePlace(db);
  const care = (await categoryIds(db)).CARE_NURSING!;
  const provider = await makeProvider(db);
  const resource = await makeResource(db, provider, care, [{ level: 'DISTRICT', districtId: place.districtId }]);
  await db.update(resources).set({ capacity: 20 }).where(eq(resources.id, resource));
  const office = await makeStreetOffice(db, place);
  const caseworker = await makeCaseworker(db, office);
  const household = await makeHousehold(db, place, members);
  const [opened] = await db.insert(cases).values({ householdId: household, ownerStreetId: place.streetId, caseworkerId: caseworker }).returning({ id: cases.id });
  const need = await makeNeed(db, household, place, care, { urgency: 'HIGH' });
  const names = await db.select({ name: persons.name }).from(persons).where(eq(persons.householdId, household)).orderBy(persons.id);
  return {
    place,
    provider,
    resource,
    office,
    caseworker,
    household,
    caseId: opened!.id,
    need,
    personNames: names.map((row) => row.name),
    caseworkerPrincipal: {
      subject: `caseworker-${caseworker}`,
      organizationId: office,
      staffMemberId: caseworker,
      roles: [Role.CASEWORKER],
      districtIds: [],
      streetIds: [],
    },
  };
}

export const PROPOSE_REFERRAL = `mutation($input: ProposeReferralInput!) { proposeReferral(input: $input) { referral { id status } userErrors { field code message } } }`;
