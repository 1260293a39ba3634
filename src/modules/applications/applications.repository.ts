import { and, asc, count, eq, inArray, isNotNull, isNull, ne, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowGroupsByKeys, rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type PageRequest } from '../../db/paginate';
import { scopeCondition, within } from '../../db/scope';
import {
  applicationChecklistItems,
  applicationEvents,
  applicationHandoffs,
  applicationMaterials,
  applications,
  cases,
  committees,
  discoveryReports,
  households,
  materialKinds,
  organizations,
  persons,
  publicityObjections,
  verificationRequests,
} from '../../db/schema';
import { FINAL_APPLICATION_STATUSES } from './applications.transitions';

export type ApplicationRow = typeof applications.$inferSelect;
export type NewApplicationRow = typeof applications.$inferInsert;
export type ApplicationEventRow = typeof applicationEvents.$inferSelect;
export type ApplicationHandoffRow = typeof applicationHandoffs.$inferSelect;
export type ApplicationMaterialRow = typeof applicationMaterials.$inferSelect;
export type NewApplicationMaterialRow = typeof applicationMaterials.$inferInsert;
export type MaterialKindRow = typeof materialKinds.$inferSelect;
export type NewMaterialKindRow = typeof materialKinds.$inferInsert;
export type ObjectionRow = typeof publicityObjections.$inferSelect;
export type DiscoveryReportRow = typeof discoveryReports.$inferSelect;
export type NewDiscoveryReportRow = typeof discoveryReports.$inferInsert;
export type ApplicationTypeValue = ApplicationRow['type'];
export type ApplicationStatusValue = ApplicationRow['status'];

/** Unique indexes whose violations the services turn into answers. */
export const ONE_LIVE_APPLICATION_PER_TYPE_UNIQUE = 'applications_one_live_per_type_uq';
export const APPLICATION_IDEMPOTENCY_KEY_UNIQUE = 'applications_idempotency_key_uq';

const FINAL = [...FINAL_APPLICATION_STATUSES];

/**
 * Applications a visibility reaches: by the competent street or district (户籍地), by the
 * organization that received or owns them (首问负责), by the viewer's cases, or — for committees —
 * those under publicity in their streets.
 */
export function applicationScope(v: Visibility): SQL | undefined {
  return scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) => within(applications.competentDistrictId, districtIds),
    MY_STREETS: ({ streetIds }) => within(applications.competentStreetId, streetIds),
    RECEIVED_BY_MY_ORGANIZATION: ({ organizationId }) => sql`(${applications.receivingOrganizationId} = ${organizationId ?? -1} or ${applications.ownerOrganizationId} = ${organizationId ?? -1})`,
    MY_CASES: ({ staffMemberId }) => sql`exists (select 1 from ${cases} where ${cases.householdId} = ${applications.householdId} and ${cases.caseworkerId} = ${staffMemberId ?? -1})`,
    UNDER_PUBLICITY_IN_MY_STREETS: ({ streetIds }) => and(eq(applications.status, 'PUBLICITY'), within(applications.competentStreetId, streetIds))!,
  });
}

/** Households with a live application that the organization received or owns: what a centre follows. */
export function householdsWithApplicationsOf(organizationId: number | null): SQL {
  return sql`exists (select 1 from ${applications} where ${applications.householdId} = ${households.id} and (${applications.receivingOrganizationId} = ${organizationId ?? -1} or ${applications.ownerOrganizationId} = ${organizationId ?? -1}) and ${notInArray(applications.status, FINAL)})`;
}

function ofVisibleApplications(column: typeof publicityObjections.applicationId | typeof applicationMaterials.applicationId, v: Visibility): SQL | undefined {
  const scope = applicationScope(v);
  return scope === undefined ? undefined : sql`${column} in (select ${applications.id} from ${applications} where ${scope})`;
}

/** Objections are read by officials whose scope reaches the application: never by committees or providers. */
export const objectionScope = (v: Visibility): SQL | undefined => ofVisibleApplications(publicityObjections.applicationId, v);

