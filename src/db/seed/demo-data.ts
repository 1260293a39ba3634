/**
 * The demo data set: a realistic, fully synthetic picture of social assistance in Shanghai
 * (all 16 districts and 215 streets/towns, about 1,300 committees, the bureaus, offices,
 * centres and providers, ~2,000 households with their members, cases, needs and resources).
 *
 * Everything is derived from `seed` (and `today` for dates), so two runs with the same
 * inputs write the same rows. All personal data is invented: names are drawn from lists,
 * resident ID numbers are built with valid check digits but random sequences.
 */
import type { Database } from '../client';
import {
  assistanceStatus,
  cases,
  committees,
  districts,
  households,
  needs,
  organizations,
  persons,
  personAttribute,
  resourceServiceAreas,
  resources,
  serviceCategories,
  staffMembers,
  streets,
} from '../schema';
import { SeededRandom } from '../../common/random';
import { isValidMainlandPhone } from '../../common/phone';
import { makeResidentId, sexFromResidentId } from '../../common/resident-id';
import { SHANGHAI_DISTRICTS, type DistrictSeed } from './shanghai-geography';
import {
  ESTATE_NAME_PARTS,
  ESTATE_SUFFIXES,
  GIVEN_NAMES,
  MOBILE_PREFIXES,
  PROVIDER_BRANDS,
  ROADS_BY_DISTRICT,
  SURNAMES,
  VILLAGE_NAME_PARTS,
  type NamePair,
} from './demo-names';

export const DEMO_SEED = 20261127;

export interface DemoSummary {
  districts: number;
  streets: number;
  committees: number;
  organizations: number;
  providers: number;
  staff: number;
  households: number;
  persons: number;
  cases: number;
  needs: number;
  resources: number;
  serviceAreas: number;
}

// ---------------------------------------------------------------------------------------------
// Sizes and shares

const CHUNK_SIZE = 500;
const HOUSEHOLD_COUNT = 2000;
const NEED_COUNT = 3000;
const RESOURCE_COUNT = 600;
const SOCIAL_ORGANIZATION_COUNT = 150;
const PUBLIC_INSTITUTION_COUNT = 20;
const ENTERPRISE_COUNT = 30;
const SERVICE_CENTER_COUNT = 220;
const SUB_CENTER_COUNT = 67;
const SUSPENDED_PROVIDERS = 5;
const BANNED_PROVIDERS_FUTURE = 3;
const BANNED_PROVIDERS_PAST = 1;
const OPEN_CASE_SHARE = 0.6;
const CLOSED_CASE_SHARE = 0.07;
const INACTIVE_STAFF_SHARE = 0.03;
/** Towns big enough for a second acceptance centre (220 = 215 streets/towns + 5). */
const SECOND_CENTRE_TOWNS = ['川沙新镇', '三林镇', '浦江镇', '七宝镇', '顾村镇'];

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

type AssistanceStatus = (typeof assistanceStatus.enumValues)[number];
type PersonAttribute = (typeof personAttribute.enumValues)[number];
type Sex = 'MALE' | 'FEMALE';
type Relation = 'HEAD' | 'SPOUSE' | 'CHILD' | 'PARENT' | 'GRANDCHILD' | 'SIBLING' | 'OTHER';
type OrgInsert = typeof organizations.$inferInsert;
type StaffInsert = typeof staffMembers.$inferInsert;
type ProviderKind = 'SOCIAL_ORGANIZATION' | 'PUBLIC_INSTITUTION' | 'ENTERPRISE';
type ProviderStatus = 'ACTIVE' | 'SUSPENDED' | 'BANNED';

type CategoryCode =
  | 'BENEFICIARY_SCREENING'
  | 'MEANS_INVESTIGATION'
  | 'STAFF_TRAINING'
  | 'POLICY_OUTREACH'
  | 'PERFORMANCE_EVALUATION'
  | 'POLICY_RESEARCH'
  | 'CASE_ASSESSMENT'
  | 'CARE_NURSING'
  | 'CAPABILITY_DEVELOPMENT'
  | 'PSYCHOLOGICAL_COUNSELLING';

/** Rough neighbours of each district (shared borders or river crossings), for service areas. */
const NEIGHBOURS: Readonly<Record<string, readonly string[]>> = {
  '310101': ['310104', '310106', '310109', '310115'],
  '310104': ['310101', '310105', '310106', '310112', '310115'],
  '310105': ['310104', '310106', '310107', '310112'],
  '310106': ['310101', '310104', '310105', '310107', '310109', '310113'],
  '310107': ['310105', '310106', '310113', '310114'],
  '310109': ['310101', '310106', '310110', '310113'],
  '310110': ['310109', '310113', '310115'],
  '310112': ['310104', '310105', '310115', '310117', '310118', '310120'],
  '310113': ['310106', '310107', '310109', '310110', '310114', '310151'],
  '310114': ['310107', '310113', '310118'],
  '310115': ['310101', '310104', '310110', '310112', '310120', '310151'],
  '310116': ['310117', '310120'],
  '310117': ['310112', '310116', '310118', '310120'],
  '310118': ['310112', '310114', '310117'],
  '310120': ['310112', '310115', '310116', '310117'],
  '310151': ['310113', '310115'],
};

/**
 * Area codes that resident ID numbers issued before a merger still carry
 * (e.g. 卢湾区 310103 → 黄浦区, 闸北区 310108 → 静安区, the former counties 3102xx).
 */
const FORMER_AREA_CODES: Readonly<Record<string, readonly (readonly [code: string, bornBefore: number])[]>> = {
  '310101': [['310103', 2011], ['310102', 2000]],
  '310106': [['310108', 2015]],
  '310112': [['310221', 1992]],
  '310113': [['310223', 1988]],
  '310114': [['310222', 1993]],
  '310115': [['310224', 1993], ['310225', 2001], ['310119', 2009]],
  '310116': [['310228', 1997]],
  '310117': [['310227', 1998]],
  '310118': [['310229', 1999]],
  '310120': [['310226', 2001]],
  '310151': [['310230', 2016]],
};

// ---------------------------------------------------------------------------------------------
// Plans (in memory, before ids exist)

interface DistrictPlan {
  readonly index: number;
  readonly seed: DistrictSeed;
  readonly shortZh: string;
  readonly shortEn: string;
  readonly householdWeight: number;
  readonly streets: StreetPlan[];
  readonly committees: CommitteePlan[];
  id: number;
}

interface StreetPlan {
  readonly index: number;
  readonly district: DistrictPlan;
  readonly kind: 'STREET' | 'TOWN';
  readonly nameZh: string;
  readonly nameEn: string;
  readonly committees: CommitteePlan[];
  id: number;
  officeIndex: number;
  officeId: number;
  centreIndex: number;
  activeCaseworkerIds: number[];
}

interface CommitteePlan {
  readonly street: StreetPlan;
  readonly kind: 'RESIDENTS' | 'VILLAGERS';
  readonly nameZh: string;
  readonly nameEn: string;
  /** The name part without suffix, reused for sub-centre names. */
  readonly part: NamePair;
  /** Road the estate lies on (residents) or the village name (villagers), for addresses. */
  readonly road: string;
  readonly laneBase: number;
  id: number;
}

interface ProviderPlan {
  readonly kind: ProviderKind;
  readonly orgIndex: number;
  readonly district: DistrictPlan;
  readonly street: StreetPlan;
  readonly categories: readonly CategoryCode[];
  status: ProviderStatus;
  readonly workers: { name: string; phone: string }[];
}

interface PersonPlan {
  readonly relation: Relation;
  readonly name: string;
  readonly idNumber: string;
  readonly sex: Sex;
  readonly birthDate: string;
  readonly age: number;
  readonly phone: string | null;
  readonly attributes: PersonAttribute[];
}

interface HouseholdPlan {
  readonly committee: CommitteePlan;
  readonly registered: CommitteePlan;
  readonly address: string;
  readonly members: PersonPlan[];
  readonly statuses: AssistanceStatus[];
  readonly salt: number;
  hasOpenCase: boolean;
  hasClosedCase: boolean;
  createdDay: number;
  /** Days of the case history: a closed case (opened, closed) and the open case's opening. */
  closedCaseDays: readonly [opened: number, closed: number] | null;
  openCaseDay: number | null;
  needs: NeedPlan[];
  id: number;
  openCaseId: number | null;
}

interface NeedPlan {
  readonly household: HouseholdPlan;
  readonly category: CategoryCode;
  readonly urgency: 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW';
  readonly units: number;
  readonly earliestDay: number;
  readonly deadlineDay: number | null;
  readonly status: 'OPEN' | 'MATCHED' | 'FULFILLED' | 'WITHDRAWN';
  readonly createdDay: number;
  readonly updatedDay: number;
  readonly notes: string | null;
  readonly withdrawalReason: string | null;
}

// ---------------------------------------------------------------------------------------------
// Entry point

