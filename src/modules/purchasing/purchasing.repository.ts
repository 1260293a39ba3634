import { and, asc, eq, exists, inArray, notExists, or, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowGroupsByKeys, rowsByKeys } from '../../db/batch';
import { paginate, type Page, type PageRequest } from '../../db/paginate';
import { scopeCondition, within } from '../../db/scope';
import {
  bids,
  expertLinks,
  expertScores,
  organizations,
  procurementExperts,
  procurementThresholds,
  projectExperts,
  purchaseContracts,
  purchaseProjectEvents,
  purchaseProjectItems,
  purchaseProjects,
  scoringCriteria,
  serviceCategories,
} from '../../db/schema';
import { AWARDED_STATUSES, DISCLOSED_STATUSES } from './purchasing.transitions';

export type ProjectRow = typeof purchaseProjects.$inferSelect;
export type NewProjectRow = typeof purchaseProjects.$inferInsert;
export type ProjectEventRow = typeof purchaseProjectEvents.$inferSelect;
export type ProjectStatusValue = ProjectRow['status'];
export type MethodValue = NonNullable<ProjectRow['method']>;
export type BidRow = typeof bids.$inferSelect;
export type ThresholdRow = typeof procurementThresholds.$inferSelect;
export type ExpertRow = typeof procurementExperts.$inferSelect;
export type ExpertLinkRow = typeof expertLinks.$inferSelect;
export type CriterionRow = typeof scoringCriteria.$inferSelect;
export type ScoreRow = typeof expertScores.$inferSelect;

/** Name of the unique index on one bid per provider per project. */
export const ONE_BID_PER_PROVIDER = 'bids_project_provider_uq';

// ---- scopes ----

const disclosed = inArray(purchaseProjects.status, [...DISCLOSED_STATUSES]);

/* projectScope: disclosed projects are public (信息公开); the rest only in the purchaser's scope */
export function projectScope(v: Visibility): SQL | undefined {
  const inScope = scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) => within(purchaseProjects.districtId, districtIds),
    MY_STREETS: ({ streetIds }) => within(purchaseProjects.streetId, streetIds),
  });
  return inScope === undefined ? undefined : or(disclosed, inScope);
}

/** Whether the viewer manages a project beyond its disclosure: in the purchaser's scope, or city-wide. */
export function managesProject(v: Visibility, project: Pick<ProjectRow, 'districtId' | 'streetId'>): boolean {
  return v.scopes.some(
    (scope) =>
      scope === 'ALL' ||
      (scope === 'MY_DISTRICTS' && project.districtId !== null && v.districtIds.includes(project.districtId)) ||
      (scope === 'MY_STREETS' && project.streetId !== null && v.streetIds.includes(project.streetId)),
  );
}

/* bidScope: a provider's own bids; the purchaser's (by where the project lies) */
export function bidScope(v: Visibility): SQL | undefined {
  const ofProjects = (condition: SQL) => sql`${bids.projectId} in (select ${purchaseProjects.id} from ${purchaseProjects} where ${condition})`;
  return scopeCondition(v, {
    MY_ORGANIZATION: ({ organizationId }) => (organizationId === null ? sql`false` : eq(bids.providerId, organizationId)),
    MY_DISTRICTS: ({ districtIds }) => ofProjects(within(purchaseProjects.districtId, districtIds)),
    MY_STREETS: ({ streetIds }) => ofProjects(within(purchaseProjects.streetId, streetIds)),
  });
}

// ---- projects ----

export interface ProjectFilter {
  readonly fiscalYears?: readonly number[];
  readonly districtIds?: readonly number[];
  readonly statuses?: readonly ProjectStatusValue[];
  readonly categoryIds?: readonly number[];
  readonly purchaserIds?: readonly number[];
}

/* listProjects: newest first */
export function listProjects(db: Database, v: Visibility, filter: ProjectFilter, request: PageRequest, maxPageSize: number): Promise<Page<ProjectRow>> {
  const conditions = [projectScope(v)];
  if (filter.fiscalYears) conditions.push(inArray(purchaseProjects.fiscalYear, [...filter.fiscalYears, -1]));
  if (filter.districtIds) conditions.push(within(purchaseProjects.districtId, filter.districtIds));
  if (filter.statuses) conditions.push(filter.statuses.length === 0 ? sql`false` : inArray(purchaseProjects.status, [...filter.statuses]));
  if (filter.purchaserIds) conditions.push(within(purchaseProjects.purchaserId, filter.purchaserIds));
  if (filter.categoryIds) {
    const items = db
      .select({ one: sql`1` })
      .from(purchaseProjectItems)
      .where(and(eq(purchaseProjectItems.projectId, purchaseProjects.id), within(purchaseProjectItems.categoryId, filter.categoryIds)));
    conditions.push(exists(items));
  }
  return paginate<ProjectRow>({ db, table: purchaseProjects, where: and(...conditions), keys: [{ column: purchaseProjects.id, descending: true }], keyOf: (r) => [r.id], request, maxPageSize });
}