export function discoveryReportScope(v: Visibility): SQL | undefined {
  return scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) => within(discoveryReports.districtId, districtIds),
    MY_STREETS: ({ streetIds }) => within(discoveryReports.streetId, streetIds),
  });
}

export interface ApplicationListFilter {
  readonly statuses?: readonly ApplicationStatusValue[];
  readonly types?: readonly ApplicationTypeValue[];
  readonly districtIds?: readonly number[];
  readonly streetIds?: readonly number[];
  readonly receivingOrganizationIds?: readonly number[];
  readonly householdIds?: readonly number[];
}

const list = <T extends string | number>(column: Parameters<typeof inArray>[0], values: readonly T[] | undefined) => (values?.length ? inArray(column, [...values]) : undefined);
const byId = <Row extends { id: number }>(column: typeof applications.id) => ({ keys: [{ column }], keyOf: (r: Row) => [r.id] });

/* listApplications */
export function listApplications(db: Database, v: Visibility, filter: ApplicationListFilter, request: PageRequest, maxPageSize: number) {
  const where = and(
    applicationScope(v),
    list(applications.status, filter.statuses),
    list(applications.type, filter.types),
    list(applications.competentDistrictId, filter.districtIds),
    list(applications.competentStreetId, filter.streetIds),
    list(applications.receivingOrganizationId, filter.receivingOrganizationIds),
    list(applications.householdId, filter.householdIds),
  );
  return paginate<ApplicationRow>({ db, table: applications, where, ...byId<ApplicationRow>(applications.id), request, maxPageSize });
}

export const findApplicationsByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<ApplicationRow>(db, applications, applications.id, ids, (r) => r.id, applicationScope(v));

export const applicationsOfHouseholdLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<ApplicationRow>({ db, table: applications, parentColumn: applications.householdId, parentOf: (r) => r.householdId, where: applicationScope(v), keys: [{ column: applications.id }], keyOf: (r) => [r.id], maxPageSize });

export const eventsOfApplicationLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<ApplicationEventRow>({ db, table: applicationEvents, parentColumn: applicationEvents.applicationId, parentOf: (r) => r.applicationId, keys: [{ column: applicationEvents.id }], keyOf: (r) => [r.id], maxPageSize });

export const handoffsOfApplicationLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<ApplicationHandoffRow>({ db, table: applicationHandoffs, parentColumn: applicationHandoffs.applicationId, parentOf: (r) => r.applicationId, keys: [{ column: applicationHandoffs.id }], keyOf: (r) => [r.id], maxPageSize });

/* materialsOfApplications: in notice order (rows are inserted in checklist order) */
export const materialsOfApplications = (db: Database, applicationIds: readonly number[]) =>
  rowGroupsByKeys<ApplicationMaterialRow>(db, applicationMaterials, applicationMaterials.applicationId, applicationMaterials.id, applicationIds, (r) => r.applicationId);

export const findObjectionsByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<ObjectionRow>(db, publicityObjections, publicityObjections.id, ids, (r) => r.id, objectionScope(v));

/* objectionsOfApplications: only those the viewer may read */
export async function objectionsOfApplications(db: Database, v: Visibility, applicationIds: readonly number[]): Promise<ObjectionRow[][]> {
  const rows = await db
    .select()
    .from(publicityObjections)
    .where(and(inArray(publicityObjections.applicationId, [...applicationIds]), objectionScope(v)))
    .orderBy(asc(publicityObjections.id));
  const groups = new Map<number, ObjectionRow[]>(applicationIds.map((id) => [id, []]));
  for (const row of rows) groups.get(row.applicationId)?.push(row);
  return applicationIds.map((id) => groups.get(id)!);
}

/* discoveryReportsOfApplications: the report each application came from, if the viewer may see it */
export async function discoveryReportsOfApplications(db: Database, v: Visibility, applicationIds: readonly number[]): Promise<(DiscoveryReportRow | undefined)[]> {
  const rows = await db
    .select()
    .from(discoveryReports)
    .where(and(inArray(discoveryReports.applicationId, [...applicationIds]), discoveryReportScope(v)));
  const byApplication = new Map(rows.map((r) => [r.applicationId!, r]));
  return applicationIds.map((id) => byApplication.get(id));
}