export async function insertDemoData(db: Database, options: { seed: number; today?: string }): Promise<DemoSummary> {
  if (!Number.isSafeInteger(options.seed)) throw new RangeError(`seed must be a safe integer: ${options.seed}`);
  const today = options.today ?? shanghaiToday();
  const todayDay = parseDay(today);
  const g = new Generator(options.seed, todayDay);

  const categoryRows = await db.select({ id: serviceCategories.id, code: serviceCategories.code, retiredAt: serviceCategories.retiredAt }).from(serviceCategories);
  const categoryIds = new Map<string, number>();
  for (const row of categoryRows) if (row.retiredAt === null) categoryIds.set(row.code, row.id);
  if (categoryIds.size === 0) throw new Error('The service catalogue is empty: run the migrations before seeding the demo data');
  g.setCategories(categoryIds);

  // Geography.
  const districtPlans = g.planDistricts();
  const districtIds = await db
    .insert(districts)
    .values(districtPlans.map((d) => ({ code: d.seed.code, nameZh: d.seed.nameZh, nameEn: d.seed.nameEn, central: d.seed.central })))
    .returning({ id: districts.id, code: districts.code });
  assertSameOrder('districts', districtIds, districtPlans, (row, plan) => row.code === plan.seed.code);
  districtIds.forEach((row, i) => (districtPlans[i]!.id = row.id));

  const streetPlans = districtPlans.flatMap((d) => d.streets);
  const streetIds = await inChunks(streetPlans, (chunk) =>
    db
      .insert(streets)
      .values(chunk.map((s) => ({ districtId: s.district.id, kind: s.kind, nameZh: s.nameZh, nameEn: s.nameEn })))
      .returning({ id: streets.id, nameZh: streets.nameZh }),
  );
  assertSameOrder('streets', streetIds, streetPlans, (row, plan) => row.nameZh === plan.nameZh);
  streetIds.forEach((row, i) => (streetPlans[i]!.id = row.id));

  const committeePlans = g.planCommittees(streetPlans);
  const committeeIds = await inChunks(committeePlans, (chunk) =>
    db
      .insert(committees)
      .values(chunk.map((c) => ({ streetId: c.street.id, districtId: c.street.district.id, kind: c.kind, nameZh: c.nameZh, nameEn: c.nameEn })))
      .returning({ id: committees.id, nameZh: committees.nameZh }),
  );
  assertSameOrder('committees', committeeIds, committeePlans, (row, plan) => row.nameZh === plan.nameZh);
  committeeIds.forEach((row, i) => (committeePlans[i]!.id = row.id));

  // Organizations: city bodies first (parents of the district ones), then everything else, then sub-centres.
  const orgs = g.planOrganizations(districtPlans, streetPlans);
  const insertOrgs = async (rows: OrgInsert[]): Promise<number[]> => {
    const ids = await inChunks(rows, (chunk) => db.insert(organizations).values(chunk).returning({ id: organizations.id, nameZh: organizations.nameZh }));
    assertSameOrder('organizations', ids, rows, (row, plan) => row.nameZh === plan.nameZh);
    return ids.map((row) => row.id);
  };
  const cityIds = await insertOrgs(orgs.city);
  const mainIds = await insertOrgs(orgs.main(cityIds));
  const subIds = await insertOrgs(orgs.subCentres(mainIds));
  for (const s of streetPlans) s.officeId = mainIds[s.officeIndex]!;
  const organizationCount = cityIds.length + mainIds.length + subIds.length;

  // Staff.
  const staffPlan = g.planStaff(streetPlans, committeePlans, orgs.centreIndexes, orgs.providers, mainIds, subIds);
  const staffIds = await inChunks(staffPlan.rows, (chunk) =>
    db.insert(staffMembers).values(chunk).returning({ id: staffMembers.id, name: staffMembers.name, organizationId: staffMembers.organizationId }),
  );
  assertSameOrder('staff', staffIds, staffPlan.rows, (row, plan) => row.name === plan.name && row.organizationId === plan.organizationId);
  staffPlan.caseworkerRows.forEach((rowIndex, i) => {
    const street = staffPlan.caseworkerStreets[i]!;
    street.activeCaseworkerIds.push(staffIds[rowIndex]!.id);
  });

  // Households and members.
  const householdPlans = g.planHouseholds(districtPlans, committeePlans);
  g.planNeeds(householdPlans);
  g.planHouseholdDates(householdPlans);
  const householdIds = await inChunks(householdPlans, (chunk) =>
    db
      .insert(households)
      .values(
        chunk.map((h) => ({
          committeeId: h.committee.id,
          streetId: h.committee.street.id,
          districtId: h.committee.street.district.id,
          registeredCommitteeId: h.registered.id,
          address: h.address,
          assistanceStatuses: h.statuses,
          createdAt: g.timestampOn(h.createdDay, h.salt),
          updatedAt: g.timestampOn(h.createdDay, h.salt),
        })),
      )
      .returning({ id: households.id, address: households.address, committeeId: households.committeeId }),
  );
  assertSameOrder('households', householdIds, householdPlans, (row, plan) => row.address === plan.address && row.committeeId === plan.committee.id);
  householdIds.forEach((row, i) => (householdPlans[i]!.id = row.id));

  const personRows = householdPlans.flatMap((h) =>
    h.members.map((p) => ({
      householdId: h.id,
      relation: p.relation,
      name: p.name,
      idNumber: p.idNumber,
      sex: p.sex,
      birthDate: p.birthDate,
      phone: p.phone,
      attributes: p.attributes,
      createdAt: g.timestampOn(h.createdDay, h.salt),
      updatedAt: g.timestampOn(h.createdDay, h.salt),
    })),
  );
  await inChunks(personRows, async (chunk) => {
    await db.insert(persons).values(chunk);
    return [];
  });

  // Cases: every household's closed case (if any) before its open one.
  const caseRows = g.planCases(householdPlans);
  const caseIds = await inChunks(caseRows.rows, (chunk) =>
    db.insert(cases).values(chunk).returning({ id: cases.id, householdId: cases.householdId, status: cases.status }),
  );
  assertSameOrder('cases', caseIds, caseRows.rows, (row, plan) => row.householdId === plan.householdId && row.status === plan.status);
  caseIds.forEach((row) => {
    if (row.status === 'OPEN') caseRows.byHouseholdId.get(row.householdId)!.openCaseId = row.id;
  });

  // Needs.
  const needRows = householdPlans.flatMap((h) =>
    h.needs.map((n, i) => {
      const createdAt = g.timestampOn(n.createdDay, h.salt * 7 + i);
      return {
      householdId: h.id,
      caseId: h.openCaseId,
      categoryId: g.categoryId(n.category),
      urgency: n.urgency,
      units: n.units,
      earliestStart: formatDay(n.earliestDay),
      deadline: n.deadlineDay === null ? null : formatDay(n.deadlineDay),
      status: n.status,
      committeeId: h.committee.id,
      streetId: h.committee.street.id,
      districtId: h.committee.street.district.id,
      notes: n.notes,
      withdrawalReason: n.withdrawalReason,
      createdAt,
      updatedAt: notBefore(createdAt, g.timestampOn(n.updatedDay, h.salt * 7 + i + 1)),
      };
    }),
  );
  await inChunks(needRows, async (chunk) => {
    await db.insert(needs).values(chunk);
    return [];
  });

  // Resources and their service areas.
  const resourcePlan = g.planResources(orgs.providers, mainIds, districtPlans);
  const resourceIds = await inChunks(resourcePlan.rows, (chunk) =>
    db.insert(resources).values(chunk).returning({ id: resources.id, title: resources.title, providerId: resources.providerId }),
  );
  assertSameOrder('resources', resourceIds, resourcePlan.rows, (row, plan) => row.title === plan.title && row.providerId === plan.providerId);
  const areaRows = resourcePlan.areas.flatMap((areas, i) => areas.map((area) => ({ ...area, resourceId: resourceIds[i]!.id })));
  await inChunks(areaRows, async (chunk) => {
    await db.insert(resourceServiceAreas).values(chunk);
    return [];
  });

  return {
    districts: districtPlans.length,
    streets: streetPlans.length,
    committees: committeePlans.length,
    organizations: organizationCount,
    providers: orgs.providers.length,
    staff: staffPlan.rows.length,
    households: householdPlans.length,
    persons: personRows.length,
    cases: caseRows.rows.length,
    needs: needRows.length,
    resources: resourcePlan.rows.length,
    serviceAreas: areaRows.length,
  };
}

// ---------------------------------------------------------------------------------------------
// The generator: pure planning, no database access

class Generator {
  private readonly todayYear: number;
  private readonly todayMonthDay: number;
  /** Latest birth date makeResidentId accepts: it checks against the real clock, not `today`. */
  private readonly latestBirthDay: number;
  private readonly usedIdPrefixes = new Set<string>();
  private readonly usedPhones = new Set<string>();
  private readonly usedCreditCodes = new Set<string>();
  private categoryIds = new Map<string, number>();

  constructor(
    private readonly seed: number,
    readonly todayDay: number,
  ) {
    const todayDate = new Date(todayDay * DAY_MS);
    this.todayYear = todayDate.getUTCFullYear();
    this.todayMonthDay = (todayDate.getUTCMonth() + 1) * 100 + todayDate.getUTCDate();
    this.latestBirthDay = Math.min(todayDay, parseDay(shanghaiToday())) - 1;
  }

  /** An independent random stream per concern, so changing one part of the data leaves the others alone. */
  private stream(label: number): SeededRandom {
    return new SeededRandom(((this.seed >>> 0) ^ Math.imul(label + 1, 0x9e3779b1)) >>> 0);
  }

  setCategories(ids: Map<string, number>): void {
    this.categoryIds = ids;
  }

  categoryId(code: CategoryCode): number {
    const id = this.categoryIds.get(code);
    if (id !== undefined) return id;
    // A deployment that renamed or retired an item: fall back to any live one.
    return this.categoryIds.values().next().value as number;
  }

  private hasCategory(code: CategoryCode): boolean {
    return this.categoryIds.has(code);
  }

  /** Weighted pick among category codes that exist in the catalogue. */
  private pickCategory(rng: SeededRandom, weights: Partial<Record<CategoryCode, number>>): CategoryCode {
    const entries = (Object.entries(weights) as [CategoryCode, number][]).filter(([code, w]) => w > 0 && this.hasCategory(code));
    if (entries.length === 0) return this.categoryIds.keys().next().value as CategoryCode;
    return rng.weightedPick(entries, (e) => e[1])[0];
  }

  timestampOn(day: number, salt = 0): Date {
    // A deterministic office-hours time (08:30–17:59 Shanghai) derived from the day and a salt.
    const minutes = 510 + ((Math.imul(day + 7919 * salt, 2654435761) >>> 0) % 570);
    return new Date(day * DAY_MS - SHANGHAI_OFFSET_MS + minutes * 60_000);
  }

  // ----- geography ---------------------------------------------------------------------------

  planDistricts(): DistrictPlan[] {
    let streetIndex = 0;
    return SHANGHAI_DISTRICTS.map((seed, index) => {
      const district: DistrictPlan = {
        index,
        seed,
        shortZh: seed.nameZh.replace(/新区$|区$/, ''),
        shortEn: seed.nameEn.replace(/ (District|New Area)$/, ''),
        // Assisted households concentrate in the old central districts.
        householdWeight: seed.populationWan * (seed.central ? 1.6 : 1),
        streets: [],
        committees: [],
        id: 0,
      };
      seed.subdistricts.forEach((sub) => {
        district.streets.push({
          index: streetIndex++,
          district,
          kind: sub.kind,
          nameZh: sub.nameZh,
          nameEn: sub.nameEn,
          committees: [],
          id: 0,
          officeIndex: -1,
          officeId: 0,
          centreIndex: -1,
          activeCaseworkerIds: [],
        });
      });
      return district;
    });
  }

