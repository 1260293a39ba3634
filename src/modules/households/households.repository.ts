import { and, arrayContains, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type PageRequest } from '../../db/paginate';
import { cases, committees, households, organizations, persons, staffMembers } from '../../db/schema';

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

/**
 * The unique index or constraint a failed statement violated (SQLSTATE 23505), if any.
 * Drizzle wraps driver errors in `cause`; postgres.js names the index `constraint_name`,
 * PGlite and node-postgres `constraint`.
 */
export function violatedUniqueIndex(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, constraint, constraint_name: constraintName, cause } = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown };
    if (code === '23505') {
      const name = constraintName ?? constraint;
      return typeof name === 'string' ? name : '';
    }
    current = cause;
  }
  return undefined;
}

export interface HouseholdFilter {
  readonly districtId?: number;
  readonly streetId?: number;
  readonly committeeId?: number;
  readonly assistanceStatus?: AssistanceStatusValue;
}

/* listHouseholds */
export function listHouseholds(db: Database, filter: HouseholdFilter, request: PageRequest, maxPageSize: number) {
  const conditions: SQL[] = [];
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
export function listCases(db: Database, filter: CaseFilter, request: PageRequest, maxPageSize: number) {
  const conditions: SQL[] = [];
  if (filter.status !== undefined) conditions.push(eq(cases.status, filter.status));
  if (filter.ownerStreetId !== undefined) conditions.push(eq(cases.ownerStreetId, filter.ownerStreetId));
  if (filter.caseworkerId !== undefined) conditions.push(eq(cases.caseworkerId, filter.caseworkerId));
  if (filter.householdId !== undefined) conditions.push(eq(cases.householdId, filter.householdId));
  return paginate<CaseRow>({ db, table: cases, where: and(...conditions), keys: [{ column: cases.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export const findHouseholdsByIds = (db: Database, ids: readonly number[]) => rowsByKeys<HouseholdRow>(db, households, households.id, ids, (r) => r.id);
export const findPersonsByIds = (db: Database, ids: readonly number[]) => rowsByKeys<PersonRow>(db, persons, persons.id, ids, (r) => r.id);
export const findCasesByIds = (db: Database, ids: readonly number[]) => rowsByKeys<CaseRow>(db, cases, cases.id, ids, (r) => r.id);

export const personsOfHouseholdLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<PersonRow>({ db, table: persons, parentColumn: persons.householdId, parentOf: (r) => r.householdId, keys: [{ column: persons.id }], keyOf: (r) => [r.id], maxPageSize });

export const casesOfHouseholdLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<CaseRow>({ db, table: cases, parentColumn: cases.householdId, parentOf: (r) => r.householdId, keys: [{ column: cases.id }], keyOf: (r) => [r.id], maxPageSize });

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
