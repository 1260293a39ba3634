import { eq } from 'drizzle-orm';
import { PUBLIC_PRINCIPAL, type Principal } from '../../src/auth/principal';
import { Role } from '../../src/auth/roles';
import { birthDateFromResidentId, makeResidentId, sexFromResidentId } from '../../src/common/resident-id';
import type { Database } from '../../src/db/client';
import { cases, households, needs, organizations, persons, resources, staffMembers } from '../../src/db/schema';
import { categoryIds, gid, makeCommittee, makeDistrict, makeProvider, makeResource, makeStreet, type Place } from './factories';

/**
 * A small world for permission tests: two districts A and B, two streets each, a street office and
 * caseworkers per street, households (one living in A1 but registered in A2), cases, needs, two
 * providers P and Q with public and non-public resources, and staff for every organization. Every
 * person carries distinctive personal values, so a test can look for them anywhere in a response.
 *
 * Keys name rows by their role in the world; the tests state what each viewer sees in keys.
 */

export type DistrictKey = 'A' | 'B';
export type StreetKey = 'A1' | 'A2' | 'B1' | 'B2';
export type HouseholdKey = 'A1a' | 'A1b' | 'A1c' | 'A1d' | 'X' | 'A2' | 'B1' | 'B2';
export type CaseKey = 'A1a' | 'A1b' | 'A1d' | 'X' | 'A2' | 'B1' | 'Old';
export type NeedKey = 'A1a' | 'A1a2' | 'A1b' | 'A1c' | 'A1d' | 'X' | 'A2' | 'B1' | 'B2' | 'moved';
export type ResourceKey = 'Ppublic' | 'Pprivate' | 'Qpublic' | 'Qprivate';
export type OrgKey = 'city' | 'bureauA' | 'officeA1' | 'officeA2' | 'officeB1' | 'officeB2' | 'centreA1' | 'P' | 'Q';
export type StaffKey = 'city1' | 'bureauA1' | 'swA1' | 'swA1b' | 'officerA1' | 'swA2' | 'swB1' | 'swB2' | 'P1' | 'P2' | 'Q1';

export const HOUSEHOLD_KEYS: readonly HouseholdKey[] = ['A1a', 'A1b', 'A1c', 'A1d', 'X', 'A2', 'B1', 'B2'];
export const CASE_KEYS: readonly CaseKey[] = ['A1a', 'A1b', 'A1d', 'X', 'A2', 'B1', 'Old'];
export const NEED_KEYS: readonly NeedKey[] = ['A1a', 'A1a2', 'A1b', 'A1c', 'A1d', 'X', 'A2', 'B1', 'B2', 'moved'];
export const RESOURCE_KEYS: readonly ResourceKey[] = ['Ppublic', 'Pprivate', 'Qpublic', 'Qprivate'];
export const ORG_KEYS: readonly OrgKey[] = ['city', 'bureauA', 'officeA1', 'officeA2', 'officeB1', 'officeB2', 'centreA1', 'P', 'Q'];
export const STAFF_KEYS: readonly StaffKey[] = ['city1', 'bureauA1', 'swA1', 'swA1b', 'officerA1', 'swA2', 'swB1', 'swB2', 'P1', 'P2', 'Q1'];

/** A person as stored: the clear values a response must never show unless allowed. */
export interface WorldPerson {
  readonly id: number;
  readonly household: HouseholdKey;
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string | null;
}

export interface World {
  readonly categoryId: number;
  readonly districts: Record<DistrictKey, number>;
  readonly streets: Record<StreetKey, number>;
  readonly places: Record<StreetKey, Place>;
  readonly orgs: Record<OrgKey, number>;
  readonly staff: Record<StaffKey, { id: number; org: OrgKey }>;
  readonly households: Record<HouseholdKey, { id: number; lives: StreetKey; registered: StreetKey; address: string }>;
  readonly persons: readonly WorldPerson[];
  readonly cases: Record<CaseKey, { id: number; household: HouseholdKey; ownerStreet: StreetKey; caseworker: StaffKey; status: 'OPEN' | 'CLOSED' }>;
  readonly needs: Record<NeedKey, { id: number; household: HouseholdKey; case: CaseKey | null; street: StreetKey }>;
  readonly resources: Record<ResourceKey, { id: number; provider: 'P' | 'Q'; isPublic: boolean }>;
}