  planCommittees(streetPlans: StreetPlan[]): CommitteePlan[] {
    const rng = this.stream(1);
    const all: CommitteePlan[] = [];
    for (const street of streetPlans) {
      const district = street.district;
      const perStreet = district.seed.populationWan / district.seed.subdistricts.length;
      const count = clamp(4 + (district.seed.central ? 1 : 0) + Math.round(Math.min(perStreet, 18) / 6) + rng.int(-1, 1), 4, 9);
      const villagerShare = street.kind === 'STREET' || district.seed.central ? 0 : ['310112', '310113', '310114', '310115'].includes(district.seed.code) ? 0.5 : 0.7;
      const roads = ROADS_BY_DISTRICT[district.seed.code] ?? ['人民路'];
      const names = new Set<string>();
      const usedParts = new Set<string>();
      while (street.committees.length < count) {
        const villagers = rng.chance(villagerShare);
        const part = villagers ? rng.pick(VILLAGE_NAME_PARTS) : rng.pick(ESTATE_NAME_PARTS);
        if (usedParts.has(part[0]) && rng.chance(0.8)) continue;
        let nameZh: string;
        let nameEn: string;
        let road: string;
        if (villagers) {
          nameZh = `${part[0]}村村委会`;
          nameEn = `${part[1]} Village Committee`;
          road = `${part[0]}村`;
        } else {
          const suffix = rng.weightedPick(ESTATE_SUFFIXES, (s) => s[2]);
          nameZh = `${part[0]}${suffix[0]}居委会`;
          nameEn = `${part[1]}${suffix[1] ? ` ${suffix[1]}` : ''} Residents' Committee`;
          road = suffix[0] === '路' ? `${part[0]}路` : rng.pick(roads);
        }
        if (names.has(nameZh)) continue;
        names.add(nameZh);
        usedParts.add(part[0]);
        const committee: CommitteePlan = {
          street,
          kind: villagers ? 'VILLAGERS' : 'RESIDENTS',
          nameZh,
          nameEn,
          part,
          road,
          laneBase: rng.int(1, 1200),
          id: 0,
        };
        street.committees.push(committee);
        district.committees.push(committee);
        all.push(committee);
      }
    }
    return all;
  }

  // ----- organizations -----------------------------------------------------------------------

  planOrganizations(districtPlans: DistrictPlan[], streetPlans: StreetPlan[]) {
    const rng = this.stream(2);
    const govCreated = this.timestampOn(this.todayDay - 900);
    const fixedLine = () => this.fixedLine(rng);
    const districtAddress = (d: DistrictPlan) => `${d.seed.nameZh}${rng.pick(ROADS_BY_DISTRICT[d.seed.code] ?? ['人民路'])}${rng.int(1, 1500)}号`;

    const bureaus = [
      { fn: 'CIVIL_AFFAIRS', cityZh: '上海市民政局', cityEn: 'Shanghai Municipal Civil Affairs Bureau', zh: '民政局', en: 'Civil Affairs Bureau' },
      { fn: 'FINANCE', cityZh: '上海市财政局', cityEn: 'Shanghai Municipal Finance Bureau', zh: '财政局', en: 'Finance Bureau' },
      { fn: 'HR_SOCIAL_SECURITY', cityZh: '上海市人力资源和社会保障局', cityEn: 'Shanghai Municipal Human Resources and Social Security Bureau', zh: '人力资源和社会保障局', en: 'Human Resources and Social Security Bureau' },
      { fn: 'ESTABLISHMENT', cityZh: '中共上海市委机构编制委员会办公室', cityEn: 'Office of the Shanghai Municipal Commission for Public Sector Reform', zh: '编办', en: 'Commission Office for Public Sector Reform' },
    ] as const;

    const city: OrgInsert[] = bureaus.map((b) => ({
      kind: 'GOVERNMENT_DEPARTMENT',
      nameZh: b.cityZh,
      nameEn: b.cityEn,
      creditCode: this.creditCode(rng, '11', '310000'),
      departmentFunction: b.fn,
      level: 'CITY',
      address: `上海市黄浦区${rng.pick(ROADS_BY_DISTRICT['310101']!)}${rng.int(100, 800)}号`,
      contactPhone: fixedLine(),
      createdAt: govCreated,
      updatedAt: govCreated,
    }));
    city.push({
      kind: 'VERIFICATION_AGENCY',
      nameZh: '上海市居民经济状况核对中心',
      nameEn: 'Shanghai Residents\' Economic Status Verification Center',
      creditCode: this.creditCode(rng, '12', '310000'),
      level: 'CITY',
      address: `上海市静安区${rng.pick(ROADS_BY_DISTRICT['310106']!)}${rng.int(100, 800)}号`,
      contactPhone: fixedLine(),
      createdAt: govCreated,
      updatedAt: govCreated,
    });
    const cityVerificationIndex = city.length - 1;

    // Rows whose parents are the city bodies; built lazily once their ids are known.
    const mainRows: OrgInsert[] = [];
    const mainParents: (number | null)[] = []; // index into city rows
    const push = (row: OrgInsert, cityParent: number | null = null): number => {
      mainRows.push(row);
      mainParents.push(cityParent);
      return mainRows.length - 1;
    };

    for (const d of districtPlans) {
      bureaus.forEach((b, bureauIndex) => {
        push(
          {
            kind: 'GOVERNMENT_DEPARTMENT',
            nameZh: `${d.seed.nameZh}${b.zh}`,
            nameEn: `${d.seed.nameEn} ${b.en}`,
            creditCode: this.creditCode(rng, '11', d.seed.code),
            departmentFunction: b.fn,
            level: 'DISTRICT',
            districtId: d.id,
            address: districtAddress(d),
            contactPhone: fixedLine(),
            createdAt: govCreated,
            updatedAt: govCreated,
          },
          bureauIndex,
        );
      });
      push(
        {
          kind: 'VERIFICATION_AGENCY',
          nameZh: `${d.seed.nameZh}居民经济状况核对中心`,
          nameEn: `${d.seed.nameEn} Residents' Economic Status Verification Center`,
          creditCode: this.creditCode(rng, '12', d.seed.code),
          level: 'DISTRICT',
          districtId: d.id,
          address: districtAddress(d),
          contactPhone: fixedLine(),
          createdAt: govCreated,
          updatedAt: govCreated,
        },
        cityVerificationIndex,
      );
    }

    const streetAddress = (s: StreetPlan) => {
      const c = rng.pick(s.committees);
      return c.kind === 'VILLAGERS' ? `${s.district.seed.nameZh}${s.nameZh}${rng.pick(ROADS_BY_DISTRICT[s.district.seed.code] ?? ['人民路'])}${rng.int(1, 999)}号` : `${s.district.seed.nameZh}${c.road}${rng.int(1, 1500)}号`;
    };

    for (const s of streetPlans) {
      s.officeIndex = push({
        kind: 'STREET_OFFICE',
        nameZh: s.kind === 'STREET' ? `${s.nameZh}办事处` : `${s.nameZh}人民政府`,
        nameEn: s.kind === 'STREET' ? `${s.nameEn} Office` : `${s.nameEn} Government`,
        creditCode: this.creditCode(rng, '11', s.district.seed.code),
        level: 'STREET',
        districtId: s.district.id,
        streetId: s.id,
        address: streetAddress(s),
        contactPhone: fixedLine(),
        createdAt: govCreated,
        updatedAt: govCreated,
      });
    }

    const centreRow = (s: StreetPlan, second: boolean): OrgInsert => ({
      kind: 'SERVICE_CENTER',
      nameZh: `${s.nameZh}${second ? '第二' : ''}社区事务受理服务中心`,
      nameEn: `${s.nameEn} ${second ? 'Second ' : ''}Community Affairs Acceptance Service Center`,
      creditCode: this.creditCode(rng, '12', s.district.seed.code),
      level: 'STREET',
      districtId: s.district.id,
      streetId: s.id,
      address: streetAddress(s),
      contactPhone: fixedLine(),
      createdAt: govCreated,
      updatedAt: govCreated,
    });
    const centreIndexes: number[] = [];
    for (const s of streetPlans) {
      s.centreIndex = push(centreRow(s, false));
      centreIndexes.push(s.centreIndex);
    }
    const secondTowns = SECOND_CENTRE_TOWNS.map((name) => streetPlans.find((s) => s.nameZh === name)).filter((s): s is StreetPlan => s !== undefined);
    const bigTowns = [...streetPlans].filter((s) => s.kind === 'TOWN').sort((a, b) => b.committees.length - a.committees.length || a.index - b.index);
    for (const s of bigTowns) {
      if (secondTowns.length >= SERVICE_CENTER_COUNT - streetPlans.length) break;
      if (!secondTowns.includes(s)) secondTowns.push(s);
    }
    for (const s of secondTowns.slice(0, Math.max(0, SERVICE_CENTER_COUNT - streetPlans.length))) centreIndexes.push(push(centreRow(s, true)));

    // Providers.
    const providers: ProviderPlan[] = [];
    const providerNames = new Set<string>();
    const providerDistrictWeight = (d: DistrictPlan) => d.seed.populationWan * (d.seed.central ? 1.8 : 1);
    const addProvider = (kind: ProviderKind, d: DistrictPlan, s: StreetPlan, nameZh: string, nameEn: string, categories: readonly CategoryCode[], creditPrefix: string) => {
      const created = this.todayDay - rng.int(200, 2500);
      const orgIndex = push({
        kind,
        nameZh,
        nameEn,
        creditCode: this.creditCode(rng, creditPrefix, d.seed.code),
        districtId: d.id,
        streetId: s.id,
        isProvider: true,
        providerStatus: 'ACTIVE',
        address: `${d.seed.nameZh}${rng.pick(ROADS_BY_DISTRICT[d.seed.code] ?? ['人民路'])}${rng.int(1, 1500)}号${rng.chance(0.4) ? `${rng.int(1, 12)}0${rng.int(1, 9)}室` : ''}`,
        contactPhone: rng.chance(0.7) ? fixedLine() : this.mobile(rng),
        createdAt: this.timestampOn(created),
        updatedAt: this.timestampOn(created),
      });
      providers.push({ kind, orgIndex, district: d, street: s, categories, status: 'ACTIVE', workers: [] });
    };

    let guard = 0;
    while (providers.filter((p) => p.kind === 'SOCIAL_ORGANIZATION').length < SOCIAL_ORGANIZATION_COUNT && guard++ < 10_000) {
      const d = rng.weightedPick(districtPlans, providerDistrictWeight);
      const type = rng.weightedPick(SOCIAL_ORGANIZATION_TYPES, (t) => t.weight);
      const brand = rng.pick(PROVIDER_BRANDS);
      const nameZh = type.branded ? `上海市${d.seed.nameZh}${brand[0]}${type.zh}` : `上海市${d.seed.nameZh}${type.zh}`;
      if (providerNames.has(nameZh)) continue;
      providerNames.add(nameZh);
      const nameEn = type.branded ? `Shanghai ${d.shortEn} ${brand[1]} ${type.en}` : `Shanghai ${d.shortEn} ${type.en}`;
      addProvider('SOCIAL_ORGANIZATION', d, rng.pick(d.streets), nameZh, nameEn, type.categories, type.creditPrefix);
    }
    guard = 0;
    while (providers.filter((p) => p.kind === 'PUBLIC_INSTITUTION').length < PUBLIC_INSTITUTION_COUNT && guard++ < 10_000) {
      const d = rng.weightedPick(districtPlans, providerDistrictWeight);
      const type = rng.weightedPick(PUBLIC_INSTITUTION_TYPES, (t) => t.weight);
      const s = rng.pick(d.streets);
      const nameZh = type.perStreet ? `上海市${d.seed.nameZh}${s.nameZh}${type.zh}` : `上海市${d.seed.nameZh}${type.zh}`;
      if (providerNames.has(nameZh)) continue;
      providerNames.add(nameZh);
      const nameEn = type.perStreet ? `Shanghai ${d.shortEn} ${s.nameEn} ${type.en}` : `Shanghai ${d.shortEn} ${type.en}`;
      addProvider('PUBLIC_INSTITUTION', d, s, nameZh, nameEn, type.categories, '12');
    }
    guard = 0;
    while (providers.filter((p) => p.kind === 'ENTERPRISE').length < ENTERPRISE_COUNT && guard++ < 10_000) {
      const d = rng.weightedPick(districtPlans, providerDistrictWeight);
      const type = rng.weightedPick(ENTERPRISE_TYPES, (t) => t.weight);
      const brand = rng.pick(PROVIDER_BRANDS);
      const nameZh = `上海${brand[0]}${type.zh}`;
      if (providerNames.has(nameZh)) continue;
      providerNames.add(nameZh);
      addProvider('ENTERPRISE', d, rng.pick(d.streets), nameZh, `Shanghai ${brand[1]} ${type.en}`, type.categories, '91');
    }

    // A handful of providers under sanction (policy §3(6)); public institutions are left alone.
    const sanctionable = rng.shuffle(providers.filter((p) => p.kind !== 'PUBLIC_INSTITUTION'));
    sanctionable.forEach((p, i) => {
      const row = mainRows[p.orgIndex]!;
      if (i < SUSPENDED_PROVIDERS) {
        p.status = 'SUSPENDED';
        row.providerStatus = 'SUSPENDED';
      } else if (i < SUSPENDED_PROVIDERS + BANNED_PROVIDERS_FUTURE + BANNED_PROVIDERS_PAST) {
        p.status = 'BANNED';
        row.providerStatus = 'BANNED';
        const future = i < SUSPENDED_PROVIDERS + BANNED_PROVIDERS_FUTURE;
        row.bannedUntil = formatDay(future ? this.todayDay + rng.int(60, 720) : this.todayDay - rng.int(10, 200));
      }
    });

    return {
      city,
      centreIndexes,
      providers,
      main(cityIds: number[]): OrgInsert[] {
        return mainRows.map((row, i) => {
          const parent = mainParents[i];
          return parent === null || parent === undefined ? row : { ...row, parentId: cityIds[parent]! };
        });
      },
      subCentres: (mainIds: number[]): OrgInsert[] => this.planSubCentres(rng, streetPlans, mainRows, mainIds),
    };
  }