export interface NoticeExceptionFilter {
  readonly districtIds?: readonly number[];
  readonly streetIds?: readonly number[];
  readonly receivingOrganizationIds?: readonly number[];
}

/* listNoticeExceptions: materials asked for outside the first notice, of applications in scope */
export function listNoticeExceptions(db: Database, v: Visibility, filter: NoticeExceptionFilter, request: PageRequest, maxPageSize: number) {
  const place = and(
    applicationScope(v),
    list(applications.competentDistrictId, filter.districtIds),
    list(applications.competentStreetId, filter.streetIds),
    list(applications.receivingOrganizationId, filter.receivingOrganizationIds),
  );
  const where = and(isNotNull(applicationMaterials.exceptionReason), place ? sql`${applicationMaterials.applicationId} in (select ${applications.id} from ${applications} where ${place})` : undefined);
  return paginate<ApplicationMaterialRow>({ db, table: applicationMaterials, where, keys: [{ column: applicationMaterials.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export interface DiscoveryReportFilter {
  readonly statuses?: readonly DiscoveryReportRow['status'][];
  readonly districtIds?: readonly number[];
  readonly streetIds?: readonly number[];
}

/* listDiscoveryReports */
export function listDiscoveryReports(db: Database, v: Visibility, filter: DiscoveryReportFilter, request: PageRequest, maxPageSize: number) {
  const where = and(discoveryReportScope(v), list(discoveryReports.status, filter.statuses), list(discoveryReports.districtId, filter.districtIds), list(discoveryReports.streetId, filter.streetIds));
  return paginate<DiscoveryReportRow>({ db, table: discoveryReports, where, keys: [{ column: discoveryReports.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export const findDiscoveryReportsByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<DiscoveryReportRow>(db, discoveryReports, discoveryReports.id, ids, (r) => r.id, discoveryReportScope(v));

// Material kinds and checklists: reference data, open to all.

export const findMaterialKindsByIds = (db: Database, ids: readonly number[]) => rowsByKeys<MaterialKindRow>(db, materialKinds, materialKinds.id, ids, (r) => r.id);

/* listMaterialKinds */
export function listMaterialKinds(db: Database): Promise<MaterialKindRow[]> {
  return db.select().from(materialKinds).orderBy(asc(materialKinds.id));
}

/* checklistsOfTypes: the material kinds each type requires, in notice order */
export async function checklistsOfTypes(db: Database, types: readonly ApplicationTypeValue[]): Promise<MaterialKindRow[][]> {
  const rows = await db
    .select({ type: applicationChecklistItems.type, kind: materialKinds })
    .from(applicationChecklistItems)
    .innerJoin(materialKinds, eq(materialKinds.id, applicationChecklistItems.materialKindId))
    .where(inArray(applicationChecklistItems.type, [...types]))
    .orderBy(asc(applicationChecklistItems.sortOrder), asc(materialKinds.id));
  return types.map((type) => rows.filter((r) => r.type === type).map((r) => r.kind));
}

export async function findMaterialKindById(db: Database, id: number): Promise<MaterialKindRow | undefined> {
  const [row] = await db.select().from(materialKinds).where(eq(materialKinds.id, id));
  return row;
}

export async function findMaterialKindByCode(db: Database, code: string): Promise<MaterialKindRow | undefined> {
  const [row] = await db.select().from(materialKinds).where(eq(materialKinds.code, code));
  return row;
}

export async function insertMaterialKind(db: Database, values: NewMaterialKindRow): Promise<MaterialKindRow> {
  const [row] = await db.insert(materialKinds).values(values).returning();
  return row!;
}

export async function updateMaterialKindRow(db: Database, id: number, values: Partial<NewMaterialKindRow>): Promise<MaterialKindRow> {
  const [row] = await db
    .update(materialKinds)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(materialKinds.id, id))
    .returning();
  return row!;
}

/* replaceChecklist: the type's checklist becomes exactly these kinds, in this order */
export async function replaceChecklist(db: Database, type: ApplicationTypeValue, materialKindIds: readonly number[]): Promise<void> {
  await db.delete(applicationChecklistItems).where(eq(applicationChecklistItems.type, type));
  if (materialKindIds.length === 0) return;
  await db.insert(applicationChecklistItems).values(materialKindIds.map((materialKindId, i) => ({ type, materialKindId, sortOrder: (i + 1) * 10 })));
}

/** Serialises checklist edits of one type (two administrators replacing the same list). */
export async function lockChecklistOfType(db: Database, type: ApplicationTypeValue): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`application_checklist:${type}`}))`);
}

// Writes of the lifecycle.

/** The household with its competent place: the street and district of its registered committee. */
export async function findHouseholdForIntake(db: Database, householdId: number) {
  const [row] = await db
    .select({
      id: households.id,
      committeeId: households.committeeId,
      streetId: households.streetId,
      districtId: households.districtId,
      registeredCommitteeId: households.registeredCommitteeId,
      competentStreetId: committees.streetId,
      competentDistrictId: committees.districtId,
    })
    .from(households)
    .innerJoin(committees, eq(committees.id, households.registeredCommitteeId))
    .where(eq(households.id, householdId));
  return row;
}

/** What the finders need of the members: no names, no ID numbers. */
export async function findMemberFacts(db: Database, householdId: number) {
  return db
    .select({ id: persons.id, birthDate: persons.birthDate, attributes: persons.attributes, hasIdNumber: sql<boolean>`${persons.idNumber} <> ''` })
    .from(persons)
    .where(eq(persons.householdId, householdId));
}

export async function findOrganizationForApplication(db: Database, id: number) {
  const [row] = await db
    .select({ id: organizations.id, kind: organizations.kind, streetId: organizations.streetId, districtId: organizations.districtId })
    .from(organizations)
    .where(eq(organizations.id, id));
  return row;
}

export async function findApplicationByIdempotencyKey(db: Database, key: string): Promise<ApplicationRow | undefined> {
  const [row] = await db.select().from(applications).where(eq(applications.idempotencyKey, key));
  return row;
}

export async function findLiveApplicationOfType(db: Database, householdId: number, type: ApplicationTypeValue): Promise<{ id: number } | undefined> {
  const [row] = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.householdId, householdId), eq(applications.type, type), notInArray(applications.status, FINAL)));
  return row;
}

export async function lockApplication(db: Database, id: number): Promise<ApplicationRow | undefined> {
  const [row] = await db.select().from(applications).where(eq(applications.id, id)).for('update');
  return row;
}

export async function insertApplication(db: Database, values: NewApplicationRow): Promise<ApplicationRow> {
  const [row] = await db.insert(applications).values(values).returning();
  return row!;
}

export async function updateApplicationRow(db: Database, id: number, values: Partial<NewApplicationRow>): Promise<ApplicationRow> {
  const [row] = await db
    .update(applications)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(applications.id, id))
    .returning();
  return row!;
}

export async function insertApplicationEvent(db: Database, values: typeof applicationEvents.$inferInsert): Promise<void> {
  await db.insert(applicationEvents).values(values);
}

export async function insertHandoff(db: Database, values: typeof applicationHandoffs.$inferInsert): Promise<void> {
  await db.insert(applicationHandoffs).values(values);
}

export async function insertMaterials(db: Database, values: readonly NewApplicationMaterialRow[]): Promise<void> {
  if (values.length > 0) await db.insert(applicationMaterials).values([...values]);
}

export async function findMaterialsOfApplication(db: Database, applicationId: number): Promise<ApplicationMaterialRow[]> {
  return db.select().from(applicationMaterials).where(eq(applicationMaterials.applicationId, applicationId)).orderBy(asc(applicationMaterials.id));
}

export async function updateMaterialRow(db: Database, id: number, values: Partial<NewApplicationMaterialRow>): Promise<void> {
  await db
    .update(applicationMaterials)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(applicationMaterials.id, id));
}

export async function countMissingMaterials(db: Database, applicationId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(applicationMaterials)
    .where(and(eq(applicationMaterials.applicationId, applicationId), eq(applicationMaterials.state, 'MISSING')));
  return Number(row?.n ?? 0);
}

/** The application's verification in progress or done (not cancelled), if any. */
/** Locks the household row: approvals of two applications of one household take turns over its case. */
export async function lockHousehold(db: Database, householdId: number): Promise<void> {
  await db.select({ id: households.id }).from(households).where(eq(households.id, householdId)).for('update');
}

export async function findVerificationOfApplication(db: Database, applicationId: number): Promise<{ id: number; status: string; outcome: string | null } | undefined> {
  const [row] = await db
    .select({ id: verificationRequests.id, status: verificationRequests.status, outcome: verificationRequests.outcome })
    .from(verificationRequests)
    .where(and(eq(verificationRequests.applicationId, applicationId), ne(verificationRequests.status, 'CANCELLED')));
  return row;
}

export async function insertVerificationRequest(db: Database, values: typeof verificationRequests.$inferInsert): Promise<void> {
  await db.insert(verificationRequests).values(values);
}

/** An application that ends before its verification does takes the verification with it. */
export async function cancelPendingVerification(db: Database, applicationId: number): Promise<void> {
  await db
    .update(verificationRequests)
    .set({ status: 'CANCELLED' })
    .where(and(eq(verificationRequests.applicationId, applicationId), eq(verificationRequests.status, 'PENDING')));
}

export async function insertObjection(db: Database, values: typeof publicityObjections.$inferInsert): Promise<ObjectionRow> {
  const [row] = await db.insert(publicityObjections).values(values).returning();
  return row!;
}

export async function lockObjection(db: Database, id: number): Promise<ObjectionRow | undefined> {
  const [row] = await db.select().from(publicityObjections).where(eq(publicityObjections.id, id)).for('update');
  return row;
}

export async function answerObjectionRow(db: Database, id: number, answer: string, answeredBy: string | null): Promise<ObjectionRow> {
  const [row] = await db.update(publicityObjections).set({ answer, answeredBy, answeredAt: new Date() }).where(eq(publicityObjections.id, id)).returning();
  return row!;
}

export async function countUnansweredObjections(db: Database, applicationId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(publicityObjections)
    .where(and(eq(publicityObjections.applicationId, applicationId), isNull(publicityObjections.answer)));
  return Number(row?.n ?? 0);
}

export async function insertDiscoveryReport(db: Database, values: NewDiscoveryReportRow): Promise<DiscoveryReportRow> {
  const [row] = await db.insert(discoveryReports).values(values).returning();
  return row!;
}

export async function lockDiscoveryReport(db: Database, id: number): Promise<DiscoveryReportRow | undefined> {
  const [row] = await db.select().from(discoveryReports).where(eq(discoveryReports.id, id)).for('update');
  return row;
}

export async function updateDiscoveryReportRow(db: Database, id: number, values: Partial<NewDiscoveryReportRow>): Promise<DiscoveryReportRow> {
  const [row] = await db
    .update(discoveryReports)
    .set({ ...values, statusSince: new Date() })
    .where(eq(discoveryReports.id, id))
    .returning();
  return row!;
}

/** Adds an assistance status to a household (a set: adding it twice keeps one). */
export async function grantAssistanceStatus(db: Database, householdId: number, status: (typeof households.$inferSelect)['assistanceStatuses'][number]): Promise<void> {
  await db
    .update(households)
    .set({
      assistanceStatuses: sql`(select array_agg(distinct s) from unnest(array_append(${households.assistanceStatuses}, ${status}::assistance_status)) s)`,
      updatedAt: new Date(),
    })
    .where(eq(households.id, householdId));
}
