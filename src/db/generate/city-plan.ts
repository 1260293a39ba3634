/**
 * The city-sized data set (issue 7): Shanghai at full scale, for load tests. Pure planning: it
 * turns a seed, a scale and a day into rows, table by table in foreign-key order, with explicit
 * ids so they can be bulk-loaded (COPY) without reading anything back.
 *
 * Unlike the demo seed (src/db/seed/), which is small and rich, this aims at volume with
 * realistic skew: households concentrate in the central districts and in some committees,
 * catalogue items are uneven, a few providers post many resources and a few resources take
 * many referrals. It keeps the hub's rules: a need's status follows its referrals (MATCHED has
 * a live referral, FULFILLED a completed one covering its units, OPEN and WITHDRAWN none live),
 * a resource's held units are the units of its live referrals and never exceed its capacity,
 * a referral goes to its resource's provider, resident ID numbers carry valid check digits.
 */
import { SeededRandom } from '../../common/random';
import { makeResidentId } from '../../common/resident-id';
import { SHANGHAI_DISTRICTS, type DistrictSeed } from '../seed/shanghai-geography';
import { ESTATE_NAME_PARTS, ESTATE_SUFFIXES, GIVEN_NAMES, MOBILE_PREFIXES, PROVIDER_BRANDS, ROADS_BY_DISTRICT, SURNAMES, VILLAGE_NAME_PARTS } from '../seed/demo-names';

/** Row counts at scale 1.0; districts, streets, bureaus and centres do not scale. */
export const CITY_SIZES = {
  committees: 6000,
  providers: 3000,
  resources: 20_000,
  households: 150_000,
  needs: 300_000,
  referrals: 150_000,
} as const;

export const CITY_SEED = 20_261_127;

export type Cell = string | number | boolean | null | Date | readonly string[];

/** One table's rows, in column order; written in the order the plan lists them. */
export interface TableRows {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: Cell[][];
}

export interface CityPlanOptions {
  readonly seed: number;
  readonly scale: number;
  /** YYYY-MM-DD in Shanghai: the day the data set is built for. */
  readonly today: string;
  /** Live catalogue items by code. */
  readonly categories: ReadonlyMap<string, number>;
}