  private planSubCentres(rng: SeededRandom, streetPlans: StreetPlan[], mainRows: OrgInsert[], mainIds: number[]): OrgInsert[] {
    const perStreet = new Map<StreetPlan, Set<string>>();
    const rows: OrgInsert[] = [];
    const created = this.timestampOn(this.todayDay - 700);
    let guard = 0;
    while (rows.length < SUB_CENTER_COUNT && guard++ < 10_000) {
      // Sub-centres serve residents far from the centre: mostly big or rural towns.
      const s = rng.weightedPick(streetPlans, (st) => (st.kind === 'TOWN' ? 3 : 0.6) * st.committees.length);
      const used = perStreet.get(s) ?? new Set<string>();
      if (used.size >= 2) continue;
      const committee = rng.pick(s.committees);
      if (used.has(committee.part[0])) continue;
      used.add(committee.part[0]);
      perStreet.set(s, used);
      const centre = mainRows[s.centreIndex]!;
      rows.push({
        kind: 'SERVICE_CENTER',
        nameZh: `${centre.nameZh}${committee.part[0]}分中心`,
        nameEn: `${centre.nameEn ?? s.nameEn}, ${committee.part[1]} Sub-center`,
        level: 'STREET',
        districtId: s.district.id,
        streetId: s.id,
        parentId: mainIds[s.centreIndex]!,
        address: committee.kind === 'VILLAGERS' ? `${s.district.seed.nameZh}${s.nameZh}${committee.road}${rng.int(1, 300)}号` : `${s.district.seed.nameZh}${committee.road}${rng.int(1, 1500)}号`,
        contactPhone: this.fixedLine(rng),
        createdAt: created,
        updatedAt: created,
      });
    }
    return rows;
  }

  // ----- staff -------------------------------------------------------------------------------

  planStaff(streetPlans: StreetPlan[], committeePlans: CommitteePlan[], centreIndexes: number[], providers: ProviderPlan[], mainIds: number[], subIds: number[]) {
    const rng = this.stream(3);
    const rows: StaffInsert[] = [];
    const caseworkerRows: number[] = [];
    const caseworkerStreets: StreetPlan[] = [];
    const add = (organizationId: number, position: StaffInsert['position'], essential = false, committeeId: number | null = null): StaffInsert => {
      const sex: Sex = rng.chance(position === 'SOCIAL_WORKER' || position === 'COMMITTEE_MEMBER' ? 0.7 : 0.55) ? 'FEMALE' : 'MALE';
      const birthYear = this.todayYear - rng.int(24, 58);
      const created = this.todayDay - rng.int(30, 1500);
      const row: StaffInsert = {
        organizationId,
        committeeId,
        position,
        name: this.personName(rng, this.pickSurname(rng), sex, birthYear),
        phone: this.mobile(rng),
        active: essential || !rng.chance(INACTIVE_STAFF_SHARE),
        createdAt: this.timestampOn(created),
      };
      rows.push(row);
      return row;
    };
    for (const s of streetPlans) {
      const officeId = mainIds[s.officeIndex]!;
      const count = rng.int(2, 4);
      for (let i = 0; i < count; i += 1) {
        const row = add(officeId, 'CASEWORKER', i === 0);
        if (row.active) {
          caseworkerRows.push(rows.length - 1);
          caseworkerStreets.push(s);
        }
      }
    }
    for (const index of centreIndexes) {
      const count = rng.int(1, 2);
      for (let i = 0; i < count; i += 1) add(mainIds[index]!, 'OFFICER', i === 0);
    }
    for (const id of subIds) add(id, 'OFFICER', true);
    for (const c of committeePlans) add(mainIds[c.street.officeIndex]!, 'COMMITTEE_MEMBER', false, c.id);
    for (const p of providers) {
      const count = rng.int(2, 5);
      for (let i = 0; i < count; i += 1) {
        const row = add(mainIds[p.orgIndex]!, 'SOCIAL_WORKER', i === 0);
        if (row.active) p.workers.push({ name: row.name, phone: row.phone! });
      }
    }
    return { rows, caseworkerRows, caseworkerStreets };
  }

  // ----- households and persons --------------------------------------------------------------

  planHouseholds(districtPlans: DistrictPlan[], committeePlans: CommitteePlan[]): HouseholdPlan[] {
    const rng = this.stream(4);
    const result: HouseholdPlan[] = [];
    const pickCommittee = (): CommitteePlan => {
      const d = rng.weightedPick(districtPlans, (x) => x.householdWeight);
      return rng.pick(rng.pick(d.streets).committees);
    };
    const usedAddresses = new Set<string>();
    for (let i = 0; i < HOUSEHOLD_COUNT; i += 1) {
      const committee = pickCommittee();
      let registered = committee;
      if (rng.chance(0.15)) {
        do {
          registered = rng.chance(0.65) ? rng.pick(committee.street.district.committees) : rng.pick(committeePlans);
        } while (registered === committee);
      }
      let address = this.address(rng, committee);
      while (usedAddresses.has(address)) address = this.address(rng, committee);
      usedAddresses.add(address);
      const members = this.planMembers(rng, registered.street.district.seed.code);
      const statuses = this.planStatuses(rng, members);
      result.push({
        committee,
        registered,
        address,
        members,
        statuses,
        salt: i,
        closedCaseDays: null,
        openCaseDay: null,
        hasOpenCase: rng.chance(statuses.length === 0 ? 0.35 : OPEN_CASE_SHARE + 0.02),
        hasClosedCase: rng.chance(CLOSED_CASE_SHARE),
        createdDay: 0,
        needs: [],
        id: 0,
        openCaseId: null,
      });
    }
    return result;
  }

  private address(rng: SeededRandom, c: CommitteePlan): string {
    if (c.kind === 'VILLAGERS') return `${c.street.nameZh}${c.road}${rng.int(1, 12)}组${rng.int(1, 180)}号`;
    const lane = c.laneBase + rng.int(0, 3) * 10;
    const floor = rng.int(1, rng.chance(0.7) ? 6 : 18);
    return `${c.road}${lane}弄${rng.int(1, 60)}号${floor}0${rng.int(1, 4)}室`;
  }

