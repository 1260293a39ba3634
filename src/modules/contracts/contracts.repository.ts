import DataLoader from 'dataloader';
import { and, asc, eq, gt, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { rowGroupsByKeys, rowsByKeys } from '../../db/batch';
import { paginate, type PageRequest } from '../../db/paginate';
import { rowsOf } from '../../db/rows';
import { scopeCondition, within } from '../../db/scope';
import {
  bids,
  contractMilestones,
  districts,
  milestonePayments,
  organizations,
  purchaseContractAreas,
  purchaseContracts,
  purchaseProjectItems,
  purchaseProjects,
  referrals,
  resourceServiceAreas,
  resources,
  streets,
} from '../../db/schema';
import { LIVE_REFERRAL_STATUSES } from '../referrals/referrals.transitions';

export type ContractRow = typeof purchaseContracts.$inferSelect;
export type NewContractRow = typeof purchaseContracts.$inferInsert;
export type ContractAreaRow = typeof purchaseContractAreas.$inferSelect;
export type MilestoneRow = typeof contractMilestones.$inferSelect;
export type PaymentRow = typeof milestonePayments.$inferSelect;
export type ProjectRow = typeof purchaseProjects.$inferSelect;
type ResourceRow = typeof resources.$inferSelect;

// ---- scopes ----

/** Projects located in the viewer's districts or streets (where the purchaser sits). */
function projectPlaceRules(): Parameters<typeof scopeCondition>[1] {
  return {
    MY_DISTRICTS: ({ districtIds }) => within(purchaseProjects.districtId, districtIds),
    MY_STREETS: ({ streetIds }) => within(purchaseProjects.streetId, streetIds),
  };
}

/** Contracts of projects in the viewer's districts or streets, or signed by the viewer's own organization. */
export function contractScope(v: Visibility): SQL | undefined {
  const ofProjects = (condition: SQL) => sql`${purchaseContracts.projectId} in (select ${purchaseProjects.id} from ${purchaseProjects} where ${condition})`;
  return scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) => ofProjects(within(purchaseProjects.districtId, districtIds)),
    MY_STREETS: ({ streetIds }) => ofProjects(within(purchaseProjects.streetId, streetIds)),
    MY_ORGANIZATION: ({ organizationId }) => eq(purchaseContracts.providerId, organizationId ?? -1),
  });
}

// ---- signing ----

export async function lockProject(db: Database, id: number): Promise<ProjectRow | undefined> {
  const [row] = await db.select().from(purchaseProjects).where(eq(purchaseProjects.id, id)).for('update');
  return row;
}

/** The awarded bid with its provider's standing. */
/** The bid with its provider's standing; the provider row is locked FOR SHARE, so a ban in flight is waited for and seen. */
export async function findBidWithProvider(db: Database, bidId: number) {
  const [row] = await db
    .select({ id: bids.id, projectId: bids.projectId, providerId: bids.providerId, status: bids.status, priceFen: bids.priceFen, providerStatus: organizations.providerStatus, bannedUntil: organizations.bannedUntil })
    .from(bids)
    .innerJoin(organizations, eq(organizations.id, bids.providerId))
    .where(eq(bids.id, bidId))
    .for('share', { of: organizations });
  return row;
}

export async function findContractOfProject(db: Database, projectId: number): Promise<ContractRow | undefined> {
  const [row] = await db.select().from(purchaseContracts).where(eq(purchaseContracts.projectId, projectId));
  return row;
}

/** The catalogue items a project buys, in a stable order. */
export async function itemsOfProject(db: Database, projectId: number): Promise<number[]> {
  const rows = await db.select({ categoryId: purchaseProjectItems.categoryId }).from(purchaseProjectItems).where(eq(purchaseProjectItems.projectId, projectId)).orderBy(asc(purchaseProjectItems.categoryId));
  return rows.map((r) => r.categoryId);
}