// Distinctive personal values: names from characters no other fixture uses, mobiles and fixed
// lines with recognisable digits, addresses no other string contains.
const SURNAMES = ['欧', '诸', '葛', '龚', '阎', '蔺', '谭', '邝', '甄', '褚', '闵', '柏'];
const GIVEN = ['瑾', '珩', '翊', '璇', '霁', '昀', '琰', '珏', '祎', '璟', '蔚', '曦', '骞', '颢', '琛', '钰'];
let personal = 0;
const namesGiven = new Set<string>();

/** Three characters, never the same name twice in one process. */
export function distinctiveName(): string {
  for (;;) {
    personal += 1;
    const name = `${SURNAMES[personal % SURNAMES.length]}${GIVEN[Math.floor(personal / SURNAMES.length) % GIVEN.length]}${GIVEN[(personal * 5 + 3) % GIVEN.length]}`;
    if (!namesGiven.has(name)) {
      namesGiven.add(name);
      return name;
    }
  }
}

let residentSequence = 0;
/** A valid resident ID no other file produces (area code 310230, 1950s birth dates). */
export function distinctiveResidentId(): string {
  residentSequence += 1;
  const day = new Date(Date.UTC(1950, 0, 1) + residentSequence * 86_400_000 * 37).toISOString().slice(0, 10);
  return makeResidentId({ areaCode: '310230', birthDate: day, sequence: (residentSequence * 7) % 1000 });
}

let phoneSequence = 0;
export function distinctiveMobile(): string {
  phoneSequence += 1;
  return `1376${String(4000000 + phoneSequence * 1371).padStart(7, '0')}`;
}
export function distinctiveFixedLine(): string {
  phoneSequence += 1;
  return `021-6${String(3000000 + phoneSequence * 977).padStart(7, '0')}`;
}

let addressSequence = 0;
export function distinctiveAddress(): string {
  addressSequence += 1;
  const n = String(addressSequence).padStart(3, '0');
  return `上海市静谧区梧桐路${n}弄${n}号${n}室`;
}

async function org(db: Database, values: typeof organizations.$inferInsert): Promise<number> {
  const [row] = await db.insert(organizations).values(values).returning();
  return row!.id;
}

async function staffOf(db: Database, organizationId: number, position: 'CASEWORKER' | 'OFFICER' | 'SOCIAL_WORKER' | 'MANAGER', name: string): Promise<number> {
  const [row] = await db.insert(staffMembers).values({ organizationId, position, name, active: true }).returning();
  return row!.id;
}