  private planMembers(rng: SeededRandom, registeredDistrictCode: string): PersonPlan[] {
    const size = rng.weightedPick([1, 2, 3, 4, 5], (n) => [35, 30, 20, 10, 5][n - 1]!);
    const surname = this.pickSurname(rng);
    type Spec = { relation: Relation; age: number; sex?: Sex; ownSurname?: boolean };
    const specs: Spec[] = [];
    const spouseOf = (age: number): number => Math.max(20, age + rng.int(-5, 3));
    const childOf = (age: number, min = 22, max = 36): number => Math.max(0, age - rng.int(min, max));
    const parentOf = (age: number): number => Math.min(98, age + rng.int(22, 32));
    const add = (relation: Relation, age: number, sex?: Sex, ownSurname = false) => specs.push({ relation, age, sex, ownSurname });

    if (size === 1) {
      const band = rng.weightedPick([[71, 92, 45], [60, 69, 20], [40, 59, 28], [25, 39, 7]] as const, (b) => b[2]);
      add('HEAD', rng.int(band[0], band[1]), rng.chance(0.55) ? 'FEMALE' : 'MALE');
    } else {
      const template = rng.weightedPick(HOUSEHOLD_TEMPLATES[size]!, (t) => t.weight);
      const headAge = rng.int(template.headAge[0], template.headAge[1]);
      const headSex: Sex = rng.chance(template.maleHead) ? 'MALE' : 'FEMALE';
      add('HEAD', headAge, headSex);
      let childAge = -1;
      for (const member of template.members) {
        switch (member) {
          case 'SPOUSE':
            add('SPOUSE', spouseOf(headAge), headSex === 'MALE' ? 'FEMALE' : 'MALE', true);
            break;
          case 'CHILD':
            childAge = childOf(headAge);
            add('CHILD', childAge);
            break;
          case 'ADULT_CHILD':
            childAge = clamp(childOf(headAge, 24, 34), 18, 60);
            add('CHILD', childAge);
            break;
          case 'CHILD_IN_LAW':
            add('OTHER', Math.max(20, childAge + rng.int(-3, 3)), undefined, true);
            break;
          case 'FATHER':
            add('PARENT', parentOf(headAge), 'MALE');
            break;
          case 'MOTHER':
            add('PARENT', parentOf(headAge), 'FEMALE', true);
            break;
          case 'PARENT':
            add('PARENT', parentOf(headAge));
            break;
          case 'GRANDCHILD':
            add('GRANDCHILD', childAge >= 0 ? clamp(childOf(childAge, 22, 32), 0, 17) : rng.int(3, Math.min(17, headAge - 40)));
            break;
        }
      }
    }

    const members = specs.map((spec) => {
      const sex: Sex = spec.sex ?? (rng.chance(0.5) ? 'MALE' : 'FEMALE');
      // Spouses, in-laws and mothers keep their own surname.
      const ownSurname = spec.ownSurname || (spec.relation === 'PARENT' && sex === 'FEMALE');
      return this.person(rng, {
        relation: spec.relation,
        age: spec.age,
        sex,
        surname: ownSurname ? this.pickSurname(rng, surname) : surname,
        districtCode: spec.relation === 'SPOUSE' || spec.relation === 'OTHER' ? (rng.chance(0.7) ? registeredDistrictCode : rng.pick(SHANGHAI_DISTRICTS).code) : registeredDistrictCode,
        livingAlone: size === 1,
      });
    });
    return members;
  }

  private person(
    rng: SeededRandom,
    spec: { relation: Relation; age: number; sex: Sex; surname: string; districtCode: string; livingAlone: boolean },
  ): PersonPlan {
    let birthDay = this.birthDayForAge(rng, spec.age);
    let age = this.ageOn(birthDay);
    // "Over 70" is unambiguous only if nobody living alone is exactly 70.
    if (spec.livingAlone && age === 70) {
      birthDay -= 366;
      age = this.ageOn(birthDay);
    }
    const birthDate = formatDay(birthDay);
    const birthYear = Number(birthDate.slice(0, 4));
    const idNumber = this.residentId(rng, this.areaCodeFor(rng, spec.districtCode, birthYear), birthDate, spec.sex);
    const sex = sexFromResidentId(idNumber);
    const attributes: PersonAttribute[] = [];
    if (rng.chance(0.08)) attributes.push('DISABILITY');
    if (spec.livingAlone && age > 70) attributes.push('ELDERLY_LIVING_ALONE');
    if (age < 18) attributes.push('MINOR');
    if (rng.chance(age >= 60 ? 0.075 : 0.035)) attributes.push('SERIOUS_ILLNESS');
    if (age >= 18 && age < 60 && rng.chance(0.1)) attributes.push('UNEMPLOYED');
    const phone = age < 18 ? null : rng.chance(age >= 80 ? 0.6 : age >= 65 ? 0.8 : 0.95) ? this.mobile(rng) : null;
    return { relation: spec.relation, name: this.personName(rng, spec.surname, sex, birthYear), idNumber, sex, birthDate, age, phone, attributes };
  }

  private planStatuses(rng: SeededRandom, members: PersonPlan[]): AssistanceStatus[] {
    const head = members[0]!;
    const ill = members.some((m) => m.attributes.includes('SERIOUS_ILLNESS'));
    if (members.length === 1 && (head.age >= 60 || head.attributes.includes('DISABILITY')) && rng.chance(0.3)) return ['EXTREME_POVERTY_SUPPORT'];
    const options: [AssistanceStatus[], number][] = [
      [['MINIMUM_LIVING_ALLOWANCE'], 48],
      [['LOW_INCOME'], 26],
      [['EXPENDITURE_POVERTY'], ill ? 20 : 7],
      [['LOW_INCOME', 'EXPENDITURE_POVERTY'], ill ? 16 : 6],
      [['EXTREME_POVERTY_SUPPORT'], members.length === 1 ? 4 : 1],
      [[], 7],
    ];
    return [...rng.weightedPick(options, (o) => o[1])[0]];
  }

  // ----- needs and cases ---------------------------------------------------------------------

  planNeeds(householdPlans: HouseholdPlan[]): void {
    const rng = this.stream(5);
    for (let i = 0; i < NEED_COUNT; i += 1) {
      const h = rng.weightedPick(householdPlans, (x) => (x.hasOpenCase ? 3 : 1) * (x.statuses.length === 0 ? 0.7 : 1));
      const elderly = h.members.some((m) => m.age >= 60);
      const minor = h.members.some((m) => m.age < 18);
      const unemployed = h.members.some((m) => m.attributes.includes('UNEMPLOYED'));
      const frail = h.members.some((m) => m.attributes.includes('DISABILITY') || m.attributes.includes('SERIOUS_ILLNESS'));
      const category = this.pickCategory(rng, {
        CARE_NURSING: 18 + (elderly ? 22 : 0) + (frail ? 12 : 0),
        PSYCHOLOGICAL_COUNSELLING: 16 + (frail ? 5 : 0) + (minor ? 4 : 0),
        CASE_ASSESSMENT: 18 + (h.hasOpenCase ? 0 : 6),
        CAPABILITY_DEVELOPMENT: 10 + (minor ? 8 : 0) + (unemployed ? 12 : 0),
        MEANS_INVESTIGATION: 7 + (h.statuses.length === 0 ? 15 : 0),
        BENEFICIARY_SCREENING: 4 + (h.statuses.length === 0 ? 8 : 0),
        POLICY_OUTREACH: 2,
      });
      const urgency = rng.weightedPick(URGENCIES, (u) => u[1])[0];
      const units = clamp(unitsFor(rng, category), 1, 20);
      const createdDay = this.todayDay - rng.int(1, 120);
      let earliestDay = Math.max(createdDay, this.todayDay - 90) + rng.int(0, 45);
      if (earliestDay > this.todayDay + 30) earliestDay = this.todayDay + 30 - rng.int(0, 14);
      const deadlineDay = rng.chance(0.35) ? null : earliestDay + rng.int(3, 90);
      const started = earliestDay <= this.todayDay - 3;
      const status = rng.weightedPick(started ? NEED_STATUSES_STARTED : NEED_STATUSES_UPCOMING, (s) => s[1])[0];
      const updatedDay = status === 'OPEN' ? createdDay : Math.min(this.todayDay - 1, Math.max(createdDay, earliestDay) + rng.int(0, 20));
      h.needs.push({
        household: h,
        category,
        urgency,
        units,
        earliestDay,
        deadlineDay,
        status,
        createdDay,
        updatedDay,
        notes: rng.chance(0.45) ? rng.pick(NEED_NOTES[category] ?? GENERIC_NEED_NOTES) : null,
        withdrawalReason: status === 'WITHDRAWN' ? rng.pick(WITHDRAWAL_REASONS) : null,
      });
    }
  }

  /** Case history and registration dates, all before the households are written. */
  planHouseholdDates(householdPlans: HouseholdPlan[]): void {
    const rng = this.stream(6);
    for (const h of householdPlans) {
      const firstNeed = h.needs.reduce((min, n) => Math.min(min, n.createdDay), this.todayDay - 1);
      let created = Math.min(firstNeed, this.todayDay - rng.int(30, 900));
      if (h.hasOpenCase) {
        h.openCaseDay = h.needs.length > 0 ? firstNeed - rng.int(1, 30) : this.todayDay - rng.int(5, 700);
        created = Math.min(created, h.openCaseDay);
      }
      if (h.hasClosedCase) {
        // An earlier episode, closed before the current case (if any) was opened.
        const latestClose = Math.min(this.todayDay - 30, (h.openCaseDay ?? this.todayDay) - rng.int(1, 60));
        const opened = Math.min(created, this.todayDay - rng.int(420, 1400), latestClose - 60);
        h.closedCaseDays = [opened, Math.min(opened + rng.int(60, 365), latestClose)];
        created = opened;
      }
      h.createdDay = created - rng.int(1, 10);
    }
  }

  /** Case rows, each household's closed case before its open one; needs the household and staff ids. */
  planCases(householdPlans: HouseholdPlan[]) {
    const rng = this.stream(7);
    const rows: (typeof cases.$inferInsert)[] = [];
    const byHouseholdId = new Map<number, HouseholdPlan>();
    for (const h of householdPlans) {
      byHouseholdId.set(h.id, h);
      // The competent street is that of the registered residence (户籍地).
      const street = h.registered.street;
      const caseworkers = street.activeCaseworkerIds;
      if (caseworkers.length === 0) throw new Error(`Demo data: no active caseworker in ${street.nameZh}`);
      if (h.closedCaseDays) {
        rows.push({
          householdId: h.id,
          ownerStreetId: street.id,
          ownerOrganizationId: street.officeId,
          caseworkerId: rng.pick(caseworkers),
          status: 'CLOSED',
          summary: `${this.caseSummary(rng, h)}已结案：${rng.pick(CLOSURE_NOTES)}。`,
          openedAt: this.timestampOn(h.closedCaseDays[0], h.salt + 1),
          closedAt: this.timestampOn(h.closedCaseDays[1], h.salt + 2),
        });
      }
      if (h.openCaseDay !== null) {
        rows.push({
          householdId: h.id,
          ownerStreetId: street.id,
          ownerOrganizationId: street.officeId,
          caseworkerId: rng.pick(caseworkers),
          status: 'OPEN',
          summary: this.caseSummary(rng, h),
          openedAt: this.timestampOn(h.openCaseDay, h.salt + 3),
        });
      }
    }
    return { rows, byHouseholdId };
  }