export async function findDistrict(db: Database, id: number): Promise<{ id: number } | undefined> {
  const [row] = await db.select({ id: districts.id }).from(districts).where(eq(districts.id, id));
  return row;
}

export async function findStreet(db: Database, id: number): Promise<{ id: number; districtId: number } | undefined> {
  const [row] = await db.select({ id: streets.id, districtId: streets.districtId }).from(streets).where(eq(streets.id, id));
  return row;
}

export interface ContractArea {
  readonly districtId: number;
  readonly streetId: number | null;
}

export interface NewMilestone {
  readonly name: string;
  readonly dueOn: string;
  readonly amountFen: number;
}

export async function insertContract(db: Database, values: NewContractRow, areas: readonly ContractArea[], milestones: readonly NewMilestone[]): Promise<ContractRow> {
  const [contract] = await db.insert(purchaseContracts).values(values).returning();
  await db.insert(purchaseContractAreas).values(areas.map((area) => ({ contractId: contract!.id, districtId: area.districtId, streetId: area.streetId })));
  await db.insert(contractMilestones).values(milestones.map((m, i) => ({ contractId: contract!.id, seq: i + 1, ...m })));
  return contract!;
}

export interface NewContractResource {
  readonly categoryId: number;
  readonly capacity: number;
  readonly title: string;
}

/**
 * The contract's capacity as supply of its provider: one CONTRACT_FUNDED resource per item,
 * serving the contract's areas during its term. Returns their ids.
 */
export async function insertContractResources(db: Database, contract: ContractRow, items: readonly NewContractResource[], areas: readonly ContractArea[]): Promise<number[]> {
  const rows = await db
    .insert(resources)
    .values(
      items.map((item) => ({
        providerId: contract.providerId,
        categoryId: item.categoryId,
        title: item.title,
        description: contract.serviceStandard.slice(0, 2000),
        capacity: item.capacity,
        capacityPeriod: 'ONCE' as const,
        availableFrom: contract.termStart,
        availableUntil: contract.termEnd,
        cost: 'CONTRACT_FUNDED' as const,
        contractId: contract.id,
        isPublic: true,
      })),
    )
    .returning({ id: resources.id });
  await db.insert(resourceServiceAreas).values(
    rows.flatMap((r) => areas.map((area) => ({ resourceId: r.id, level: area.streetId === null ? ('DISTRICT' as const) : ('STREET' as const), districtId: area.districtId, streetId: area.streetId }))),
  );
  return rows.map((r) => r.id);
}

// ---- the life of a contract ----

/** The contract row locked, with where its project sits (for write scopes). The lock serialises payment requests. */
export async function lockContract(db: Database, id: number) {
  const [row] = await db
    .select({ contract: purchaseContracts, districtId: purchaseProjects.districtId, streetId: purchaseProjects.streetId })
    .from(purchaseContracts)
    .innerJoin(purchaseProjects, eq(purchaseProjects.id, purchaseContracts.projectId))
    .where(eq(purchaseContracts.id, id))
    .for('update', { of: purchaseContracts });
  return row;
}

/**
 * Locks the contract's resources in id order (as the takeover does), so a referral taking units on
 * one of them finishes before the live referrals are counted, and one coming later finds it closed.
 */
export async function lockResourcesOfContract(db: Database, contractId: number): Promise<void> {
  await db.select({ id: resources.id }).from(resources).where(eq(resources.contractId, contractId)).orderBy(resources.id).for('update');
}

export async function countLiveReferralsOfContract(db: Database, contractId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(referrals)
    .innerJoin(resources, eq(resources.id, referrals.resourceId))
    .where(and(eq(resources.contractId, contractId), inArray(referrals.status, [...LIVE_REFERRAL_STATUSES])));
  return Number(row?.n ?? 0);
}

