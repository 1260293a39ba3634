import { asc } from 'drizzle-orm';
import { makeResidentId } from '../../src/common/resident-id';
import { toGlobalId } from '../../src/common/global-id';
import type { Database } from '../../src/db/client';
import { committees, districts, households, needs, organizations, persons, resourceServiceAreas, resources, serviceCategories, staffMembers, streets } from '../../src/db/schema';

/** Test data builders: each test makes the rows it needs, with unique names per call. */
let sequence = 0;
const next = (): number => (sequence += 1);

export const gid = toGlobalId;

export interface Place {
  districtId: number;
  streetId: number;
  committeeId: number;
}

export async function makeDistrict(db: Database, name = `测试区${next()}`): Promise<number> {
  const n = next();
  const [row] = await db.insert(districts).values({ code: `39${String(n).padStart(4, '0')}`, nameZh: name, nameEn: `Test District ${n}` }).returning();
  return row!.id;
}

export async function makeStreet(db: Database, districtId: number): Promise<number> {
  const n = next();
  const [row] = await db.insert(streets).values({ districtId, kind: 'STREET', nameZh: `测试街道${n}`, nameEn: `Test Subdistrict ${n}` }).returning();
  return row!.id;
}

export async function makeCommittee(db: Database, streetId: number, districtId: number): Promise<number> {
  const n = next();
  const [row] = await db.insert(committees).values({ streetId, districtId, kind: 'RESIDENTS', nameZh: `测试居委会${n}`, nameEn: `Test Committee ${n}` }).returning();
  return row!.id;
}

export async function makePlace(db: Database, within: Partial<Place> = {}): Promise<Place> {
  const districtId = within.districtId ?? (await makeDistrict(db));
  const streetId = within.streetId ?? (await makeStreet(db, districtId));
  const committeeId = within.committeeId ?? (await makeCommittee(db, streetId, districtId));
  return { districtId, streetId, committeeId };
}

export async function makeProvider(db: Database, options: { status?: 'ACTIVE' | 'SUSPENDED' | 'BANNED'; bannedUntil?: string; districtId?: number } = {}): Promise<number> {
  const n = next();
  const [row] = await db
    .insert(organizations)
    .values({
      kind: 'SOCIAL_ORGANIZATION',
      nameZh: `测试社工服务社${n}`,
      isProvider: true,
      providerStatus: options.status ?? 'ACTIVE',
      bannedUntil: options.bannedUntil ?? null,
      districtId: options.districtId ?? null,
    })
    .returning();
  return row!.id;
}

export async function makeStreetOffice(db: Database, place: Place): Promise<number> {
  const [row] = await db
    .insert(organizations)
    .values({ kind: 'STREET_OFFICE', nameZh: `测试街道办事处${next()}`, level: 'STREET', districtId: place.districtId, streetId: place.streetId })
    .returning();
  return row!.id;
}

export async function makeCaseworker(db: Database, organizationId: number, options: { active?: boolean; position?: 'CASEWORKER' | 'OFFICER' } = {}): Promise<number> {
  const [row] = await db
    .insert(staffMembers)
    .values({ organizationId, position: options.position ?? 'CASEWORKER', name: `社工${next()}`, active: options.active ?? true })
    .returning();
  return row!.id;
}

export async function makeHousehold(db: Database, place: Place, memberCount = 1): Promise<number> {
  const [row] = await db
    .insert(households)
    .values({ ...place, registeredCommitteeId: place.committeeId, address: '测试路1号101室', assistanceStatuses: ['MINIMUM_LIVING_ALLOWANCE'] })
    .returning();
  for (let i = 0; i < memberCount; i += 1) {
    await db.insert(persons).values({
      householdId: row!.id,
      relation: i === 0 ? 'HEAD' : 'CHILD',
      name: `测试${next()}`,
      idNumber: uniqueResidentId(),
      sex: 'MALE',
      birthDate: '1960-01-01',
    });
  }
  return row!.id;
}

/** Valid resident IDs, unique within a test database. */
let idCounter = 0;
export function uniqueResidentId(): string {
  idCounter += 1;
  const day = new Date(Date.UTC(1940, 0, 1) + Math.floor(idCounter / 1000) * 86_400_000).toISOString().slice(0, 10);
  return makeResidentId({ areaCode: '310101', birthDate: day, sequence: idCounter % 1000 });
}

export async function categoryIds(db: Database): Promise<Record<string, number>> {
  const rows = await db.select({ id: serviceCategories.id, code: serviceCategories.code }).from(serviceCategories).orderBy(asc(serviceCategories.id));
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

export async function makeNeed(db: Database, householdId: number, place: Place, categoryId: number, options: { urgency?: 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW'; status?: 'OPEN' | 'MATCHED' | 'FULFILLED' | 'WITHDRAWN'; createdAt?: Date } = {}): Promise<number> {
  const [row] = await db
    .insert(needs)
    .values({
      householdId,
      categoryId,
      urgency: options.urgency ?? 'NORMAL',
      units: 2,
      earliestStart: '2026-01-01',
      status: options.status ?? 'OPEN',
      ...place,
      createdAt: options.createdAt ?? new Date(),
    })
    .returning();
  return row!.id;
}

export async function makeResource(
  db: Database,
  providerId: number,
  categoryId: number,
  area: { level: 'DISTRICT' | 'STREET' | 'COMMITTEE'; districtId: number; streetId?: number; committeeId?: number }[],
  options: { status?: 'ACTIVE' | 'PAUSED' | 'CLOSED'; eligibleStatuses?: ('MINIMUM_LIVING_ALLOWANCE' | 'LOW_INCOME')[]; availableUntil?: string } = {},
): Promise<number> {
  const [row] = await db
    .insert(resources)
    .values({
      providerId,
      categoryId,
      title: `测试资源${next()}`,
      capacity: 10,
      capacityPeriod: 'WEEK',
      availableFrom: '2026-01-01',
      availableUntil: options.availableUntil ?? null,
      status: options.status ?? 'ACTIVE',
      eligibleStatuses: options.eligibleStatuses ?? [],
    })
    .returning();
  await db.insert(resourceServiceAreas).values(area.map((a) => ({ resourceId: row!.id, level: a.level, districtId: a.districtId, streetId: a.streetId ?? null, committeeId: a.committeeId ?? null })));
  return row!.id;
}
