import { and, arrayContains, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import { LIVE_REFERRAL_STATUSES } from '../referrals/referrals.transitions';
import { householdsWithApplicationsOf } from '../applications/applications.repository';
import { scopeCondition, within } from '../../db/scope';
import type { Database } from '../../db/client';
import { anyOfKeys, joinedRowsByKeys, rowsByKeys } from '../../db/batch';
import { filterKey } from '../../db/prepared';
import type { CommitteePlace } from '../geography/geography.repository';
import { childPageLoader, paginate, type ChildList, type PageRequest } from '../../db/paginate';
import { cases, committees, districts, households, organizations, persons, referrals, staffMembers, streets } from '../../db/schema';

export type HouseholdRow = typeof households.$inferSelect;
export type PersonRow = typeof persons.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;
export type NewHouseholdRow = typeof households.$inferInsert;
export type NewPersonRow = typeof persons.$inferInsert;
export type NewCaseRow = typeof cases.$inferInsert;
export type CommitteeRow = typeof committees.$inferSelect;
export type StaffMemberRow = typeof staffMembers.$inferSelect;
export type AssistanceStatusValue = HouseholdRow['assistanceStatuses'][number];
export type CaseStatusValue = CaseRow['status'];

/** Names of unique indexes whose violations the service turns into user errors. */
export const PERSON_ID_NUMBER_UNIQUE = 'persons_id_number_unique';
export const ONE_OPEN_CASE_PER_HOUSEHOLD_UNIQUE = 'cases_one_open_per_household_uq';

export { violatedUniqueIndex } from '../../db/errors';

export interface HouseholdFilter {
  readonly districtId?: number;
  readonly streetId?: number;
  readonly committeeId?: number;
  readonly assistanceStatus?: AssistanceStatusValue;
}

/* listHouseholds */
/**
 * Households a visibility reaches: where they live or where they are registered (户籍) lies in
 * the principal's districts or streets, or the principal is the caseworker of one of their cases.
 */
export function householdScope(v: Visibility): SQL | undefined {
  return scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) =>
      or(within(households.districtId, districtIds), sql`${households.registeredCommitteeId} in (select ${committees.id} from ${committees} where ${within(committees.districtId, districtIds)})`)!,
    MY_STREETS: ({ streetIds }) =>
      or(within(households.streetId, streetIds), sql`${households.registeredCommitteeId} in (select ${committees.id} from ${committees} where ${within(committees.streetId, streetIds)})`)!,
    MY_CASES: ({ staffMemberId }) => sql`exists (select 1 from ${cases} where ${cases.householdId} = ${households.id} and ${cases.caseworkerId} = ${staffMemberId ?? -1})`,
    REFERRED_TO_MY_ORGANIZATION: ({ organizationId }) =>
      sql`exists (select 1 from ${referrals} where ${referrals.householdId} = ${households.id} and ${referrals.providerId} = ${organizationId ?? -1} and ${inArray(referrals.status, [...LIVE_REFERRAL_STATUSES])})`,
    // A centre follows the households of the applications it received or owns, wherever they live (全市通办).
    RECEIVED_BY_MY_ORGANIZATION: ({ organizationId }) => householdsWithApplicationsOf(organizationId),
  });
}

/** Members are visible exactly when their household is. */
export function personScope(v: Visibility): SQL | undefined {
  const visibleHouseholds = householdScope(v);
  return visibleHouseholds === undefined ? undefined : sql`${persons.householdId} in (select ${households.id} from ${households} where ${visibleHouseholds})`;
}