export async function endContractRow(db: Database, id: number, status: 'COMPLETED' | 'TERMINATED', reason: string): Promise<ContractRow> {
  const [row] = await db.update(purchaseContracts).set({ status, endedAt: new Date(), endReason: reason }).where(eq(purchaseContracts.id, id)).returning();
  return row!;
}

/** Closes every resource of the contract that is not closed yet; returns their ids. */
export async function closeResourcesOfContract(db: Database, contractId: number, reason: string): Promise<number[]> {
  const now = new Date();
  const rows = await db
    .update(resources)
    .set({ status: 'CLOSED', closedAt: now, closureReason: reason, updatedAt: now })
    .where(and(eq(resources.contractId, contractId), ne(resources.status, 'CLOSED')))
    .returning({ id: resources.id });
  return rows.map((r) => r.id);
}

// ---- milestone payments ----

export async function findMilestone(db: Database, id: number): Promise<MilestoneRow | undefined> {
  const [row] = await db.select().from(contractMilestones).where(eq(contractMilestones.id, id));
  return row;
}

/** PENDING and APPROVED payments of the contract and of one of its milestones, in fen. */
export async function livePaymentSums(db: Database, contractId: number, milestoneId: number): Promise<{ contractFen: number; milestoneFen: number }> {
  const [row] = await db
    .select({
      contractFen: sql<string>`coalesce(sum(${milestonePayments.amountFen}), 0)`,
      milestoneFen: sql<string>`coalesce(sum(${milestonePayments.amountFen}) filter (where ${milestonePayments.milestoneId} = ${milestoneId}), 0)`,
    })
    .from(milestonePayments)
    .where(and(eq(milestonePayments.contractId, contractId), inArray(milestonePayments.status, ['PENDING', 'APPROVED'])));
  return { contractFen: Number(row?.contractFen ?? 0), milestoneFen: Number(row?.milestoneFen ?? 0) };
}

export async function insertPayment(db: Database, values: typeof milestonePayments.$inferInsert): Promise<PaymentRow> {
  const [row] = await db.insert(milestonePayments).values(values).returning();
  return row!;
}

export async function lockPayment(db: Database, id: number): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(milestonePayments).where(eq(milestonePayments.id, id)).for('update');
  return row;
}

export async function decidePayment(db: Database, id: number, status: 'APPROVED' | 'REJECTED', decidedBy: string, reason: string | null): Promise<PaymentRow> {
  const [row] = await db.update(milestonePayments).set({ status, decidedBy, decidedAt: new Date(), decisionReason: reason }).where(eq(milestonePayments.id, id)).returning();
  return row!;
}

// ---- reads ----

export interface ContractListFilter {
  readonly providerIds?: readonly number[];
  readonly projectIds?: readonly number[];
  readonly statuses?: readonly ContractRow['status'][];
}

function contractConditions(filter: ContractListFilter): SQL | undefined {
  return and(
    filter.providerIds?.length ? inArray(purchaseContracts.providerId, [...filter.providerIds]) : undefined,
    filter.projectIds?.length ? inArray(purchaseContracts.projectId, [...filter.projectIds]) : undefined,
    filter.statuses?.length ? inArray(purchaseContracts.status, [...filter.statuses]) : undefined,
  );
}

const byId = { keys: [{ column: purchaseContracts.id }], keyOf: (r: ContractRow) => [r.id] };

/** Contracts in the viewer's scope; `visibility` undefined lists every contract (the public disclosure, whose type shows only disclosed fields). */
export function listContracts(db: Database, visibility: Visibility | undefined, filter: ContractListFilter, request: PageRequest, maxPageSize: number) {
  const where = and(visibility ? contractScope(visibility) : undefined, contractConditions(filter));
  return paginate<ContractRow>({ db, table: purchaseContracts, where, ...byId, request, maxPageSize });
}

export const findContractsByIds = (db: Database, v: Visibility | undefined, ids: readonly number[]) =>
  rowsByKeys<ContractRow>(db, purchaseContracts, purchaseContracts.id, ids, (r) => r.id, v ? contractScope(v) : undefined);