  private caseSummary(rng: SeededRandom, h: HouseholdPlan): string {
    const head = h.members[0]!;
    const label =
      h.statuses.includes('EXTREME_POVERTY_SUPPORT') ? '特困供养' :
      h.statuses.includes('MINIMUM_LIVING_ALLOWANCE') ? '低保' :
      h.statuses.includes('EXPENDITURE_POVERTY') ? (h.statuses.includes('LOW_INCOME') ? '低收入、支出型贫困' : '支出型贫困') :
      h.statuses.includes('LOW_INCOME') ? '低收入' : '待认定困难';
    let trait: string;
    if (head.attributes.includes('ELDERLY_LIVING_ALONE')) trait = '户主为高龄独居老人，需定期探访和生活照料';
    else if (h.members.some((m) => m.attributes.includes('SERIOUS_ILLNESS'))) trait = '家庭成员患重病，医疗支出大，需综合帮扶';
    else if (h.members.some((m) => m.attributes.includes('DISABILITY'))) trait = '家中有残疾人，需照护及康复支持';
    else if (h.members.some((m) => m.relation === 'GRANDCHILD') && !h.members.some((m) => m.relation === 'CHILD')) trait = '隔代抚养，未成年人需学业与心理支持';
    else if (h.members.some((m) => m.attributes.includes('UNEMPLOYED'))) trait = '劳动年龄成员失业，需就业帮扶';
    else if (h.members.some((m) => m.attributes.includes('MINOR'))) trait = '家有未成年子女，需关注其成长';
    else trait = rng.pick(['收入不稳定，需持续跟踪', '居住条件较差，需链接社区资源', '家庭关系紧张，需社工介入']);
    return `${label}家庭，${trait}。`;
  }

  // ----- resources ---------------------------------------------------------------------------

  planResources(providers: ProviderPlan[], mainIds: number[], districtPlans: DistrictPlan[]) {
    const rng = this.stream(8);
    const byCode = new Map(districtPlans.map((d) => [d.seed.code, d]));
    // Every provider not banned posts at least one resource; four banned ones keep a stale one.
    const counts = providers.map(() => 1);
    const eligible = providers.map((p, i) => ({ p, i })).filter((x) => x.p.status !== 'BANNED');
    let total = counts.reduce((a, b) => a + b, 0);
    while (total < RESOURCE_COUNT) {
      const x = rng.weightedPick(eligible, (e) => (e.p.kind === 'PUBLIC_INSTITUTION' ? 1.5 : e.p.kind === 'ENTERPRISE' ? 1.2 : 1));
      counts[x.i]! += 1;
      total += 1;
    }

    const rows: (typeof resources.$inferInsert)[] = [];
    const areas: (Omit<typeof resourceServiceAreas.$inferInsert, 'resourceId'>)[][] = [];
    providers.forEach((p, pi) => {
      const titles = new Set<string>();
      for (let k = 0; k < counts[pi]!; k += 1) {
        const lineOfWork = p.categories.filter((c) => this.hasCategory(c));
        const category: CategoryCode = lineOfWork.length > 0 && rng.chance(0.85) ? rng.pick(lineOfWork) : this.pickCategory(rng, { CARE_NURSING: 3, PSYCHOLOGICAL_COUNSELLING: 2, CASE_ASSESSMENT: 2, CAPABILITY_DEVELOPMENT: 2, POLICY_OUTREACH: 1 });
        const templates = RESOURCE_TEMPLATES[category];
        const template = rng.pick(templates);
        let title = template.title;
        if (titles.has(title)) title = `${title}（${rng.pick(p.district.streets).nameZh.replace(/街道$|镇$|乡$/, '')}）`;
        if (titles.has(title)) title = `${template.title}（第${k + 1}期）`;
        titles.add(title);

        const availableFromDay = this.todayDay - rng.int(0, 365);
        const availableUntilDay = rng.chance(0.5) ? null : this.todayDay + rng.int(1, 365);
        const statusRoll = rng.next();
        const status = statusRoll < 0.85 ? 'ACTIVE' : statusRoll < 0.9 ? 'PAUSED' : 'CLOSED';
        const createdDay = Math.max(availableFromDay - rng.int(0, 14), this.todayDay - 400);
        const closedDay = status === 'CLOSED' ? Math.max(availableFromDay, this.todayDay - rng.int(1, 60)) : null;
        const createdAt = this.timestampOn(createdDay, rows.length);
        const closedAt = closedDay === null ? null : notBefore(createdAt, this.timestampOn(closedDay, rows.length + 1));
        const capacityRoll = rng.next();
        const capacity = capacityRoll < 0.04 ? 0 : capacityRoll < 0.94 ? rng.int(5, 60) : rng.int(61, 200);
        const eligibleStatuses: AssistanceStatus[] = rng.chance(0.5) ? [] : [...rng.pick(ELIGIBILITY_SETS)];
        const worker = p.workers.length > 0 && rng.chance(0.85) ? rng.pick(p.workers) : null;
        const cost = rng.weightedPick(COSTS, (c) => (p.kind === 'ENTERPRISE' ? c[2] : c[1]))[0];
        const ageLimited = template.minAge !== undefined || template.maxAge !== undefined;
        rows.push({
          providerId: mainIds[p.orgIndex]!,
          categoryId: this.categoryId(category),
          title,
          description: rng.chance(0.7) ? `${template.description}服务范围以${p.district.seed.nameZh}为主。` : null,
          capacity,
          capacityPeriod: template.period ?? rng.weightedPick(PERIODS, (x) => x[1])[0],
          eligibleStatuses,
          minAge: ageLimited ? (template.minAge ?? null) : rng.chance(0.08) ? 18 : null,
          maxAge: ageLimited ? (template.maxAge ?? null) : null,
          availableFrom: formatDay(availableFromDay),
          availableUntil: availableUntilDay === null ? null : formatDay(availableUntilDay),
          status,
          cost,
          contactName: worker?.name ?? null,
          contactPhone: worker?.phone ?? this.fixedLine(rng),
          isPublic: rng.chance(0.6),
          closedAt,
          closureReason: closedAt === null ? null : rng.pick(RESOURCE_CLOSURE_REASONS),
          createdAt,
          updatedAt: closedAt ?? createdAt,
        });
        areas.push(this.serviceArea(rng, p, byCode));
      }
    });
    return { rows, areas };
  }

  private serviceArea(rng: SeededRandom, p: ProviderPlan, byCode: Map<string, DistrictPlan>) {
    const count = rng.weightedPick([1, 2, 3, 4], (n) => [35, 30, 20, 15][n - 1]!);
    const entries: Omit<typeof resourceServiceAreas.$inferInsert, 'resourceId'>[] = [];
    const keys = new Set<string>();
    for (let attempt = 0; entries.length < count && attempt < 20; attempt += 1) {
      const roll = rng.next();
      const d = roll < 0.75 ? p.district : roll < 0.95 ? byCode.get(rng.pick(NEIGHBOURS[p.district.seed.code] ?? [p.district.seed.code])) ?? p.district : rng.pick([...byCode.values()]);
      const level = rng.weightedPick(['DISTRICT', 'STREET', 'COMMITTEE'] as const, (l) => (l === 'DISTRICT' ? (p.kind === 'PUBLIC_INSTITUTION' ? 40 : 20) : l === 'STREET' ? 45 : 30));
      const street = d === p.district && rng.chance(0.35) ? p.street : rng.pick(d.streets);
      const committee = level === 'COMMITTEE' ? rng.pick(street.committees) : null;
      const key = `${level}:${d.id}:${level === 'DISTRICT' ? 0 : street.id}:${committee?.id ?? 0}`;
      if (keys.has(key)) continue;
      keys.add(key);
      entries.push({
        level,
        districtId: d.id,
        streetId: level === 'DISTRICT' ? null : street.id,
        committeeId: committee?.id ?? null,
      });
    }
    return entries;
  }

  // ----- people, numbers and dates -----------------------------------------------------------

  private pickSurname(rng: SeededRandom, avoid?: string): string {
    for (;;) {
      const surname = rng.weightedPick(SURNAMES, (s) => s[1])[0];
      if (surname !== avoid) return surname;
    }
  }

  private personName(rng: SeededRandom, surname: string, sex: Sex, birthYear: number): string {
    const era = birthYear < 1960 ? GIVEN_NAMES.old : birthYear < 1985 ? GIVEN_NAMES.middle : GIVEN_NAMES.young;
    return surname + rng.pick(sex === 'MALE' ? era.male : era.female);
  }

  private birthDayForAge(rng: SeededRandom, age: number): number {
    // Somewhere in the year that ends on the day they turn age + 1.
    let day = this.todayDay - Math.floor(age * 365.2425) - rng.int(1, 364);
    if (day > this.latestBirthDay) day = this.latestBirthDay - rng.int(0, 120);
    return day;
  }

  private ageOn(birthDay: number): number {
    const birth = new Date(birthDay * DAY_MS);
    const monthDay = (birth.getUTCMonth() + 1) * 100 + birth.getUTCDate();
    return this.todayYear - birth.getUTCFullYear() - (monthDay > this.todayMonthDay ? 1 : 0);
  }

  private areaCodeFor(rng: SeededRandom, districtCode: string, birthYear: number): string {
    const former = (FORMER_AREA_CODES[districtCode] ?? []).filter(([, before]) => birthYear < before);
    if (former.length > 0 && rng.chance(0.6)) return rng.pick(former)[0];
    return districtCode;
  }