export interface CityPlan {
  readonly tables: readonly TableRows[];
  /** Rows per table. */
  readonly counts: Readonly<Record<string, number>>;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Uneven demand: care and counselling dominate, administrative items are rare. */
const NEED_CATEGORY_WEIGHTS: Readonly<Record<string, number>> = {
  CARE_NURSING: 34,
  PSYCHOLOGICAL_COUNSELLING: 18,
  CASE_ASSESSMENT: 17,
  CAPABILITY_DEVELOPMENT: 14,
  MEANS_INVESTIGATION: 9,
  BENEFICIARY_SCREENING: 5,
  POLICY_OUTREACH: 3,
};

const PROVIDER_TYPES: readonly { kind: 'SOCIAL_ORGANIZATION' | 'PUBLIC_INSTITUTION' | 'ENTERPRISE'; zh: string; en: string; weight: number; prefix: string; categories: readonly string[] }[] = [
  { kind: 'SOCIAL_ORGANIZATION', zh: '社会工作服务社', en: 'Social Work Service Agency', weight: 30, prefix: '52', categories: ['CASE_ASSESSMENT', 'PSYCHOLOGICAL_COUNSELLING', 'CAPABILITY_DEVELOPMENT'] },
  { kind: 'SOCIAL_ORGANIZATION', zh: '为老服务中心', en: 'Elderly Care Service Centre', weight: 22, prefix: '52', categories: ['CARE_NURSING'] },
  { kind: 'SOCIAL_ORGANIZATION', zh: '心理咨询服务中心', en: 'Counselling Service Centre', weight: 10, prefix: '52', categories: ['PSYCHOLOGICAL_COUNSELLING'] },
  { kind: 'SOCIAL_ORGANIZATION', zh: '公益发展中心', en: 'Public Welfare Development Centre', weight: 12, prefix: '52', categories: ['CAPABILITY_DEVELOPMENT', 'POLICY_OUTREACH'] },
  { kind: 'PUBLIC_INSTITUTION', zh: '社区卫生服务中心', en: 'Community Health Service Centre', weight: 10, prefix: '12', categories: ['CARE_NURSING', 'CASE_ASSESSMENT'] },
  { kind: 'ENTERPRISE', zh: '居家养老服务有限公司', en: 'Home Care Services Co., Ltd.', weight: 12, prefix: '91', categories: ['CARE_NURSING'] },
  { kind: 'ENTERPRISE', zh: '社会调查咨询有限公司', en: 'Social Survey Consulting Co., Ltd.', weight: 4, prefix: '91', categories: ['MEANS_INVESTIGATION', 'BENEFICIARY_SCREENING'] },
];

const RESOURCE_TITLES: Readonly<Record<string, readonly string[]>> = {
  CARE_NURSING: ['居家照护上门服务', '助浴助洁服务', '长者日间照料', '失能老人喘息服务', '康复护理指导'],
  PSYCHOLOGICAL_COUNSELLING: ['心理疏导个案服务', '哀伤辅导小组', '青少年心理支持', '家庭关系调适'],
  CASE_ASSESSMENT: ['困难家庭需求评估', '个案综合评估', '入户走访评估'],
  CAPABILITY_DEVELOPMENT: ['就业能力提升培训', '儿童课业辅导', '技能培训与岗位对接', '家庭理财能力小组'],
  MEANS_INVESTIGATION: ['家庭经济状况入户调查', '收入财产核查协助'],
  BENEFICIARY_SCREENING: ['低收入家庭主动发现排查', '困难群众走访筛查'],
  POLICY_OUTREACH: ['救助政策宣讲进社区', '政策咨询服务点'],
};

const OUTCOMES = ['按计划完成上门服务', '服务完成，家属表示满意', '完成评估并制定后续计划', '完成阶段性服务目标'];
const DECLINES = ['服务人员已满，暂无法承接', '服务对象不在可服务时段', '服务对象拒绝上门'];
const WITHDRAWALS = ['家庭已自行解决', '家庭迁出本市', '需求已由其他渠道满足'];

/** A weighted picker built once: O(log n) per draw instead of SeededRandom.weightedPick's O(n). */
class Picker<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;
  constructor(
    private readonly items: readonly T[],
    weight: (item: T, index: number) => number,
  ) {
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    items.forEach((item, i) => {
      sum += Math.max(0, weight(item, i));
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new RangeError('Picker needs a positive total weight');
    this.total = sum;
  }
  pick(rng: SeededRandom): T {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

interface District {
  readonly id: number;
  readonly seed: DistrictSeed;
  readonly weight: number;
  readonly streets: Street[];
  readonly committees: Committee[];
}
interface Street {
  readonly id: number;
  readonly district: District;
  readonly kind: 'STREET' | 'TOWN';
  readonly nameZh: string;
  readonly committees: Committee[];
  officeId: number;
  readonly caseworkers: number[];
}
interface Committee {
  readonly id: number;
  readonly street: Street;
  readonly kind: 'RESIDENTS' | 'VILLAGERS';
  readonly road: string;
  readonly density: number;
}
interface Household {
  readonly id: number;
  readonly committee: Committee;
  readonly registered: Committee;
  readonly elderly: boolean;
  readonly young: boolean;
  readonly frail: boolean;
  readonly createdDay: number;
  openCaseId: number | null;
}
interface Resource {
  readonly id: number;
  readonly providerId: number;
  readonly category: string;
  readonly capacity: number;
  held: number;
  readonly live: boolean;
}
interface Need {
  readonly id: number;
  readonly household: Household;
  readonly category: string;
  readonly units: number;
  status: 'OPEN' | 'MATCHED' | 'FULFILLED' | 'WITHDRAWN';
  readonly createdDay: number;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function parseDay(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

/** A standard normal draw (Box–Muller). */
function normal(rng: SeededRandom): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** A unified social credit code (GB 32100) with a valid organisation code (GB 11714) and check character. */
function creditCode(prefix: string, areaCode: string, serial: number): string {
  const body = String(serial).padStart(8, '0');
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number(body[i]) * ORG_CODE_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  const orgCode = body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
  const first17 = `${prefix}${areaCode}${orgCode}`;
  let total = 0;
  for (let i = 0; i < 17; i += 1) total += CREDIT_CHARS.indexOf(first17[i]!) * CREDIT_WEIGHTS[i]!;
  return first17 + CREDIT_CHARS[(31 - (total % 31)) % 31]!;
}

export function planCity(options: CityPlanOptions): CityPlan {
  const { seed, scale, categories } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer: ${seed}`);
  if (!(scale > 0 && scale <= 10)) throw new RangeError(`scale must be in (0, 10]: ${scale}`);
  const todayDay = parseDay(options.today);
  // makeResidentId checks birth dates against the real clock: stay before both days.
  const latestBirthDay = Math.min(todayDay, Math.floor((Date.now() + SHANGHAI_OFFSET_MS) / DAY_MS)) - 1;
  const stream = (label: number) => new SeededRandom(((seed >>> 0) ^ Math.imul(label + 1, 0x9e3779b1)) >>> 0);
  const size = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  const at = (day: number, salt: number): Date => new Date(day * DAY_MS - SHANGHAI_OFFSET_MS + (510 + ((Math.imul(day + 7919 * salt, 2654435761) >>> 0) % 570)) * 60_000);
  const categoryId = (code: string): number => categories.get(code) ?? categories.values().next().value!;
  const liveCodes = Object.keys(NEED_CATEGORY_WEIGHTS).filter((code) => categories.has(code));
  if (liveCodes.length === 0) throw new Error('The service catalogue has none of the direct-service items: run the migrations first');

  const tables: TableRows[] = [];
  const table = (name: string, columns: string[]): Cell[][] => {
    const rows: Cell[][] = [];
    tables.push({ table: name, columns, rows });
    return rows;
  };

  // ----- geography -----------------------------------------------------------------------------
  const geo = stream(1);
  const districtRows = table('districts', ['id', 'code', 'name_zh', 'name_en', 'central']);
  const streetRows = table('streets', ['id', 'district_id', 'kind', 'name_zh', 'name_en']);
  const committeeRows = table('committees', ['id', 'street_id', 'district_id', 'kind', 'name_zh', 'name_en']);
  const districts: District[] = [];
  const streets: Street[] = [];
  const committees: Committee[] = [];
  for (const d of SHANGHAI_DISTRICTS) {
    // Assisted households concentrate in the old central districts.
    const district: District = { id: districts.length + 1, seed: d, weight: d.populationWan * (d.central ? 1.6 : 1), streets: [], committees: [] };
    districts.push(district);
    districtRows.push([district.id, d.code, d.nameZh, d.nameEn, d.central]);
    for (const sub of d.subdistricts) {
      const street: Street = { id: streets.length + 1, district, kind: sub.kind, nameZh: sub.nameZh, committees: [], officeId: 0, caseworkers: [] };
      streets.push(street);
      district.streets.push(street);
      streetRows.push([street.id, district.id, sub.kind, sub.nameZh, sub.nameEn]);
    }
  }
  const populationTotal = districts.reduce((sum, d) => sum + d.seed.populationWan, 0);
  const committeeTarget = size(CITY_SIZES.committees, streets.length);
  for (const district of districts) {
    const share = Math.max(district.streets.length, Math.round((committeeTarget * district.seed.populationWan) / populationTotal));
    district.streets.forEach((street, i) => {
      const base = Math.floor(share / district.streets.length) + (i < share % district.streets.length ? 1 : 0);
      const count = Math.max(1, base + (base > 4 ? geo.int(-2, 2) : 0));
      const villagerShare = street.kind === 'STREET' || district.seed.central ? 0 : 0.6;
      const roads = ROADS_BY_DISTRICT[district.seed.code] ?? ['人民路'];
      const names = new Set<string>();
      for (let n = 0; n < count; n += 1) {
        const villagers = geo.chance(villagerShare);
        const part = villagers ? geo.pick(VILLAGE_NAME_PARTS) : geo.pick(ESTATE_NAME_PARTS);
        const suffix = villagers ? (['村', '', 'Village'] as const) : geo.pick(ESTATE_SUFFIXES);
        let nameZh = villagers ? `${part[0]}村村委会` : `${part[0]}${suffix[0]}居委会`;
        let nameEn = villagers ? `${part[1]} Village Committee` : `${part[1]}${suffix[1] ? ` ${suffix[1]}` : ''} Residents' Committee`;
        // Big streets run out of distinct names: number the later ones, as real 第二/第三 committees are.
        for (let k = 2; names.has(nameZh); k += 1) {
          nameZh = villagers ? `${part[0]}${k}村村委会` : `${part[0]}${suffix[0]}第${k}居委会`;
          nameEn = villagers ? `${part[1]} No. ${k} Village Committee` : `${part[1]}${suffix[1] ? ` ${suffix[1]}` : ''} No. ${k} Residents' Committee`;
        }
        names.add(nameZh);
        const committee: Committee = {
          id: committees.length + 1,
          street,
          kind: villagers ? 'VILLAGERS' : 'RESIDENTS',
          road: villagers ? `${part[0]}村` : suffix[0] === '路' ? `${part[0]}路` : geo.pick(roads),
          // Some communities hold far more assisted households than others.
          density: Math.exp(0.6 * normal(geo)),
        };
        committees.push(committee);
        street.committees.push(committee);
        district.committees.push(committee);
        committeeRows.push([committee.id, street.id, district.id, committee.kind, nameZh, nameEn]);
      }
    });
  }

  // ----- organizations -------------------------------------------------------------------------
  const orgRng = stream(2);
  const orgColumns = ['id', 'kind', 'name_zh', 'name_en', 'credit_code', 'department_function', 'level', 'district_id', 'street_id', 'parent_id', 'is_provider', 'provider_status', 'address', 'contact_phone', 'created_at', 'updated_at'];
  const orgRows = table('organizations', orgColumns);
  let creditSerial = orgRng.int(10_000_000, 40_000_000);
  const govCreated = at(todayDay - 900, 0);
  const fixedLine = () => `021-${orgRng.pick(['5', '6', '3'])}${String(orgRng.int(0, 9_999_999)).padStart(7, '0')}`;
  const mobile = (rng: SeededRandom) => `${rng.pick(MOBILE_PREFIXES)}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
  const org = (row: { kind: string; nameZh: string; nameEn: string; credit: string | null; area: string; fn?: string; level?: string; districtId?: number; streetId?: number; parentId?: number; provider?: string; address: string; created?: Date }): number => {
    const id = orgRows.length + 1;
    creditSerial += orgRng.int(1, 97);
    const created = row.created ?? govCreated;
    orgRows.push([id, row.kind, row.nameZh, row.nameEn, row.credit === null ? null : creditCode(row.credit, row.area, creditSerial), row.fn ?? null, row.level ?? null, row.districtId ?? null, row.streetId ?? null, row.parentId ?? null, row.provider !== undefined, row.provider ?? null, row.address, fixedLine(), created, created]);
    return id;
  };
  const bureaus = [
    ['CIVIL_AFFAIRS', '民政局', 'Civil Affairs Bureau'],
    ['FINANCE', '财政局', 'Finance Bureau'],
    ['HR_SOCIAL_SECURITY', '人力资源和社会保障局', 'Human Resources and Social Security Bureau'],
    ['ESTABLISHMENT', '编办', 'Commission Office for Public Sector Reform'],
  ] as const;
  const cityBureaus = bureaus.map(([fn, zh, en]) => org({ kind: 'GOVERNMENT_DEPARTMENT', nameZh: `上海市${zh}`, nameEn: `Shanghai Municipal ${en}`, credit: '11', area: '310000', fn, level: 'CITY', address: `上海市黄浦区人民大道${orgRng.int(100, 300)}号` }));
  const cityVerification = org({ kind: 'VERIFICATION_AGENCY', nameZh: '上海市居民经济状况核对中心', nameEn: "Shanghai Residents' Economic Status Verification Center", credit: '12', area: '310000', level: 'CITY', address: `上海市静安区${orgRng.int(100, 800)}号` });
  for (const d of districts) {
    const road = () => orgRng.pick(ROADS_BY_DISTRICT[d.seed.code] ?? ['人民路']);
    bureaus.forEach(([fn, zh, en], i) => org({ kind: 'GOVERNMENT_DEPARTMENT', nameZh: `${d.seed.nameZh}${zh}`, nameEn: `${d.seed.nameEn} ${en}`, credit: '11', area: d.seed.code, fn, level: 'DISTRICT', districtId: d.id, parentId: cityBureaus[i]!, address: `${d.seed.nameZh}${road()}${orgRng.int(1, 1500)}号` }));
    org({ kind: 'VERIFICATION_AGENCY', nameZh: `${d.seed.nameZh}居民经济状况核对中心`, nameEn: `${d.seed.nameEn} Residents' Economic Status Verification Center`, credit: '12', area: d.seed.code, level: 'DISTRICT', districtId: d.id, parentId: cityVerification, address: `${d.seed.nameZh}${road()}${orgRng.int(1, 1500)}号` });
  }
  const streetAddress = (s: Street) => `${s.district.seed.nameZh}${orgRng.pick(s.committees).road}${orgRng.int(1, 1500)}号`;
  for (const s of streets) {
    s.officeId = org({ kind: 'STREET_OFFICE', nameZh: s.kind === 'STREET' ? `${s.nameZh}办事处` : `${s.nameZh}人民政府`, nameEn: `${s.nameZh} office`, credit: '11', area: s.district.seed.code, level: 'STREET', districtId: s.district.id, streetId: s.id, address: streetAddress(s) });
  }
  // 287 centres: one per street or town, a second in the five biggest towns, 67 sub-centres.
  const centreOf = new Map<Street, number>();
  const centre = (s: Street, nameZh: string, nameEn: string, parentId?: number) =>
    org({ kind: 'SERVICE_CENTER', nameZh, nameEn, credit: parentId === undefined ? '12' : null, area: s.district.seed.code, level: 'STREET', districtId: s.district.id, streetId: s.id, parentId, address: streetAddress(s) });
  for (const s of streets) centreOf.set(s, centre(s, `${s.nameZh}社区事务受理服务中心`, `${s.nameZh} Community Affairs Acceptance Service Center`));
  const towns = streets.filter((s) => s.kind === 'TOWN').sort((a, b) => b.committees.length - a.committees.length || a.id - b.id);
  for (const s of towns.slice(0, 5)) centre(s, `${s.nameZh}第二社区事务受理服务中心`, `${s.nameZh} Second Community Affairs Acceptance Service Center`);
  const subCentreStreets = new Picker(streets, (s) => (s.kind === 'TOWN' ? 3 : 0.6) * s.committees.length);
  for (let i = 0; i < 67; i += 1) {
    const s = subCentreStreets.pick(orgRng);
    const road = orgRng.pick(s.committees).road;
    centre(s, `${s.nameZh}社区事务受理服务中心${road}分中心`, `${s.nameZh} Community Affairs Acceptance Service Center, ${road} Sub-center`, centreOf.get(s)!);
  }
  const centres = orgRows.length - streets.length - districts.length * 5 - 5;

  // Providers: denser in the centre; each kind has its line of work.
  const providerCount = size(CITY_SIZES.providers, 10);
  const providerDistricts = new Picker(districts, (d) => d.seed.populationWan * (d.seed.central ? 1.8 : 1));
  const providerTypes = new Picker(PROVIDER_TYPES, (t) => t.weight);
  const providers: { id: number; district: District; street: Street; categories: string[]; active: boolean; weight: number; workers: string[] }[] = [];
  const providerNames = new Set<string>();
  for (let i = 0; i < providerCount; i += 1) {
    const d = providerDistricts.pick(orgRng);
    const type = providerTypes.pick(orgRng);
    const brand = orgRng.pick(PROVIDER_BRANDS);
    let nameZh = type.kind === 'ENTERPRISE' ? `上海${brand[0]}${type.zh}` : `上海市${d.seed.nameZh}${brand[0]}${type.zh}`;
    for (let k = 2; providerNames.has(nameZh); k += 1) nameZh = type.kind === 'ENTERPRISE' ? `上海${brand[0]}${k}${type.zh}` : `上海市${d.seed.nameZh}${brand[0]}${type.zh}第${k}分部`;
    providerNames.add(nameZh);
    const s = orgRng.pick(d.streets);
    const roll = orgRng.next();
    const status = roll < 0.97 ? 'ACTIVE' : 'SUSPENDED';
    const created = at(todayDay - orgRng.int(200, 2500), i);
    const id = org({ kind: type.kind, nameZh, nameEn: `${brand[1]} ${type.en} (${d.seed.nameEn})`, credit: type.prefix, area: d.seed.code, districtId: d.id, streetId: s.id, provider: status, address: streetAddress(s), created });
    const line = type.categories.filter((c) => categories.has(c));
    // A few providers post many resources (log-normal spread).
    providers.push({ id, district: d, street: s, categories: line.length > 0 ? line : liveCodes, active: status === 'ACTIVE', weight: Math.exp(1.2 * normal(orgRng)), workers: [] });
  }

  // ----- staff ---------------------------------------------------------------------------------
  const staffRng = stream(3);
  const staffRows = table('staff_members', ['id', 'organization_id', 'committee_id', 'position', 'name', 'phone', 'active', 'created_at']);
  const surnames = new Picker(SURNAMES, (s) => s[1]);
  const personName = (rng: SeededRandom, surname: string, female: boolean, birthYear: number): string => {
    const era = birthYear < 1960 ? GIVEN_NAMES.old : birthYear < 1985 ? GIVEN_NAMES.middle : GIVEN_NAMES.young;
    return surname + rng.pick(female ? era.female : era.male);
  };
  const staff = (organizationId: number, position: string, committeeId: number | null = null): { id: number; name: string } => {
    const id = staffRows.length + 1;
    const name = personName(staffRng, surnames.pick(staffRng)[0], staffRng.chance(0.6), todayDay / 365.25 + 1970 - staffRng.int(24, 58));
    staffRows.push([id, organizationId, committeeId, position, name, mobile(staffRng), true, at(todayDay - staffRng.int(30, 1500), id)]);
    return { id, name };
  };
  for (const s of streets) for (let i = 0, n = 2 + Math.ceil(s.committees.length / 10); i < n; i += 1) s.caseworkers.push(staff(s.officeId, 'CASEWORKER').id);
  for (const c of committees) staff(c.street.officeId, 'COMMITTEE_MEMBER', c.id);
  for (const p of providers) for (let i = 0, n = staffRng.int(1, 3); i < n; i += 1) p.workers.push(staff(p.id, 'SOCIAL_WORKER').name);

  // ----- households, persons, cases ------------------------------------------------------------
  const hhRng = stream(4);
  const householdRows = table('households', ['id', 'committee_id', 'street_id', 'district_id', 'registered_committee_id', 'address', 'assistance_statuses', 'created_at', 'updated_at']);
  const personRows = table('persons', ['id', 'household_id', 'relation', 'name', 'id_number', 'sex', 'birth_date', 'phone', 'attributes', 'created_at', 'updated_at']);
  const caseRows = table('cases', ['id', 'household_id', 'owner_street_id', 'owner_organization_id', 'caseworker_id', 'status', 'summary', 'opened_at', 'closed_at']);
  const committeePicker = new Picker(committees, (c) => (c.street.district.weight / c.street.district.committees.length) * c.density);
  const usedIds = new Set<string>();
  const households: Household[] = [];
  const householdCount = size(CITY_SIZES.households, 20);
  const sizes = new Picker([1, 2, 3, 4, 5, 6], (_, i) => [20, 30, 25, 14, 8, 3][i]!);
  const statusSets = new Picker(
    [[['MINIMUM_LIVING_ALLOWANCE'], 46], [['LOW_INCOME'], 26], [['EXPENDITURE_POVERTY'], 9], [['LOW_INCOME', 'EXPENDITURE_POVERTY'], 7], [['EXTREME_POVERTY_SUPPORT'], 4], [[], 8]] as const,
    (o) => o[1],
  );
  for (let h = 0; h < householdCount; h += 1) {
    const committee = committeePicker.pick(hhRng);
    const registered = hhRng.chance(0.12) ? hhRng.pick(committee.street.district.committees) : committee;
    const id = h + 1;
    const createdDay = todayDay - hhRng.int(30, 1100);
    const created = at(createdDay, id);
    const address = committee.kind === 'VILLAGERS' ? `${committee.street.nameZh}${committee.road}${hhRng.int(1, 12)}组${hhRng.int(1, 180)}号` : `${committee.road}${hhRng.int(1, 1500)}弄${hhRng.int(1, 60)}号${hhRng.int(1, 18)}0${hhRng.int(1, 4)}室`;
    const memberCount = sizes.pick(hhRng);
    const headAge = memberCount === 1 ? (hhRng.chance(0.6) ? hhRng.int(60, 92) : hhRng.int(25, 59)) : hhRng.int(28, 75);
    const surname = surnames.pick(hhRng)[0];
    const ages: [string, number][] = [['HEAD', headAge]];
    if (memberCount >= 2) ages.push(hhRng.chance(0.75) ? ['SPOUSE', clamp(headAge + hhRng.int(-5, 3), 20, 98)] : ['CHILD', clamp(headAge - hhRng.int(22, 36), 0, 70)]);
    while (ages.length < memberCount) {
      const roll = hhRng.next();
      if (roll < 0.6) ages.push(['CHILD', clamp(headAge - hhRng.int(22, 38), 0, 70)]);
      else if (roll < 0.8 && headAge < 66) ages.push(['PARENT', clamp(headAge + hhRng.int(22, 32), 45, 98)]);
      else if (headAge >= 50) ages.push(['GRANDCHILD', hhRng.int(0, 17)]);
      else ages.push(['SIBLING', clamp(headAge + hhRng.int(-8, 8), 18, 90)]);
    }
    let elderly = false;
    let young = false;
    let frail = false;
    const areaCode = registered.street.district.seed.code;
    ages.forEach(([relation, age], m) => {
      const female = relation === 'SPOUSE' ? hhRng.chance(0.85) : hhRng.chance(0.5);
      const birthDay = Math.min(latestBirthDay, todayDay - Math.floor(age * 365.25) - hhRng.int(1, 364));
      const birthDate = formatDay(birthDay);
      let idNumber = '';
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const sequence = hhRng.int(0, 499) * 2 + (female ? 0 : 1);
        const key = `${areaCode}${birthDate}${sequence}`;
        if (usedIds.has(key)) continue;
        usedIds.add(key);
        idNumber = makeResidentId({ areaCode, birthDate, sequence });
        break;
      }
      if (!idNumber) throw new Error('Could not find a free resident ID number');
      const attributes: string[] = [];
      if (hhRng.chance(0.08)) attributes.push('DISABILITY');
      if (memberCount === 1 && age > 70) attributes.push('ELDERLY_LIVING_ALONE');
      if (age < 18) attributes.push('MINOR');
      if (hhRng.chance(age >= 60 ? 0.075 : 0.035)) attributes.push('SERIOUS_ILLNESS');
      if (age >= 18 && age < 60 && hhRng.chance(0.1)) attributes.push('UNEMPLOYED');
      elderly ||= age >= 60;
      young ||= age < 18;
      frail ||= attributes.includes('DISABILITY') || attributes.includes('SERIOUS_ILLNESS');
      const ownSurname = relation === 'SPOUSE' || (relation === 'PARENT' && female);
      const name = personName(hhRng, ownSurname ? surnames.pick(hhRng)[0] : surname, female, Number(birthDate.slice(0, 4)));
      const phone = age < 18 ? null : hhRng.chance(age >= 80 ? 0.6 : 0.9) ? mobile(hhRng) : null;
      personRows.push([personRows.length + 1, id, relation, name, idNumber, female ? 'FEMALE' : 'MALE', birthDate, phone, attributes, created, created]);
      void m;
    });
    householdRows.push([id, committee.id, committee.street.id, committee.street.district.id, registered.id, address, [...statusSets.pick(hhRng)[0]], created, created]);
    const household: Household = { id, committee, registered, elderly, young, frail, createdDay, openCaseId: null };
    households.push(household);
    const competent = registered.street;
    if (hhRng.chance(0.07)) {
      const opened = createdDay + hhRng.int(0, 30);
      caseRows.push([caseRows.length + 1, id, competent.id, competent.officeId, hhRng.pick(competent.caseworkers), 'CLOSED', '阶段性帮扶目标已达成，已结案。', at(opened, id), at(Math.min(todayDay - 1, opened + hhRng.int(60, 365)), id + 1)]);
    }
    if (hhRng.chance(0.6)) {
      household.openCaseId = caseRows.length + 1;
      caseRows.push([household.openCaseId, id, competent.id, competent.officeId, hhRng.pick(competent.caseworkers), 'OPEN', '困难家庭综合帮扶个案', at(Math.max(createdDay, todayDay - hhRng.int(5, 700)), id + 2), null]);
    }
  }