export async function buildWorld(db: Database): Promise<World> {
  const categoryId = Object.values(await categoryIds(db))[0]!;
  const A = await makeDistrict(db);
  const B = await makeDistrict(db);
  const streetIds = { A1: await makeStreet(db, A), A2: await makeStreet(db, A), B1: await makeStreet(db, B), B2: await makeStreet(db, B) };
  const districtOf: Record<StreetKey, number> = { A1: A, A2: A, B1: B, B2: B };
  const places = {} as Record<StreetKey, Place>;
  for (const key of ['A1', 'A2', 'B1', 'B2'] as const) {
    places[key] = { districtId: districtOf[key], streetId: streetIds[key], committeeId: await makeCommittee(db, streetIds[key], districtOf[key]) };
  }

  const office = (key: StreetKey) => org(db, { kind: 'STREET_OFFICE', nameZh: `街道办事处${key}-${A}`, level: 'STREET', districtId: districtOf[key], streetId: streetIds[key] });
  const orgs: Record<OrgKey, number> = {
    city: await org(db, { kind: 'GOVERNMENT_DEPARTMENT', nameZh: `市民政局-${A}`, level: 'CITY', departmentFunction: 'CIVIL_AFFAIRS' }),
    bureauA: await org(db, { kind: 'GOVERNMENT_DEPARTMENT', nameZh: `区民政局A-${A}`, level: 'DISTRICT', departmentFunction: 'CIVIL_AFFAIRS', districtId: A }),
    officeA1: await office('A1'),
    officeA2: await office('A2'),
    officeB1: await office('B1'),
    officeB2: await office('B2'),
    centreA1: await org(db, { kind: 'SERVICE_CENTER', nameZh: `受理服务中心A1-${A}`, districtId: A, streetId: streetIds.A1 }),
    P: await makeProvider(db),
    Q: await makeProvider(db),
  };

  const staffSpec: Record<StaffKey, [OrgKey, 'CASEWORKER' | 'OFFICER' | 'SOCIAL_WORKER' | 'MANAGER']> = {
    city1: ['city', 'OFFICER'],
    bureauA1: ['bureauA', 'OFFICER'],
    swA1: ['officeA1', 'CASEWORKER'],
    swA1b: ['officeA1', 'CASEWORKER'],
    officerA1: ['centreA1', 'OFFICER'],
    swA2: ['officeA2', 'CASEWORKER'],
    swB1: ['officeB1', 'CASEWORKER'],
    swB2: ['officeB2', 'CASEWORKER'],
    P1: ['P', 'SOCIAL_WORKER'],
    P2: ['P', 'MANAGER'],
    Q1: ['Q', 'SOCIAL_WORKER'],
  };
  const staff = {} as Record<StaffKey, { id: number; org: OrgKey }>;
  for (const key of STAFF_KEYS) {
    const [orgKey, position] = staffSpec[key];
    staff[key] = { id: await staffOf(db, orgs[orgKey], position, `职员${key}`), org: orgKey };
  }

  // Where each household lives and is registered, and its members' phones (null: none given).
  const householdSpec: Record<HouseholdKey, { lives: StreetKey; registered: StreetKey; phones: ('mobile' | 'fixed' | null)[] }> = {
    A1a: { lives: 'A1', registered: 'A1', phones: ['mobile', null] },
    A1b: { lives: 'A1', registered: 'A1', phones: ['fixed'] },
    A1c: { lives: 'A1', registered: 'A1', phones: ['mobile'] },
    A1d: { lives: 'A1', registered: 'A1', phones: ['mobile', 'mobile'] },
    X: { lives: 'A1', registered: 'A2', phones: ['mobile'] },
    A2: { lives: 'A2', registered: 'A2', phones: ['mobile'] },
    B1: { lives: 'B1', registered: 'B1', phones: ['mobile'] },
    B2: { lives: 'B2', registered: 'B2', phones: ['mobile'] },
  };
  const householdRows = {} as World['households'];
  const personRows: WorldPerson[] = [];
  for (const key of HOUSEHOLD_KEYS) {
    const spec = householdSpec[key];
    const address = distinctiveAddress();
    const [row] = await db
      .insert(households)
      .values({ ...places[spec.lives], registeredCommitteeId: places[spec.registered].committeeId, address, assistanceStatuses: ['MINIMUM_LIVING_ALLOWANCE'] })
      .returning();
    householdRows[key] = { id: row!.id, lives: spec.lives, registered: spec.registered, address };
    for (const [i, phoneKind] of spec.phones.entries()) {
      const idNumber = distinctiveResidentId();
      const name = distinctiveName();
      const phone = phoneKind === 'mobile' ? distinctiveMobile() : phoneKind === 'fixed' ? distinctiveFixedLine() : null;
      const [person] = await db
        .insert(persons)
        .values({ householdId: row!.id, relation: i === 0 ? 'HEAD' : 'SPOUSE', name, idNumber, phone, sex: sexFromResidentId(idNumber), birthDate: birthDateFromResidentId(idNumber) })
        .returning();
      personRows.push({ id: person!.id, household: key, name, idNumber, phone });
    }
  }

  // Cases belong to the competent street (of registered residence). "Old" is a closed case A1's
  // caseworker once owned for a household that has since moved and re-registered in B2.
  const caseSpec: Record<CaseKey, { household: HouseholdKey; ownerStreet: StreetKey; caseworker: StaffKey; status: 'OPEN' | 'CLOSED' }> = {
    A1a: { household: 'A1a', ownerStreet: 'A1', caseworker: 'swA1', status: 'OPEN' },
    A1b: { household: 'A1b', ownerStreet: 'A1', caseworker: 'swA1', status: 'OPEN' },
    A1d: { household: 'A1d', ownerStreet: 'A1', caseworker: 'swA1b', status: 'OPEN' },
    X: { household: 'X', ownerStreet: 'A2', caseworker: 'swA2', status: 'OPEN' },
    A2: { household: 'A2', ownerStreet: 'A2', caseworker: 'swA2', status: 'OPEN' },
    B1: { household: 'B1', ownerStreet: 'B1', caseworker: 'swB1', status: 'OPEN' },
    Old: { household: 'B2', ownerStreet: 'A1', caseworker: 'swA1', status: 'CLOSED' },
  };
  const officeOf: Record<StreetKey, OrgKey> = { A1: 'officeA1', A2: 'officeA2', B1: 'officeB1', B2: 'officeB2' };
  const caseRows = {} as World['cases'];
  for (const key of CASE_KEYS) {
    const spec = caseSpec[key];
    const [row] = await db
      .insert(cases)
      .values({
        householdId: householdRows[spec.household].id,
        ownerStreetId: streetIds[spec.ownerStreet],
        ownerOrganizationId: orgs[officeOf[spec.ownerStreet]],
        caseworkerId: staff[spec.caseworker].id,
        status: spec.status,
        closedAt: spec.status === 'CLOSED' ? new Date('2025-06-30T00:00:00Z') : null,
      })
      .returning();
    caseRows[key] = { id: row!.id, ...spec };
  }

  // Needs lie where the household lived when they were recorded: "moved" is an old need of
  // household B1 recorded while it lived in A1.
  const needSpec: Record<NeedKey, { household: HouseholdKey; case: CaseKey | null; street: StreetKey }> = {
    A1a: { household: 'A1a', case: 'A1a', street: 'A1' },
    A1a2: { household: 'A1a', case: null, street: 'A1' },
    A1b: { household: 'A1b', case: 'A1b', street: 'A1' },
    A1c: { household: 'A1c', case: null, street: 'A1' },
    A1d: { household: 'A1d', case: 'A1d', street: 'A1' },
    X: { household: 'X', case: 'X', street: 'A1' },
    A2: { household: 'A2', case: 'A2', street: 'A2' },
    B1: { household: 'B1', case: 'B1', street: 'B1' },
    B2: { household: 'B2', case: 'Old', street: 'B2' },
    moved: { household: 'B1', case: null, street: 'A1' },
  };
  const needRows = {} as World['needs'];
  for (const [i, key] of NEED_KEYS.entries()) {
    const spec = needSpec[key];
    const [row] = await db
      .insert(needs)
      .values({
        householdId: householdRows[spec.household].id,
        caseId: spec.case ? caseRows[spec.case].id : null,
        categoryId,
        urgency: 'NORMAL',
        units: 2,
        earliestStart: '2026-01-01',
        status: 'OPEN',
        ...places[spec.street],
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })
      .returning();
    needRows[key] = { id: row!.id, ...spec };
  }

  const resourceRows = {} as World['resources'];
  for (const key of RESOURCE_KEYS) {
    const provider = key.startsWith('P') ? 'P' : 'Q';
    const isPublic = key.endsWith('public');
    const id = await makeResource(db, orgs[provider], categoryId, [{ level: 'DISTRICT', districtId: A }]);
    await db.update(resources).set({ isPublic }).where(eq(resources.id, id));
    resourceRows[key] = { id, provider, isPublic };
  }

  return {
    categoryId,
    districts: { A, B },
    streets: streetIds,
    places,
    orgs,
    staff,
    households: householdRows,
    persons: personRows,
    cases: caseRows,
    needs: needRows,
    resources: resourceRows,
  };
}