  private residentId(rng: SeededRandom, areaCode: string, birthDate: string, sex: Sex): string {
    const parity = sex === 'MALE' ? 1 : 0;
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      const sequence = rng.int(0, 499) * 2 + parity;
      const key = `${areaCode}${birthDate}${sequence}`;
      if (this.usedIdPrefixes.has(key)) continue;
      this.usedIdPrefixes.add(key);
      return makeResidentId({ areaCode, birthDate, sequence });
    }
    throw new Error(`No free resident ID sequence for ${areaCode} ${birthDate}`);
  }

  private mobile(rng: SeededRandom): string {
    for (;;) {
      const phone = `${rng.pick(MOBILE_PREFIXES)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
      if (this.usedPhones.has(phone)) continue;
      this.usedPhones.add(phone);
      return checkedPhone(phone);
    }
  }

  private fixedLine(rng: SeededRandom): string {
    for (;;) {
      const phone = `021-${rng.pick(['5', '6', '3'])}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
      if (this.usedPhones.has(phone)) continue;
      this.usedPhones.add(phone);
      return checkedPhone(phone);
    }
  }

  /**
   * A unified social credit code (GB 32100-2015) with valid check characters:
   * registration authority + type (2), area code (6), organisation code (8 + GB 11714 check), check.
   */
  private creditCode(rng: SeededRandom, prefix: string, areaCode: string): string {
    for (;;) {
      let body: string;
      if (prefix.startsWith('5')) body = `MJ${randomChars(rng, '0123456789', 6)}`;
      else if (prefix === '91') body = `MA1${randomChars(rng, '0123456789ABCDEFGHJKLMNPQRTUWXY', 5)}`;
      else body = `00${randomChars(rng, '0123456789', 6)}`;
      const orgCode = body + organisationCodeCheck(body);
      const first17 = `${prefix}${areaCode}${orgCode}`;
      const code = first17 + creditCodeCheck(first17);
      if (this.usedCreditCodes.has(code)) continue;
      this.usedCreditCodes.add(code);
      return code;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reference tables

const SOCIAL_ORGANIZATION_TYPES: readonly { zh: string; en: string; weight: number; branded: boolean; creditPrefix: string; categories: readonly CategoryCode[] }[] = [
  { zh: '社工师事务所', en: 'Social Work Firm', weight: 30, branded: true, creditPrefix: '52', categories: ['CASE_ASSESSMENT', 'PSYCHOLOGICAL_COUNSELLING', 'CAPABILITY_DEVELOPMENT', 'BENEFICIARY_SCREENING', 'MEANS_INVESTIGATION'] },
  { zh: '社会工作服务社', en: 'Social Work Service Agency', weight: 30, branded: true, creditPrefix: '52', categories: ['CASE_ASSESSMENT', 'CARE_NURSING', 'PSYCHOLOGICAL_COUNSELLING', 'CAPABILITY_DEVELOPMENT'] },
  { zh: '社会工作服务中心', en: 'Social Work Service Center', weight: 14, branded: true, creditPrefix: '52', categories: ['CASE_ASSESSMENT', 'PSYCHOLOGICAL_COUNSELLING', 'CAPABILITY_DEVELOPMENT'] },
  { zh: '助老服务社', en: 'Elderly Care Service Agency', weight: 20, branded: true, creditPrefix: '52', categories: ['CARE_NURSING'] },
  { zh: '居家养老服务中心', en: 'Home-based Elderly Care Center', weight: 10, branded: true, creditPrefix: '52', categories: ['CARE_NURSING'] },
  { zh: '心理咨询服务中心', en: 'Psychological Counselling Center', weight: 12, branded: true, creditPrefix: '52', categories: ['PSYCHOLOGICAL_COUNSELLING'] },
  { zh: '志愿者协会', en: 'Volunteers Association', weight: 8, branded: true, creditPrefix: '51', categories: ['CARE_NURSING', 'POLICY_OUTREACH', 'BENEFICIARY_SCREENING'] },
  { zh: '青少年发展中心', en: 'Youth Development Center', weight: 8, branded: true, creditPrefix: '52', categories: ['CAPABILITY_DEVELOPMENT', 'PSYCHOLOGICAL_COUNSELLING'] },
  { zh: '助残服务社', en: 'Disability Support Service Agency', weight: 6, branded: true, creditPrefix: '52', categories: ['CARE_NURSING', 'CAPABILITY_DEVELOPMENT'] },
  { zh: '职业技能培训中心', en: 'Vocational Skills Training Center', weight: 6, branded: true, creditPrefix: '52', categories: ['CAPABILITY_DEVELOPMENT'] },
  { zh: '公益服务评估中心', en: 'Public Welfare Evaluation Center', weight: 4, branded: true, creditPrefix: '52', categories: ['PERFORMANCE_EVALUATION', 'POLICY_RESEARCH'] },
  { zh: '社会工作者协会', en: 'Social Workers Association', weight: 3, branded: false, creditPrefix: '51', categories: ['STAFF_TRAINING', 'POLICY_RESEARCH', 'POLICY_OUTREACH'] },
  { zh: '慈善基金会', en: 'Charity Foundation', weight: 2, branded: true, creditPrefix: '53', categories: ['CARE_NURSING', 'CAPABILITY_DEVELOPMENT'] },
];

const PUBLIC_INSTITUTION_TYPES: readonly { zh: string; en: string; weight: number; perStreet: boolean; categories: readonly CategoryCode[] }[] = [
  { zh: '社区卫生服务中心', en: 'Community Health Service Center', weight: 6, perStreet: true, categories: ['CARE_NURSING'] },
  { zh: '社会福利院', en: 'Social Welfare Institute', weight: 3, perStreet: false, categories: ['CARE_NURSING'] },
  { zh: '精神卫生中心', en: 'Mental Health Center', weight: 3, perStreet: false, categories: ['PSYCHOLOGICAL_COUNSELLING', 'CASE_ASSESSMENT'] },
  { zh: '老年护理院', en: 'Geriatric Nursing Home', weight: 2, perStreet: false, categories: ['CARE_NURSING'] },
  { zh: '社会救助事务管理中心', en: 'Social Assistance Affairs Management Center', weight: 3, perStreet: false, categories: ['MEANS_INVESTIGATION', 'BENEFICIARY_SCREENING', 'CASE_ASSESSMENT'] },
  { zh: '残疾人职业康复中心', en: 'Vocational Rehabilitation Center for Persons with Disabilities', weight: 2, perStreet: false, categories: ['CAPABILITY_DEVELOPMENT', 'CARE_NURSING'] },
  { zh: '社会工作发展中心', en: 'Social Work Development Center', weight: 1, perStreet: false, categories: ['STAFF_TRAINING', 'POLICY_RESEARCH', 'PERFORMANCE_EVALUATION'] },
  { zh: '青少年活动中心', en: 'Youth Activity Center', weight: 2, perStreet: false, categories: ['CAPABILITY_DEVELOPMENT'] },
];

const ENTERPRISE_TYPES: readonly { zh: string; en: string; weight: number; categories: readonly CategoryCode[] }[] = [
  { zh: '家政服务有限公司', en: 'Housekeeping Services Co., Ltd.', weight: 8, categories: ['CARE_NURSING'] },
  { zh: '养老服务有限公司', en: 'Elderly Care Services Co., Ltd.', weight: 6, categories: ['CARE_NURSING'] },
  { zh: '护理站有限公司', en: 'Nursing Station Co., Ltd.', weight: 5, categories: ['CARE_NURSING'] },
  { zh: '健康管理有限公司', en: 'Health Management Co., Ltd.', weight: 3, categories: ['CARE_NURSING', 'PSYCHOLOGICAL_COUNSELLING'] },
  { zh: '人力资源有限公司', en: 'Human Resources Co., Ltd.', weight: 3, categories: ['CAPABILITY_DEVELOPMENT'] },
  { zh: '信息咨询有限公司', en: 'Information Consulting Co., Ltd.', weight: 3, categories: ['MEANS_INVESTIGATION', 'BENEFICIARY_SCREENING', 'PERFORMANCE_EVALUATION'] },
  { zh: '教育科技有限公司', en: 'Education Technology Co., Ltd.', weight: 2, categories: ['CAPABILITY_DEVELOPMENT', 'STAFF_TRAINING'] },
];

type Period = 'ONCE' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';
interface ResourceTemplate {
  readonly title: string;
  readonly description: string;
  readonly minAge?: number;
  readonly maxAge?: number;
  readonly period?: Period;
}

const RESOURCE_TEMPLATES: Readonly<Record<CategoryCode, readonly ResourceTemplate[]>> = {
  CARE_NURSING: [
    { title: '助餐送餐服务', description: '为行动不便的老人提供午餐配送到户。', minAge: 60, period: 'DAY' },
    { title: '居家照护上门服务', description: '护理员上门提供生活照料、清洁和基础护理。', minAge: 60 },
    { title: '独居老人定期探访', description: '志愿者和社工每周上门探访，关注安全与健康状况。', minAge: 70, period: 'WEEK' },
    { title: '助浴助洁服务', description: '为失能、半失能老人提供上门助浴和居室清洁。', minAge: 60 },
    { title: '长期护理保险居家护理', description: '按评估等级提供居家护理服务。', minAge: 60, period: 'MONTH' },
    { title: '残疾人居家托养服务', description: '为重度残疾人提供居家托养和康复指导。' },
    { title: '陪同就医服务', description: '陪同困难群众前往医院就诊、取药。' },
    { title: '喘息服务', description: '为长期照护家属提供短期替代照护。', period: 'MONTH' },
    { title: '家庭病床护理', description: '护士上门提供换药、注射等护理服务。' },
  ],
  PSYCHOLOGICAL_COUNSELLING: [
    { title: '一对一心理疏导', description: '由心理咨询师提供个别心理辅导。' },
    { title: '青少年心理成长小组', description: '面向困境青少年的团体辅导活动。', minAge: 10, maxAge: 17 },
    { title: '哀伤辅导', description: '为失去亲人的家庭提供哀伤陪伴与辅导。' },
    { title: '家庭关系调适', description: '帮助家庭成员改善沟通、缓解矛盾。' },
    { title: '老年人心理关爱', description: '针对孤独、抑郁情绪的老年人开展心理关爱。', minAge: 60 },
    { title: '心理援助热线回访', description: '热线来电后的电话回访与转介。', period: 'WEEK' },
  ],
  CASE_ASSESSMENT: [
    { title: '困难家庭个案评估', description: '社工入户评估家庭需求，制定服务计划。' },
    { title: '入户需求评估', description: '对新申请家庭开展入户需求评估。' },
    { title: '困境儿童个案管理', description: '对困境儿童开展评估与持续个案管理。', maxAge: 17 },
    { title: '残疾人需求评估', description: '评估残疾人照护、康复和就业需求。' },
    { title: '综合评估与服务计划制定', description: '多专业团队联合评估，形成综合帮扶方案。', period: 'MONTH' },
  ],
  CAPABILITY_DEVELOPMENT: [
    { title: '就业技能培训', description: '提供家政、烹饪、电商等实用技能培训。', minAge: 16, maxAge: 59 },
    { title: '困境儿童课业辅导', description: '志愿者教师提供课后作业辅导。', minAge: 6, maxAge: 17, period: 'WEEK' },
    { title: '职业指导与岗位推荐', description: '一对一职业指导，推荐合适岗位。', minAge: 18, maxAge: 59 },
    { title: '青少年暑期成长营', description: '暑期开展素质拓展与成长营活动。', minAge: 8, maxAge: 17, period: 'YEAR' },
    { title: '老年人智能手机使用培训', description: '教授老人使用智能手机和线上办事。', minAge: 55, period: 'MONTH' },
    { title: '家庭理财能力课程', description: '帮助困难家庭学习收支规划。' },
  ],
  MEANS_INVESTIGATION: [
    { title: '家计调查入户核查', description: '协助街镇开展家庭经济状况入户调查。' },
    { title: '家庭经济状况调查协助', description: '协助收集、整理家庭收入和财产材料。', period: 'MONTH' },
  ],
  BENEFICIARY_SCREENING: [
    { title: '困难群众主动发现排查', description: '在社区开展走访排查，主动发现困难群众。', period: 'MONTH' },
    { title: '社区走访排查', description: '配合居村委会逐户走访，更新困难家庭台账。', period: 'MONTH' },
  ],
  STAFF_TRAINING: [
    { title: '社会救助经办人员业务培训', description: '面向街镇经办人员的政策与实务培训。', period: 'YEAR' },
    { title: '社工实务督导', description: '为一线社工提供个案督导。', period: 'MONTH' },
  ],
  POLICY_OUTREACH: [
    { title: '社会救助政策进社区宣讲', description: '在社区开展政策宣讲和咨询。', period: 'MONTH' },
    { title: '政策咨询服务点', description: '在社区设立政策咨询点，解答救助申请问题。', period: 'WEEK' },
  ],
  PERFORMANCE_EVALUATION: [
    { title: '购买服务项目绩效评价', description: '对政府购买服务项目开展第三方绩效评价。', period: 'YEAR' },
    { title: '服务对象满意度测评', description: '开展服务对象满意度电话和入户测评。', period: 'YEAR' },
  ],
  POLICY_RESEARCH: [
    { title: '社会救助政策课题研究', description: '围绕社会救助热点问题开展课题研究。', period: 'YEAR' },
    { title: '支出型贫困家庭调研', description: '对支出型贫困家庭开展专题调研。', period: 'YEAR' },
  ],
};

const PERIODS: readonly (readonly [Period, number])[] = [['WEEK', 40], ['MONTH', 40], ['DAY', 8], ['ONCE', 6], ['YEAR', 6]];
const COSTS: readonly (readonly ['FREE' | 'CONTRACT_FUNDED' | 'SUBSIDISED', number, number])[] = [
  ['FREE', 40, 10],
  ['CONTRACT_FUNDED', 40, 50],
  ['SUBSIDISED', 20, 40],
];
const ELIGIBILITY_SETS: readonly (readonly AssistanceStatus[])[] = [
  ['MINIMUM_LIVING_ALLOWANCE'],
  ['MINIMUM_LIVING_ALLOWANCE', 'EXTREME_POVERTY_SUPPORT'],
  ['MINIMUM_LIVING_ALLOWANCE', 'LOW_INCOME'],
  ['LOW_INCOME'],
  ['EXTREME_POVERTY_SUPPORT'],
  ['EXPENDITURE_POVERTY'],
  ['LOW_INCOME', 'EXPENDITURE_POVERTY'],
];
const RESOURCE_CLOSURE_REASONS = ['服务合同到期', '机构调整服务方向', '服务人员不足，暂停承接', '项目合并至区级统一服务', '场地改造，服务终止'];

const URGENCIES: readonly (readonly ['CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW', number])[] = [['CRITICAL', 5], ['HIGH', 20], ['NORMAL', 55], ['LOW', 20]];
// Needs whose window has started can be fulfilled; upcoming ones cannot. Together: ~65/15/15/5.
const NEED_STATUSES_STARTED: readonly (readonly ['OPEN' | 'MATCHED' | 'FULFILLED' | 'WITHDRAWN', number])[] = [['OPEN', 59], ['MATCHED', 16.5], ['FULFILLED', 19], ['WITHDRAWN', 5.5]];
const NEED_STATUSES_UPCOMING: readonly (readonly ['OPEN' | 'MATCHED' | 'FULFILLED' | 'WITHDRAWN', number])[] = [['OPEN', 88], ['MATCHED', 9], ['WITHDRAWN', 3]];

function unitsFor(rng: SeededRandom, category: CategoryCode): number {
  switch (category) {
    case 'CARE_NURSING':
      return rng.chance(0.6) ? rng.int(2, 8) : rng.int(9, 20);
    case 'PSYCHOLOGICAL_COUNSELLING':
      return rng.int(1, 10);
    case 'CAPABILITY_DEVELOPMENT':
      return rng.int(2, 16);
    case 'CASE_ASSESSMENT':
      return rng.int(1, 3);
    case 'MEANS_INVESTIGATION':
      return rng.int(1, 2);
    default:
      return rng.int(1, 2);
  }
}

const NEED_NOTES: Partial<Record<CategoryCode, readonly string[]>> = {
  CARE_NURSING: ['独居老人，行动不便，需每周上门助洁', '子女在外地，希望提供助餐送餐', '老人术后康复期，需上门护理', '失能老人，家属照护压力大', '需要陪同去医院复诊'],
  PSYCHOLOGICAL_COUNSELLING: ['丧偶后情绪低落，需要心理疏导', '孩子厌学，亲子关系紧张', '长期失业，情绪焦虑', '家庭矛盾突出，需调解与辅导'],
  CASE_ASSESSMENT: ['新申请低保，需入户评估', '家庭情况变化，需重新评估', '居委会反映情况，需社工跟进'],
  CAPABILITY_DEVELOPMENT: ['户主失业半年，希望参加技能培训', '孩子学习困难，需要课业辅导', '希望推荐就近就业岗位', '老人想学习使用智能手机'],
  MEANS_INVESTIGATION: ['申请低收入认定，需核查家庭收入', '收入变动，需复核家庭经济状况'],
  BENEFICIARY_SCREENING: ['邻居反映家庭生活困难，需走访核实'],
  POLICY_OUTREACH: ['对救助政策不了解，需上门讲解'],
};
const GENERIC_NEED_NOTES = ['请社工尽快联系', '家属联系电话见档案'];
const WITHDRAWAL_REASONS = ['家庭已自行解决', '已迁出本市', '申请人主动撤回', '已由亲属照料', '重复登记', '已入住养老机构'];
const CLOSURE_NOTES = ['家庭收入改善，退出救助', '服务计划已完成', '户籍迁出本区，转交属地', '已入住养老机构，由机构照护', '服务对象去世'];

type MemberSlot = 'SPOUSE' | 'CHILD' | 'ADULT_CHILD' | 'CHILD_IN_LAW' | 'FATHER' | 'MOTHER' | 'PARENT' | 'GRANDCHILD';
interface HouseholdTemplate {
  readonly weight: number;
  readonly headAge: readonly [number, number];
  readonly maleHead: number;
  readonly members: readonly MemberSlot[];
}
const HOUSEHOLD_TEMPLATES: Readonly<Record<number, readonly HouseholdTemplate[]>> = {
  2: [
    { weight: 35, headAge: [60, 88], maleHead: 0.7, members: ['SPOUSE'] },
    { weight: 30, headAge: [32, 55], maleHead: 0.35, members: ['CHILD'] },
    { weight: 15, headAge: [35, 60], maleHead: 0.5, members: ['PARENT'] },
    { weight: 10, headAge: [55, 75], maleHead: 0.4, members: ['GRANDCHILD'] },
    { weight: 10, headAge: [60, 85], maleHead: 0.4, members: ['ADULT_CHILD'] },
  ],
  3: [
    { weight: 50, headAge: [30, 55], maleHead: 0.7, members: ['SPOUSE', 'CHILD'] },
    { weight: 20, headAge: [32, 50], maleHead: 0.35, members: ['CHILD', 'CHILD'] },
    { weight: 15, headAge: [40, 60], maleHead: 0.6, members: ['SPOUSE', 'PARENT'] },
    { weight: 15, headAge: [55, 72], maleHead: 0.7, members: ['SPOUSE', 'GRANDCHILD'] },
  ],
  4: [
    { weight: 45, headAge: [32, 55], maleHead: 0.7, members: ['SPOUSE', 'CHILD', 'CHILD'] },
    { weight: 30, headAge: [35, 58], maleHead: 0.7, members: ['SPOUSE', 'CHILD', 'PARENT'] },
    { weight: 25, headAge: [58, 75], maleHead: 0.7, members: ['SPOUSE', 'ADULT_CHILD', 'GRANDCHILD'] },
  ],
  5: [
    { weight: 40, headAge: [35, 55], maleHead: 0.7, members: ['SPOUSE', 'CHILD', 'CHILD', 'PARENT'] },
    { weight: 25, headAge: [35, 55], maleHead: 0.7, members: ['SPOUSE', 'CHILD', 'FATHER', 'MOTHER'] },
    { weight: 35, headAge: [58, 75], maleHead: 0.7, members: ['SPOUSE', 'ADULT_CHILD', 'CHILD_IN_LAW', 'GRANDCHILD'] },
  ],
};

// ---------------------------------------------------------------------------------------------
// Helpers

async function inChunks<T, R>(rows: readonly T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < rows.length; start += CHUNK_SIZE) {
    const result = await run(rows.slice(start, start + CHUNK_SIZE));
    for (const row of result) out.push(row);
  }
  return out;
}

/** INSERT … RETURNING gives rows in VALUES order on PostgreSQL; check instead of trusting it silently. */
function assertSameOrder<R, P>(label: string, returned: readonly R[], planned: readonly P[], same: (row: R, plan: P) => boolean): void {
  if (returned.length !== planned.length) throw new Error(`Demo data: ${label} returned ${returned.length} rows for ${planned.length}`);
  returned.forEach((row, i) => {
    if (!same(row, planned[i]!)) throw new Error(`Demo data: ${label} rows came back out of order at ${i}`);
  });
}

/** `candidate`, or half an hour after `earlier` if it would come first (same-day events). */
function notBefore(earlier: Date, candidate: Date): Date {
  return candidate.getTime() > earlier.getTime() ? candidate : new Date(earlier.getTime() + 30 * 60_000);
}

function checkedPhone(phone: string): string {
  if (!isValidMainlandPhone(phone)) throw new Error(`Demo data generated an invalid phone number: ${phone}`);
  return phone;
}

function randomChars(rng: SeededRandom, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet.charAt(rng.int(0, alphabet.length - 1));
  return out;
}

const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CREDIT_CODE_CHARS.indexOf(first17.charAt(i)) * CREDIT_CODE_WEIGHTS[i]!;
  return CREDIT_CODE_CHARS.charAt((31 - (sum % 31)) % 31);
}

function organisationCodeCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += parseInt(body8.charAt(i), 36) * weights[i]!;
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function shanghaiToday(): string {
  return new Date(Date.now() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function parseDay(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`today must be YYYY-MM-DD: ${iso}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (formatDay(ms / DAY_MS) !== iso) throw new RangeError(`today is not a real date: ${iso}`);
  return ms / DAY_MS;
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