  // ----- resources and service areas -----------------------------------------------------------
  const resRng = stream(5);
  const resourceRows = table('resources', ['id', 'provider_id', 'category_id', 'title', 'description', 'capacity', 'held_units', 'capacity_period', 'eligible_statuses', 'min_age', 'max_age', 'available_from', 'available_until', 'status', 'cost', 'contact_name', 'contact_phone', 'is_public', 'closed_at', 'closure_reason', 'created_at', 'updated_at']);
  const areaRows = table('resource_service_areas', ['id', 'resource_id', 'level', 'district_id', 'street_id', 'committee_id']);
  const resourceCount = size(CITY_SIZES.resources, providers.length);
  const providerPicker = new Picker(providers, (p) => p.weight);
  const owners = providers.map((p) => p);
  while (owners.length < resourceCount) owners.push(providerPicker.pick(resRng));
  owners.sort((a, b) => a.id - b.id);
  const resources: Resource[] = [];
  // Where each resource serves, for matching: resources by catalogue item and district or street.
  const byDistrict = new Map<string, Resource[]>();
  const byStreet = new Map<string, Resource[]>();
  const byCategory = new Map<string, Resource[]>();
  const file = (map: Map<string, Resource[]>, key: string, r: Resource) => {
    const list = map.get(key);
    if (list) list.push(r);
    else map.set(key, [r]);
  };
  const periods = new Picker(['WEEK', 'MONTH', 'DAY', 'ONCE', 'YEAR'], (_, i) => [40, 40, 8, 6, 6][i]!);
  owners.forEach((p, i) => {
    const id = i + 1;
    const category = resRng.chance(0.85) ? resRng.pick(p.categories) : resRng.pick(liveCodes);
    const roll = resRng.next();
    const status = roll < 0.88 ? 'ACTIVE' : roll < 0.94 ? 'PAUSED' : 'CLOSED';
    const capacity = resRng.chance(0.9) ? resRng.int(10, 80) : resRng.int(81, 400);
    const createdDay = todayDay - resRng.int(30, 500);
    const created = at(createdDay, id);
    const closed = status === 'CLOSED' ? at(todayDay - resRng.int(1, 29), id) : null;
    const resource: Resource = { id, providerId: p.id, category, capacity, held: 0, live: status === 'ACTIVE' && p.active };
    resources.push(resource);
    const titles = RESOURCE_TITLES[category] ?? ['综合帮扶服务'];
    resourceRows.push([
      id, p.id, categoryId(category), `${resRng.pick(titles)}·${p.street.nameZh}`, null, capacity, 0, periods.pick(resRng),
      resRng.chance(0.5) ? [] : ['MINIMUM_LIVING_ALLOWANCE', 'LOW_INCOME'], null, null, formatDay(createdDay), resRng.chance(0.5) ? null : formatDay(todayDay + resRng.int(30, 365)),
      status, resRng.chance(0.7) ? 'FREE' : 'SUBSIDISED', resRng.pick(p.workers), mobile(resRng), resRng.chance(0.6), closed, closed ? '服务合同到期' : null, created, closed ?? created,
    ]);
    file(byCategory, category, resource);
    const area = (level: 'DISTRICT' | 'STREET', d: District, s: Street | null) => {
      areaRows.push([areaRows.length + 1, id, level, d.id, s?.id ?? null, null]);
      if (s) file(byStreet, `${category}:${s.id}`, resource);
      else file(byDistrict, `${category}:${d.id}`, resource);
    };
    if (resRng.chance(0.5)) area('DISTRICT', p.district, null);
    else {
      const first = resRng.chance(0.5) ? p.street : resRng.pick(p.district.streets);
      area('STREET', p.district, first);
      const second = resRng.pick(p.district.streets);
      if (second !== first && resRng.chance(0.5)) area('STREET', p.district, second);
    }
    if (resRng.chance(0.2)) {
      const other = resRng.pick(districts);
      if (other !== p.district) area('DISTRICT', other, null);
    }
  });