export function findProjectsByIds(db: Database, v: Visibility, ids: readonly number[]): Promise<(ProjectRow | undefined)[]> {
  return rowsByKeys<ProjectRow>(db, purchaseProjects, purchaseProjects.id, ids, (r) => r.id, projectScope(v));
}

/** The project, locked against concurrent changes until the transaction ends. */
export async function lockProject(db: Database, id: number): Promise<ProjectRow | undefined> {
  const [row] = await db.select().from(purchaseProjects).where(eq(purchaseProjects.id, id)).for('update');
  return row;
}

export async function insertProject(db: Database, values: NewProjectRow): Promise<ProjectRow> {
  const [row] = await db.insert(purchaseProjects).values(values).returning();
  return row!;
}

export async function updateProjectRow(db: Database, id: number, changes: Partial<NewProjectRow>): Promise<ProjectRow> {
  const [row] = await db
    .update(purchaseProjects)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(purchaseProjects.id, id))
    .returning();
  return row!;
}

export async function insertProjectEvent(db: Database, values: typeof purchaseProjectEvents.$inferInsert): Promise<void> {
  await db.insert(purchaseProjectEvents).values(values);
}

export async function replaceProjectItems(db: Database, projectId: number, categoryIds: readonly number[]): Promise<void> {
  await db.delete(purchaseProjectItems).where(eq(purchaseProjectItems.projectId, projectId));
  await db.insert(purchaseProjectItems).values(categoryIds.map((categoryId) => ({ projectId, categoryId })));
}

/* findCategoryStates: whether each catalogue item exists and is active */
export function findCategoryStates(db: Database, ids: readonly number[]) {
  return db.select({ id: serviceCategories.id, retiredAt: serviceCategories.retiredAt }).from(serviceCategories).where(inArray(serviceCategories.id, [...ids]));
}

/**
 * What purchasing checks of a purchaser, a bidder or an expert's link. With `lock`, the row is
 * locked FOR SHARE: a check of a provider's standing then waits for a ban in flight and sees it.
 */
export async function findOrganizationFacts(db: Database, id: number, lock = false) {
  const query = db
    .select({
      id: organizations.id,
      kind: organizations.kind,
      departmentFunction: organizations.departmentFunction,
      districtId: organizations.districtId,
      streetId: organizations.streetId,
      isProvider: organizations.isProvider,
      providerStatus: organizations.providerStatus,
      bannedUntil: organizations.bannedUntil,
    })
    .from(organizations)
    .where(eq(organizations.id, id));
  const [row] = lock ? await query.for('share') : await query;
  return row;
}

/* categoriesOfProjects: the catalogue items of each project, in catalogue order */
export async function categoriesOfProjects(db: Database, projectIds: readonly number[]) {
  const rows = await db
    .select({ projectId: purchaseProjectItems.projectId, category: serviceCategories })
    .from(purchaseProjectItems)
    .innerJoin(serviceCategories, eq(serviceCategories.id, purchaseProjectItems.categoryId))
    .where(inArray(purchaseProjectItems.projectId, [...projectIds]))
    .orderBy(asc(serviceCategories.sortOrder), asc(serviceCategories.id));
  return groupBy(projectIds, rows, (r) => r.projectId).map((group) => group.map((r) => r.category));
}

export function eventsOfProjects(db: Database, projectIds: readonly number[]): Promise<ProjectEventRow[][]> {
  return rowGroupsByKeys<ProjectEventRow>(db, purchaseProjectEvents, purchaseProjectEvents.projectId, purchaseProjectEvents.id, projectIds, (r) => r.projectId);
}

// ---- thresholds ----

export function listThresholds(db: Database): Promise<ThresholdRow[]> {
  return db.select().from(procurementThresholds).orderBy(asc(procurementThresholds.minBudgetFen));
}

/* upsertThreshold: one row per minimum amount */
export async function upsertThreshold(db: Database, values: typeof procurementThresholds.$inferInsert): Promise<ThresholdRow> {
  const [row] = await db
    .insert(procurementThresholds)
    .values(values)
    .onConflictDoUpdate({ target: procurementThresholds.minBudgetFen, set: { allowedMethods: values.allowedMethods, source: values.source, updatedBy: values.updatedBy, updatedAt: new Date() } })
    .returning();
  return row!;
}

// ---- criteria ----