/** Rows whose contract (by `column`) the viewer may see in full. */
function ofVisibleContracts(v: Visibility, column: typeof milestonePayments.contractId | typeof contractMilestones.contractId): SQL | undefined {
  const scope = contractScope(v);
  return scope ? sql`${column} in (select ${purchaseContracts.id} from ${purchaseContracts} where ${scope})` : undefined;
}

export const findPaymentsByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<PaymentRow>(db, milestonePayments, milestonePayments.id, ids, (r) => r.id, ofVisibleContracts(v, milestonePayments.contractId));

export const findMilestonesByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<MilestoneRow>(db, contractMilestones, contractMilestones.id, ids, (r) => r.id, ofVisibleContracts(v, contractMilestones.contractId));

export const areasOfContracts = (db: Database, ids: readonly number[]) =>
  rowGroupsByKeys<ContractAreaRow>(db, purchaseContractAreas, purchaseContractAreas.contractId, purchaseContractAreas.id, ids, (r) => r.contractId);

export const milestonesOfContracts = (db: Database, ids: readonly number[]) =>
  rowGroupsByKeys<MilestoneRow>(db, contractMilestones, contractMilestones.contractId, contractMilestones.seq, ids, (r) => r.contractId);

export const paymentsOfMilestones = (db: Database, ids: readonly number[]) =>
  rowGroupsByKeys<PaymentRow>(db, milestonePayments, milestonePayments.milestoneId, milestonePayments.id, ids, (r) => r.milestoneId);

/** Resources of each contract the viewer may see. */
export async function resourcesOfContracts(db: Database, resourceScope: SQL | undefined, ids: readonly number[]): Promise<ResourceRow[][]> {
  const rows = await db.select().from(resources).where(and(inArray(resources.contractId, [...ids]), resourceScope)).orderBy(asc(resources.id));
  const groups = new Map<number, ResourceRow[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(row.contractId!)?.push(row);
  return ids.map((id) => groups.get(id)!);
}

export interface PaymentTotals {
  readonly approvedFen: number;
  readonly pendingFen: number;
}

/** Approved and pending payment totals per key (contract or milestone): one grouped statement. */
function paymentTotalsBy(db: Database, column: typeof milestonePayments.contractId | typeof milestonePayments.milestoneId) {
  return new DataLoader(async (ids: readonly number[]): Promise<PaymentTotals[]> => {
    const rows = await db
      .select({
        key: column,
        approvedFen: sql<string>`coalesce(sum(${milestonePayments.amountFen}) filter (where ${milestonePayments.status} = 'APPROVED'), 0)`,
        pendingFen: sql<string>`coalesce(sum(${milestonePayments.amountFen}) filter (where ${milestonePayments.status} = 'PENDING'), 0)`,
      })
      .from(milestonePayments)
      .where(inArray(column, [...ids]))
      .groupBy(column);
    const byKey = new Map(rows.map((r) => [Number(r.key), { approvedFen: Number(r.approvedFen), pendingFen: Number(r.pendingFen) }]));
    return ids.map((id) => byKey.get(id) ?? { approvedFen: 0, pendingFen: 0 });
  });
}

export const paymentTotalsOfContractLoader = (db: Database) => paymentTotalsBy(db, milestonePayments.contractId);
export const paymentTotalsOfMilestoneLoader = (db: Database) => paymentTotalsBy(db, milestonePayments.milestoneId);

// ---- the finance view (§3(7)) ----

/** Projects whose budget is approved (立项) and so counts: from APPROVED on. */
export const FUNDED_PROJECT_STATUSES: readonly ProjectRow['status'][] = ['APPROVED', 'PROCUREMENT', 'AWARDED', 'CONTRACTED', 'IN_PROGRESS', 'EVALUATED', 'CLOSED'];

export interface FinanceFilter {
  readonly fiscalYears?: readonly number[];
  readonly purchaserIds?: readonly number[];
}

export interface FinanceRow {
  readonly key: number;
  /** Only in the per-project report. */
  readonly project?: { readonly title: string; readonly purchaserId: number; readonly fiscalYear: number; readonly status: ProjectRow['status'] };
  readonly projects: number;
  readonly budgetFen: number;
  readonly committedFen: number;
  readonly paidFen: number;
  readonly pendingFen: number;
}

/** Funded projects in the viewer's report scope, under the filter. */
function financeWhere(v: Visibility, filter: FinanceFilter): SQL | undefined {
  const p = purchaseProjects;
  return and(
    inArray(p.status, [...FUNDED_PROJECT_STATUSES]),
    scopeCondition(v, projectPlaceRules()),
    filter.fiscalYears?.length ? inArray(p.fiscalYear, [...filter.fiscalYears]) : undefined,
    filter.purchaserIds?.length ? inArray(p.purchaserId, [...filter.purchaserIds]) : undefined,
  );
}

export async function countFinanceProjects(db: Database, v: Visibility, filter: FinanceFilter): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(purchaseProjects).where(financeWhere(v, filter));
  return Number(row?.n ?? 0);
}