  // ----- needs and referrals -------------------------------------------------------------------
  const needRng = stream(6);
  const needRows = table('needs', ['id', 'household_id', 'case_id', 'category_id', 'urgency', 'units', 'earliest_start', 'deadline', 'status', 'committee_id', 'street_id', 'district_id', 'notes', 'withdrawal_reason', 'created_at', 'updated_at']);
  const referralRows = table('referrals', ['id', 'need_id', 'resource_id', 'provider_id', 'household_id', 'units', 'status', 'reason', 'proposed_by', 'decline_reason', 'outcome', 'satisfaction', 'expires_at', 'created_at', 'updated_at']);
  const eventRows = table('referral_events', ['id', 'referral_id', 'from_status', 'to_status', 'actor', 'reason', 'at']);
  const needCount = size(CITY_SIZES.needs, 40);
  const referralTarget = size(CITY_SIZES.referrals, 20);
  const needHouseholds = new Picker(households, (h) => (h.openCaseId !== null ? 3 : 1));
  const urgencies = new Picker(['CRITICAL', 'HIGH', 'NORMAL', 'LOW'], (_, i) => [5, 20, 55, 20][i]!);
  const statuses = new Picker(['OPEN', 'MATCHED', 'FULFILLED', 'WITHDRAWN'] as const, (_, i) => [50, 17, 26, 7][i]!);
  const needs: Need[] = [];
  const candidates = (n: Need, liveOnly: boolean): Resource[] => {
    const c = n.household.committee;
    const near = [...(byStreet.get(`${n.category}:${c.street.id}`) ?? []), ...(byDistrict.get(`${n.category}:${c.street.district.id}`) ?? [])];
    return liveOnly ? near.filter((r) => r.live) : near;
  };
  const referral = (n: Need, r: Resource, status: string, createdDay: number) => {
    const id = referralRows.length + 1;
    const created = at(createdDay, id);
    const answered = at(Math.min(todayDay, createdDay + 1), id + 1);
    referralRows.push([
      id, n.id, r.id, r.providerId, n.household.id, n.units, status, '同类服务，服务范围覆盖所在社区', 'city-generator',
      status === 'DECLINED' ? needRng.pick(DECLINES) : null, status === 'COMPLETED' ? needRng.pick(OUTCOMES) : null, status === 'COMPLETED' ? needRng.int(3, 5) : null,
      // Live proposals stay answerable for a week from the generation day, so the hub's expiry job leaves them be.
      status === 'PROPOSED' ? at(todayDay + 7, id) : at(createdDay + 3, id), created, status === 'PROPOSED' ? created : answered,
    ]);
    eventRows.push([eventRows.length + 1, id, null, 'PROPOSED', 'city-generator', null, created]);
    const path = status === 'ACCEPTED' ? ['ACCEPTED'] : status === 'IN_SERVICE' ? ['ACCEPTED', 'IN_SERVICE'] : status === 'COMPLETED' ? ['ACCEPTED', 'IN_SERVICE', 'COMPLETED'] : status === 'PROPOSED' ? [] : [status];
    let from = 'PROPOSED';
    for (const to of path) {
      eventRows.push([eventRows.length + 1, id, from, to, 'city-provider', null, answered]);
      from = to;
    }
  };
  for (let i = 0; i < needCount; i += 1) {
    const h = needHouseholds.pick(needRng);
    const weights = liveCodes.map((code) => NEED_CATEGORY_WEIGHTS[code]! * (code === 'CARE_NURSING' && h.elderly ? 2 : 1) * (code === 'CAPABILITY_DEVELOPMENT' && h.young ? 1.6 : 1) * (code === 'PSYCHOLOGICAL_COUNSELLING' && h.frail ? 1.4 : 1));
    const total = weights.reduce((a, b) => a + b, 0);
    let target = needRng.next() * total;
    let index = 0;
    while (target >= weights[index]! && index < weights.length - 1) target -= weights[index++]!;
    const createdDay = todayDay - needRng.int(0, 364);
    const need: Need = { id: i + 1, household: h, category: liveCodes[index]!, units: clamp(Math.round(Math.exp(1.2 + 0.6 * normal(needRng))), 1, 20), status: statuses.pick(needRng), createdDay };
    needs.push(need);
  }
  // Live and completed referrals first, so dead ones fill up to the target.
  for (const n of needs) {
    if (n.status === 'MATCHED') {
      const pool = candidates(n, true);
      let placed: Resource | undefined;
      for (let attempt = 0; attempt < 6 && pool.length > 0 && !placed; attempt += 1) {
        const r = needRng.pick(pool);
        if (r.capacity - r.held >= n.units) placed = r;
      }
      if (!placed) {
        n.status = 'OPEN';
        continue;
      }
      placed.held += n.units;
      referral(n, placed, needRng.pick(['PROPOSED', 'ACCEPTED', 'IN_SERVICE', 'IN_SERVICE']), Math.min(todayDay, n.createdDay + needRng.int(0, 10)));
    } else if (n.status === 'FULFILLED') {
      const pool = candidates(n, false);
      const r = pool.length > 0 ? needRng.pick(pool) : needRng.pick(byCategory.get(n.category) ?? resources);
      referral(n, r, 'COMPLETED', Math.max(n.createdDay - 60, Math.min(todayDay - 1, n.createdDay + needRng.int(0, 10))));
    }
  }
  const deadStatuses = new Picker(['DECLINED', 'EXPIRED', 'CANCELLED'], (_, i) => [50, 35, 15][i]!);
  for (let guard = 0; referralRows.length < referralTarget && guard < referralTarget * 4; guard += 1) {
    const n = needs[needRng.int(0, needs.length - 1)]!;
    if (n.status !== 'OPEN' && !needRng.chance(0.25)) continue;
    const pool = candidates(n, false);
    if (pool.length === 0) continue;
    referral(n, needRng.pick(pool), deadStatuses.pick(needRng), Math.min(todayDay - 1, n.createdDay + needRng.int(0, 5)));
  }
  // Referrals in id order of creation are fine; the rows of needs are written with their final status.
  for (const n of needs) {
    const h = n.household;
    const earliest = Math.max(n.createdDay, todayDay - 90) + needRng.int(0, 30);
    const deadline = needRng.chance(0.35) ? null : earliest + needRng.int(3, 90);
    const created = at(n.createdDay, n.id);
    needRows.push([
      n.id, h.id, h.openCaseId, categoryId(n.category), urgencies.pick(needRng), n.units, formatDay(earliest), deadline === null ? null : formatDay(deadline), n.status,
      h.committee.id, h.committee.street.id, h.committee.street.district.id, needRng.chance(0.3) ? '家属希望工作日上午上门' : null,
      n.status === 'WITHDRAWN' ? needRng.pick(WITHDRAWALS) : null, created, n.status === 'OPEN' ? created : at(Math.min(todayDay, n.createdDay + needRng.int(1, 20)), n.id + 1),
    ]);
  }
  // Held units are the units of live referrals.
  for (const r of resources) resourceRows[r.id - 1]![6] = r.held;

  // Tables in foreign-key order: needs before resources before referrals.
  const order = ['districts', 'streets', 'committees', 'organizations', 'staff_members', 'households', 'persons', 'cases', 'needs', 'resources', 'resource_service_areas', 'referrals', 'referral_events'];
  const ordered = order.map((name) => tables.find((t) => t.table === name)!);
  const counts: Record<string, number> = {};
  for (const t of ordered) counts[t.table] = t.rows.length;
  counts.providers = providers.length;
  counts.centres = centres;
  return { tables: ordered, counts };
}