/** Cases owned by a street in scope, of a household in scope, or owned by the caseworker. */
export function caseScope(v: Visibility): SQL | undefined {
  const ofVisibleHousehold = (h: Visibility) => sql`${cases.householdId} in (select ${households.id} from ${households} where ${householdScope(h) ?? sql`true`})`;
  return scopeCondition(v, {
    MY_DISTRICTS: (h) =>
      or(sql`${cases.ownerStreetId} in (select ${streets.id} from ${streets} where ${within(streets.districtId, h.districtIds)})`, ofVisibleHousehold({ ...h, scopes: ['MY_DISTRICTS'] }))!,
    MY_STREETS: (h) => or(within(cases.ownerStreetId, h.streetIds), ofVisibleHousehold({ ...h, scopes: ['MY_STREETS'] }))!,
    MY_CASES: ({ staffMemberId }) => eq(cases.caseworkerId, staffMemberId ?? -1),
  });
}

export function listHouseholds(db: Database, visibility: Visibility, filter: HouseholdFilter, request: PageRequest, maxPageSize: number) {
  const conditions: (SQL | undefined)[] = [householdScope(visibility)];
  if (filter.districtId !== undefined) conditions.push(eq(households.districtId, filter.districtId));
  if (filter.streetId !== undefined) conditions.push(eq(households.streetId, filter.streetId));
  if (filter.committeeId !== undefined) conditions.push(eq(households.committeeId, filter.committeeId));
  if (filter.assistanceStatus !== undefined) conditions.push(arrayContains(households.assistanceStatuses, [filter.assistanceStatus]));
  return paginate<HouseholdRow>({ db, table: households, where: and(...conditions), keys: [{ column: households.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export interface CaseFilter {
  readonly status?: CaseStatusValue;
  readonly ownerStreetId?: number;
  readonly caseworkerId?: number;
  readonly householdId?: number;
}

/* listCases */
export function listCases(db: Database, visibility: Visibility, filter: CaseFilter, request: PageRequest, maxPageSize: number) {
  const conditions: (SQL | undefined)[] = [caseScope(visibility)];
  if (filter.status !== undefined) conditions.push(eq(cases.status, filter.status));
  if (filter.ownerStreetId !== undefined) conditions.push(eq(cases.ownerStreetId, filter.ownerStreetId));
  if (filter.caseworkerId !== undefined) conditions.push(eq(cases.caseworkerId, filter.caseworkerId));
  if (filter.householdId !== undefined) conditions.push(eq(cases.householdId, filter.householdId));
  return paginate<CaseRow>({ db, table: cases, where: and(...conditions), keys: [{ column: cases.id }], keyOf: (r) => [r.id], request, maxPageSize });
}


/** A household with the committee it lives in, that committee's street and district. */
export interface HouseholdPlace extends CommitteePlace {
  readonly household: HouseholdRow;
}

/**
 * Households in scope with where they live, in the order of `ids`: one statement where the
 * household, its committee, street and district would be four levels of round trips. The joins
 * are primary-key lookups into small tables, cheap enough to make even when the place is not shown.
 */
export function findHouseholdPlacesByIds(db: Database, v: Visibility, ids: readonly number[]): Promise<(HouseholdPlace | undefined)[]> {
  const scope = householdScope(v);
  return joinedRowsByKeys<HouseholdPlace>(
    db,
    `findHouseholdPlacesByIds ${filterKey(scope)}`,
    () =>
      db
        .select({ household: households, committee: committees, street: streets, district: districts })
        .from(households)
        .innerJoin(committees, eq(committees.id, households.committeeId))
        .innerJoin(streets, eq(streets.id, committees.streetId))
        .innerJoin(districts, eq(districts.id, streets.districtId))
        .where(and(anyOfKeys(households.id), scope))
        .$dynamic(),
    ids,
    (place) => place.household.id,
  );
}
export const findPersonsByIds = (db: Database, v: Visibility, ids: readonly number[]) => rowsByKeys<PersonRow>(db, persons, persons.id, ids, (r) => r.id, personScope(v));
export const findCasesByIds = (db: Database, v: Visibility, ids: readonly number[]) => rowsByKeys<CaseRow>(db, cases, cases.id, ids, (r) => r.id, caseScope(v));

/** A household's members in scope, in the order they were registered. */
export const personsOfHousehold = (v: Visibility): ChildList => ({ table: persons, parentColumn: persons.householdId, where: personScope(v), keys: [{ column: persons.id }] });

export const personsOfHouseholdLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<PersonRow>({ db, ...personsOfHousehold(v), parentOf: (r) => r.householdId, keyOf: (r) => [r.id], maxPageSize });

export const casesOfHouseholdLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<CaseRow>({ db, table: cases, parentColumn: cases.householdId, parentOf: (r) => r.householdId, where: caseScope(v), keys: [{ column: cases.id }], keyOf: (r) => [r.id], maxPageSize });

/* findHouseholdById */
export async function findHouseholdById(db: Database, id: number): Promise<HouseholdRow | undefined> {
  const [row] = await db.select().from(households).where(eq(households.id, id)).limit(1);
  return row;
}

/* insertHousehold */
export async function insertHousehold(db: Database, values: NewHouseholdRow): Promise<HouseholdRow> {
  const [row] = await db.insert(households).values(values).returning();
  return row!;
}

/* insertPersons: all members in one statement */
export async function insertPersons(db: Database, values: readonly NewPersonRow[]): Promise<PersonRow[]> {
  if (values.length === 0) return [];
  return db.insert(persons).values([...values]).returning();
}

/* insertCase */
export async function insertCase(db: Database, values: NewCaseRow): Promise<CaseRow> {
  const [row] = await db.insert(cases).values(values).returning();
  return row!;
}

/* findOpenCaseOfHousehold */
export async function findOpenCaseOfHousehold(db: Database, householdId: number): Promise<CaseRow | undefined> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.householdId, householdId), eq(cases.status, 'OPEN')))
    .limit(1);
  return row;
}

/* findPersonsByIdNumbers: only the ID numbers come back, enough to report duplicates */
export async function findPersonsByIdNumbers(db: Database, idNumbers: readonly string[]): Promise<{ id: number; idNumber: string }[]> {
  if (idNumbers.length === 0) return [];
  return db
    .select({ id: persons.id, idNumber: persons.idNumber })
    .from(persons)
    .where(inArray(persons.idNumber, [...idNumbers]));
}

export interface StaffMemberWithStreet extends StaffMemberRow {
  /** The street of the staff member's organization; null for organizations above street level. */
  readonly organizationStreetId: number | null;
}

/* findStaffMemberById: with the street of the organization they work for */
export async function findStaffMemberById(db: Database, id: number): Promise<StaffMemberWithStreet | undefined> {
  const [row] = await db
    .select({ staff: staffMembers, organizationStreetId: organizations.streetId })
    .from(staffMembers)
    .innerJoin(organizations, eq(organizations.id, staffMembers.organizationId))
    .where(eq(staffMembers.id, id))
    .limit(1);
  return row ? { ...row.staff, organizationStreetId: row.organizationStreetId } : undefined;
}

/* findCommitteeById */
export async function findCommitteeById(db: Database, id: number): Promise<CommitteeRow | undefined> {
  const [row] = await db.select().from(committees).where(eq(committees.id, id)).limit(1);
  return row;
}

/* findStreetOfficeOfStreet: the lowest id wins if a street has more than one */
export async function findStreetOfficeOfStreet(db: Database, streetId: number): Promise<{ id: number } | undefined> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.kind, 'STREET_OFFICE'), eq(organizations.streetId, streetId)))
    .orderBy(asc(organizations.id))
    .limit(1);
  return row;
}

/** A case named as the purpose of a request, read without the viewer's scope: the caller checks its household. */
export async function findPurposeCase(db: Database, caseId: number): Promise<Pick<CaseRow, 'householdId' | 'status'> | undefined> {
  const [row] = await db.select({ householdId: cases.householdId, status: cases.status }).from(cases).where(eq(cases.id, caseId));
  return row;
}