export type ViewerKey =
  | 'city'
  | 'district'
  | 'street'
  | 'service'
  | 'committee'
  | 'caseworker'
  | 'finance'
  | 'hr'
  | 'verification'
  | 'provider'
  | 'community'
  | 'auditor'
  | 'public';

/** One viewer per role of src/auth/roles.ts, and the public. */
export const VIEWER_KEYS: readonly ViewerKey[] = ['city', 'district', 'street', 'service', 'committee', 'caseworker', 'finance', 'hr', 'verification', 'provider', 'community', 'auditor', 'public'];

function principal(subject: string, role: Role, scope: Partial<Omit<Principal, 'subject' | 'roles'>> = {}): Principal {
  return { subject, organizationId: null, staffMemberId: null, districtIds: [], streetIds: [], ...scope, roles: [role] };
}

export function principalsOf(world: World): Record<ViewerKey, Principal> & { streetA2: Principal } {
  return {
    city: principal('perm-city', Role.CITY_CIVIL_AFFAIRS, { organizationId: world.orgs.city }),
    district: principal('perm-district-A', Role.DISTRICT_CIVIL_AFFAIRS, { organizationId: world.orgs.bureauA, districtIds: [world.districts.A] }),
    street: principal('perm-street-A1', Role.STREET_OFFICER, { organizationId: world.orgs.officeA1, streetIds: [world.streets.A1] }),
    service: principal('perm-centre-A1', Role.SERVICE_CENTER_OFFICER, { organizationId: world.orgs.centreA1, streetIds: [world.streets.A1] }),
    committee: principal('perm-committee-A1', Role.COMMITTEE_MEMBER, { streetIds: [world.streets.A1] }),
    caseworker: principal('perm-caseworker-A1', Role.CASEWORKER, { organizationId: world.orgs.officeA1, staffMemberId: world.staff.swA1.id }),
    finance: principal('perm-finance', Role.FINANCE_OFFICER),
    hr: principal('perm-hr', Role.HR_SOCIAL_SECURITY),
    verification: principal('perm-verification', Role.VERIFICATION_AGENCY),
    provider: principal('perm-provider-P', Role.PROVIDER_STAFF, { organizationId: world.orgs.P, staffMemberId: world.staff.P1.id }),
    community: principal('perm-community-Q', Role.COMMUNITY_ORGANIZATION, { organizationId: world.orgs.Q, staffMemberId: world.staff.Q1.id }),
    auditor: principal('perm-auditor', Role.AUDITOR),
    public: PUBLIC_PRINCIPAL,
    /** Not a role of its own: the street officer of A2, who also sees the household living in A1 and registered in A2. */
    streetA2: principal('perm-street-A2', Role.STREET_OFFICER, { organizationId: world.orgs.officeA2, streetIds: [world.streets.A2] }),
  };
}

/** Global IDs of world rows. */
export const ids = {
  household: (w: World, k: HouseholdKey) => gid('Household', w.households[k].id),
  case: (w: World, k: CaseKey) => gid('Case', w.cases[k].id),
  need: (w: World, k: NeedKey) => gid('Need', w.needs[k].id),
  resource: (w: World, k: ResourceKey) => gid('Resource', w.resources[k].id),
  staff: (w: World, k: StaffKey) => gid('StaffMember', w.staff[k].id),
  org: (w: World, k: OrgKey) => gid('Organization', w.orgs[k]),
  person: (_w: World, p: WorldPerson) => gid('Person', p.id),
};