export function criteriaOfProjects(db: Database, projectIds: readonly number[]): Promise<CriterionRow[][]> {
  return rowGroupsByKeys<CriterionRow>(db, scoringCriteria, scoringCriteria.projectId, scoringCriteria.position, projectIds, (r) => r.projectId);
}

export async function replaceCriteria(db: Database, projectId: number, criteria: readonly { name: string; description: string | null; weight: number }[]): Promise<void> {
  await db.delete(scoringCriteria).where(eq(scoringCriteria.projectId, projectId));
  if (criteria.length > 0) await db.insert(scoringCriteria).values(criteria.map((c, position) => ({ projectId, position, ...c })));
}

// ---- experts ----

export async function insertExpert(db: Database, values: typeof procurementExperts.$inferInsert): Promise<ExpertRow> {
  const [row] = await db.insert(procurementExperts).values(values).returning();
  return row!;
}

export async function findExpert(db: Database, id: number): Promise<ExpertRow | undefined> {
  const [row] = await db.select().from(procurementExperts).where(eq(procurementExperts.id, id));
  return row;
}

/** Purchasing officials (the purchasers, the city, finance): a scope on projects beyond what is disclosed. */
export function isPurchasingOfficial(v: Visibility): boolean {
  return v.scopes.length > 0;
}

/* expertScope: officials see the pool; everyone sees the experts of awarded projects' panels */
export function expertScope(v: Visibility): SQL | undefined {
  if (isPurchasingOfficial(v)) return undefined;
  return sql`${procurementExperts.id} in (select ${projectExperts.expertId} from ${projectExperts} join ${purchaseProjects} on ${purchaseProjects.id} = ${projectExperts.projectId} where ${inArray(purchaseProjects.status, [...AWARDED_STATUSES])})`;
}

export function findExpertsByIds(db: Database, v: Visibility, ids: readonly number[]): Promise<(ExpertRow | undefined)[]> {
  return rowsByKeys<ExpertRow>(db, procurementExperts, procurementExperts.id, ids, (r) => r.id, expertScope(v));
}