/**
 * One statement per report: funded projects in scope, each with its contract's amount and its
 * approved and pending payments (summed per contract first, so budgets are never counted twice),
 * grouped by `key`.
 */
async function financeReport(db: Database, v: Visibility, filter: FinanceFilter, key: SQL, extra: { after?: number; limit?: number; perProject?: boolean } = {}): Promise<FinanceRow[]> {
  const p = purchaseProjects;
  const where = and(financeWhere(v, filter), extra.after !== undefined ? gt(p.id, extra.after) : undefined);
  const result = await db.execute(sql`
    /* purchaseFinanceReport */
    select ${key} as "key", ${extra.perProject ? sql`${p.title} as "title", ${p.purchaserId} as "purchaserId", ${p.fiscalYear} as "fiscalYear", ${p.status} as "status",` : sql``} count(*)::int as "projects", coalesce(sum(${p.budgetFen}), 0) as "budgetFen",
      coalesce(sum(c.amount_fen), 0) as "committedFen", coalesce(sum(pay.approved), 0) as "paidFen", coalesce(sum(pay.pending), 0) as "pendingFen"
    from ${p}
    left join ${purchaseContracts} c on c.project_id = ${p.id}
    left join (
      select contract_id, sum(amount_fen) filter (where status = 'APPROVED') as approved, sum(amount_fen) filter (where status = 'PENDING') as pending
      from ${milestonePayments} group by contract_id
    ) pay on pay.contract_id = c.id
    where ${where}
    group by ${extra.perProject ? sql`${p.id}` : sql`1`}
    order by 1
    ${extra.limit !== undefined ? sql`limit ${extra.limit}` : sql``}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    key: Number(r.key),
    projects: Number(r.projects),
    budgetFen: Number(r.budgetFen),
    committedFen: Number(r.committedFen),
    paidFen: Number(r.paidFen),
    pendingFen: Number(r.pendingFen),
    project: extra.perProject ? { title: String(r.title), purchaserId: Number(r.purchaserId), fiscalYear: Number(r.fiscalYear), status: r.status as ProjectRow['status'] } : undefined,
  }));
}

export const financeByProject = (db: Database, v: Visibility, filter: FinanceFilter, after: number | undefined, limit: number) =>
  financeReport(db, v, filter, sql`${purchaseProjects.id}`, { after, limit, perProject: true });
export const financeByPurchaser = (db: Database, v: Visibility, filter: FinanceFilter) => financeReport(db, v, filter, sql`${purchaseProjects.purchaserId}`);
export const financeByYear = (db: Database, v: Visibility, filter: FinanceFilter) => financeReport(db, v, filter, sql`${purchaseProjects.fiscalYear}`);