export function listExperts(db: Database, request: PageRequest, maxPageSize: number): Promise<Page<ExpertRow>> {
  return paginate<ExpertRow>({ db, table: procurementExperts, where: undefined, keys: [{ column: procurementExperts.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export async function insertExpertLink(db: Database, values: typeof expertLinks.$inferInsert): Promise<void> {
  await db.insert(expertLinks).values(values);
}

export function linksOfExperts(db: Database, expertIds: readonly number[]): Promise<ExpertLinkRow[][]> {
  return rowGroupsByKeys<ExpertLinkRow>(db, expertLinks, expertLinks.expertId, expertLinks.id, expertIds, (r) => r.expertId);
}

/* findConflicts: the declared links of an expert to an organization */
export function findConflicts(db: Database, expertId: number, organizationId: number): Promise<ExpertLinkRow[]> {
  return db
    .select()
    .from(expertLinks)
    .where(and(eq(expertLinks.expertId, expertId), eq(expertLinks.organizationId, organizationId)));
}

/* panelsOfProjects: each project's review panel, in the order experts were registered */
export async function panelsOfProjects(db: Database, projectIds: readonly number[]): Promise<ExpertRow[][]> {
  const rows = await db
    .select({ projectId: projectExperts.projectId, expert: procurementExperts })
    .from(projectExperts)
    .innerJoin(procurementExperts, eq(procurementExperts.id, projectExperts.expertId))
    .where(inArray(projectExperts.projectId, [...projectIds]))
    .orderBy(asc(procurementExperts.id));
  return groupBy(projectIds, rows, (r) => r.projectId).map((group) => group.map((r) => r.expert));
}

export async function replacePanel(db: Database, projectId: number, expertIds: readonly number[]): Promise<void> {
  await db.delete(projectExperts).where(eq(projectExperts.projectId, projectId));
  if (expertIds.length > 0) await db.insert(projectExperts).values(expertIds.map((expertId) => ({ projectId, expertId })));
}

// ---- bids ----

export interface BidFilter {
  readonly projectIds?: readonly number[];
  readonly providerIds?: readonly number[];
}

/* listBids: the viewer's visible bids, newest first */
export function listBids(db: Database, v: Visibility, filter: BidFilter, request: PageRequest, maxPageSize: number): Promise<Page<BidRow>> {
  const conditions = [bidScope(v)];
  if (filter.projectIds) conditions.push(within(bids.projectId, filter.projectIds));
  if (filter.providerIds) conditions.push(within(bids.providerId, filter.providerIds));
  return paginate<BidRow>({ db, table: bids, where: and(...conditions), keys: [{ column: bids.id, descending: true }], keyOf: (r) => [r.id], request, maxPageSize });
}

export function findBidsByIds(db: Database, v: Visibility, ids: readonly number[]): Promise<(BidRow | undefined)[]> {
  return rowsByKeys<BidRow>(db, bids, bids.id, ids, (r) => r.id, bidScope(v));
}

/* bidsOfProjects: every bid of each project, oldest first (scope applied by the caller's choice) */
export async function bidsOfProjects(db: Database, projectIds: readonly number[], scope?: SQL): Promise<BidRow[][]> {
  const rows = await db
    .select()
    .from(bids)
    .where(and(inArray(bids.projectId, [...projectIds]), scope))
    .orderBy(asc(bids.id));
  return groupBy(projectIds, rows, (r) => r.projectId);
}

export async function lockBid(db: Database, id: number): Promise<BidRow | undefined> {
  const [row] = await db.select().from(bids).where(eq(bids.id, id)).for('update');
  return row;
}

export async function findBidOf(db: Database, projectId: number, providerId: number): Promise<BidRow | undefined> {
  const [row] = await db
    .select()
    .from(bids)
    .where(and(eq(bids.projectId, projectId), eq(bids.providerId, providerId)))
    .for('update');
  return row;
}

export async function insertBid(db: Database, values: typeof bids.$inferInsert): Promise<BidRow> {
  const [row] = await db.insert(bids).values(values).returning();
  return row!;
}

export async function updateBidRow(db: Database, id: number, changes: Partial<typeof bids.$inferInsert>): Promise<BidRow> {
  const [row] = await db.update(bids).set(changes).where(eq(bids.id, id)).returning();
  return row!;
}

/* settleBids: the award marks the winner AWARDED and every other live bid NOT_AWARDED */
export async function settleBids(db: Database, projectId: number, winnerId: number): Promise<void> {
  await db
    .update(bids)
    .set({ status: sql`case when ${bids.id} = ${winnerId} then 'AWARDED'::bid_status else 'NOT_AWARDED'::bid_status end` })
    .where(and(eq(bids.projectId, projectId), eq(bids.status, 'SUBMITTED')));
}

// ---- scores ----

/**
 * The scores that count for each project's bids: a sheet of an expert linked to the bidder is left
 * out, even when it was recorded before the link was declared (回避 applies to the ranking, not only
 * to recording).
 */
export async function scoresOfProjects(db: Database, projectIds: readonly number[]): Promise<ScoreRow[][]> {
  const linked = db
    .select({ one: sql`1` })
    .from(expertLinks)
    .where(and(eq(expertLinks.expertId, expertScores.expertId), eq(expertLinks.organizationId, bids.providerId)));
  const rows = await db
    .select({ projectId: bids.projectId, score: expertScores })
    .from(expertScores)
    .innerJoin(bids, eq(bids.id, expertScores.bidId))
    .where(and(inArray(bids.projectId, [...projectIds]), notExists(linked)))
    .orderBy(asc(expertScores.id));
  return groupBy(projectIds, rows, (r) => r.projectId).map((group) => group.map((r) => r.score));
}

/* replaceScoreSheet: one expert's sheet for one bid */
export async function replaceScoreSheet(db: Database, bidId: number, expertId: number, scores: readonly { criterionId: number; score: number }[], recordedBy: string | null): Promise<void> {
  await db.delete(expertScores).where(and(eq(expertScores.bidId, bidId), eq(expertScores.expertId, expertId)));
  await db.insert(expertScores).values(scores.map((s) => ({ bidId, expertId, recordedBy, ...s })));
}

/* deleteScoresOfBid: a withdrawn bid's sheets scored a proposal that is gone; a new bid is scored afresh */
export async function deleteScoresOfBid(db: Database, bidId: number): Promise<void> {
  await db.delete(expertScores).where(eq(expertScores.bidId, bidId));
}

/* countScoresOfProject: whether scoring has begun (the panel and criteria are then fixed) */
export async function countScoresOfProject(db: Database, projectId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(expertScores)
    .innerJoin(bids, eq(bids.id, expertScores.bidId))
    .where(eq(bids.projectId, projectId));
  return Number(row?.n ?? 0);
}

/** Whether the project's contract is still ACTIVE (its capacity is still in the matching pool). */
export async function hasActiveContract(db: Database, projectId: number): Promise<boolean> {
  const rows = await db
    .select({ id: purchaseContracts.id })
    .from(purchaseContracts)
    .where(and(eq(purchaseContracts.projectId, projectId), eq(purchaseContracts.status, 'ACTIVE')))
    .limit(1);
  return rows.length > 0;
}

function groupBy<Row>(keys: readonly number[], rows: readonly Row[], keyOf: (row: Row) => number): Row[][] {
  const groups = new Map<number, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}
