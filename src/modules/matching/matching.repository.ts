import { inArray, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { anyOfKeys } from '../../db/batch';
import type { Database } from '../../db/client';
import { cachedStatement } from '../../db/prepared';
import { jsonColumnsOf, jsonObject, rowOfJson } from '../../db/json-rows';
import { rowsOf } from '../../db/rows';
import { LIVE_REFERRAL_STATUSES } from '../referrals/referrals.transitions';
import { contractEvaluations, households, needs, organizations, purchaseContracts, referrals, resourceServiceAreas, resources, serviceCategories, districts } from '../../db/schema';


export interface MatchScope {
  readonly needIds?: readonly number[];
  readonly districtIds?: readonly number[];
  readonly categoryIds?: readonly number[];
}

export interface OpenNeedRow {
  readonly id: number;
  readonly householdId: number;
  readonly urgency: 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW';
  readonly remaining: number;
  readonly waitingDays: number;
}

export interface CandidateEdgeRow {
  readonly needId: number;
  readonly resourceId: number;
  readonly providerId: number;
  readonly freeUnits: number;
  /** 0 committee, 1 street, 2 district: the nearest level at which the resource's area meets the need. */
  readonly nearness: number;
  readonly continuing: boolean;
  /** The provider's latest evaluated total (0–100); null when it was never evaluated. */
  readonly evaluatedTotal: number | null;
}

// Referrals that hold or have delivered units of a need (and show a provider already serving a household).
const LIVE_OR_DONE = sql`(${sql.join([...LIVE_REFERRAL_STATUSES, 'COMPLETED'].map((status) => sql`${status}`), sql`, `)})`;

/** The provider may take referrals today: ACTIVE, or BANNED with the ban's last day past (as `effectiveProviderStatus`). */
const providerActive = (today: string | Placeholder) =>
  sql`(${organizations.providerStatus} = 'ACTIVE' or (${organizations.providerStatus} = 'BANNED' and ${organizations.bannedUntil} < ${today}::date))`;

/** No subcontracting: a contract's resource is supply only while its contract is ACTIVE, and only its provider's. */
const contractInForce = sql`(${resources.contractId} is null or exists (select 1 from ${purchaseContracts} k where k.id = ${resources.contractId} and k.status = 'ACTIVE' and k.provider_id = ${resources.providerId}))`;

function needFilter(scope: MatchScope): SQL {
  const parts: SQL[] = [sql`${needs.status} in ('OPEN', 'MATCHED')`];
  if (scope.needIds) parts.push(scope.needIds.length ? inArray(needs.id, [...scope.needIds]) : sql`false`);
  if (scope.districtIds?.length) parts.push(inArray(needs.districtId, [...scope.districtIds]));
  if (scope.categoryIds?.length) parts.push(inArray(needs.categoryId, [...scope.categoryIds]));
  return sql.join(parts, sql` and `);
}

/** Needs that still want units (their units minus those referred or delivered), most urgent first. */
export async function findNeedsToMatch(db: Database, scope: MatchScope, today: string): Promise<OpenNeedRow[]> {
  const result = await db.execute(sql`
    select ${needs.id} as "id", ${needs.householdId} as "householdId", ${needs.urgency} as "urgency",
      ${needs.units} - coalesce((select sum(${referrals.units}) from ${referrals} where ${referrals.needId} = ${needs.id} and ${referrals.status} in ${LIVE_OR_DONE}), 0) as "remaining",
      greatest(0, ${today}::date - ${needs.createdAt}::date) as "waitingDays"
    from ${needs}
    where ${needFilter(scope)}
    order by ${needs.urgency}, ${needs.createdAt}, ${needs.id}`);
  return rowsOf<OpenNeedRow>(result)
    .map((r) => ({ ...r, remaining: Number(r.remaining), waitingDays: Number(r.waitingDays) }))
    .filter((r) => r.remaining > 0);
}

/**
 * Every compatible (need, resource) pair in one statement: same catalogue item, the resource's
 * area covers the need's community, the household is eligible, the windows overlap, the resource
 * has free units, its provider is ACTIVE (a ban past its last day counts as over), and the
 * provider has not declined this need before; with the provider's latest evaluated total.
 */
export async function findCandidateEdges(db: Database, scope: MatchScope, today: string): Promise<CandidateEdgeRow[]> {
  const result = await db.execute(sql`
    with latest_evaluation as (
      select distinct on (${contractEvaluations.providerId}) ${contractEvaluations.providerId} as provider_id, ${contractEvaluations.total} as total
      from ${contractEvaluations} order by ${contractEvaluations.providerId}, ${contractEvaluations.id} desc
    )
    select ${needs.id} as "needId", ${resources.id} as "resourceId", ${resources.providerId} as "providerId",
      ${resources.capacity} - ${resources.heldUnits} as "freeUnits",
      min(case when ${resourceServiceAreas.committeeId} = ${needs.committeeId} then 0 when ${resourceServiceAreas.level} = 'STREET' then 1 else 2 end) as "nearness",
      exists (select 1 from ${referrals} c where c.household_id = ${needs.householdId} and c.provider_id = ${resources.providerId} and c.status in ${LIVE_OR_DONE}) as "continuing",
      latest_evaluation.total as "evaluatedTotal"
    from ${needs}
    join ${households} on ${households.id} = ${needs.householdId}
    join ${resources} on ${resources.categoryId} = ${needs.categoryId} and ${resources.status} = 'ACTIVE' and ${resources.capacity} > ${resources.heldUnits}
    join ${organizations} on ${organizations.id} = ${resources.providerId} and ${providerActive(today)}
    join ${resourceServiceAreas} on ${resourceServiceAreas.resourceId} = ${resources.id}
      and (${resourceServiceAreas.committeeId} = ${needs.committeeId}
        or (${resourceServiceAreas.level} = 'STREET' and ${resourceServiceAreas.streetId} = ${needs.streetId})
        or (${resourceServiceAreas.level} = 'DISTRICT' and ${resourceServiceAreas.districtId} = ${needs.districtId}))
    left join latest_evaluation on latest_evaluation.provider_id = ${resources.providerId}
    where ${needFilter(scope)}
      and (cardinality(${resources.eligibleStatuses}) = 0 or ${resources.eligibleStatuses} && ${households.assistanceStatuses})
      and (${resources.availableUntil} is null or ${resources.availableUntil} >= ${today}::date)
      and (${needs.deadline} is null or ${resources.availableFrom} <= ${needs.deadline})
      and not exists (select 1 from ${referrals} d where d.need_id = ${needs.id} and d.provider_id = ${resources.providerId} and d.status = 'DECLINED')
      and ${contractInForce}
    group by ${needs.id}, ${resources.id}, latest_evaluation.total
    order by ${needs.id}, ${resources.id}`);
  return rowsOf<CandidateEdgeRow>(result).map((r) => ({
    ...r,
    freeUnits: Number(r.freeUnits),
    nearness: Number(r.nearness),
    continuing: r.continuing === true || (r.continuing as unknown) === 't',
    evaluatedTotal: r.evaluatedTotal === null || r.evaluatedTotal === undefined ? null : Number(r.evaluatedTotal),
  }));
}

export interface BalanceRow {
  readonly openUnits: number;
  readonly freeUnits: number;
  /** The cell's district and catalogue item, from the same statement: a balance is always shown with them. */
  readonly district: typeof districts.$inferSelect;
  readonly category: typeof serviceCategories.$inferSelect;
}

/** Which cells a balance is asked for: some districts and catalogue items (every one when undefined), on a Shanghai day. */
export interface BalanceRequest {
  readonly districtIds: readonly number[] | undefined;
  readonly categoryIds: readonly number[] | undefined;
  readonly today: string;
}

/**
 * A balance's statement: its key among the four shapes (with or without each filter), its cells
 * as the rows of a subquery (`balanceRows`), and the values of that subquery's placeholders.
 */
export function balanceStatement(request: BalanceRequest): { readonly key: string; readonly rows: () => SQL; readonly values: Record<string, unknown> } {
  const byDistrict = Boolean(request.districtIds?.length);
  const byCategory = Boolean(request.categoryIds?.length);
  return {
    key: `supplyDemandBalance ${byDistrict} ${byCategory}`,
    rows: () => balanceRows(byDistrict, byCategory),
    values: { districts: request.districtIds ? [...request.districtIds] : [], categories: request.categoryIds ? [...request.categoryIds] : [], today: request.today },
  };
}

/**
 * Units of open need against free units of supply per district and catalogue item, one row per
 * cell: district_id, category_id, open_units, free_units, and its position in the balance (by
 * district code, then catalogue order). A resource counts in every district its area touches, so
 * supply shared by districts shows in each.
 */
function balanceRows(byDistrict: boolean, byCategory: boolean): SQL {
  const inDistricts = (column: SQL | PgColumn) => (byDistrict ? sql`and ${anyOfKeys(column, 'districts')}` : sql``);
  const inCategories = (column: SQL | PgColumn) => (byCategory ? sql`and ${anyOfKeys(column, 'categories')}` : sql``);
  // The same filters inside the aggregates, so a few districts read only their own rows.
  return sql`
    with demand as (
      select ${needs.districtId} as district_id, ${needs.categoryId} as category_id, sum(${needs.units}) as units
      from ${needs} where ${needs.status} = 'OPEN' ${inDistricts(needs.districtId)} ${inCategories(needs.categoryId)} group by 1, 2
    ), supply as (
      select a.district_id, r.category_id, sum(r.capacity - r.held_units) as units
      from (select distinct ${resourceServiceAreas.resourceId} as resource_id, ${resourceServiceAreas.districtId} as district_id from ${resourceServiceAreas} where true ${inDistricts(resourceServiceAreas.districtId)}) a
      join ${resources} r on r.id = a.resource_id and r.status = 'ACTIVE' ${inCategories(sql`r.category_id`)}
      join ${organizations} on ${organizations.id} = r.provider_id and ${providerActive(sql.placeholder('today'))}
      group by 1, 2
    )
    select ${districts.id} as district_id, ${serviceCategories.id} as category_id, coalesce(demand.units, 0) as open_units, coalesce(supply.units, 0) as free_units,
      row_number() over (order by ${districts.code}, ${serviceCategories.sortOrder}, ${serviceCategories.id}) as position
    from ${districts} cross join ${serviceCategories}
    left join demand on demand.district_id = ${districts.id} and demand.category_id = ${serviceCategories.id}
    left join supply on supply.district_id = ${districts.id} and supply.category_id = ${serviceCategories.id}
    where ${serviceCategories.retiredAt} is null ${inDistricts(districts.id)} ${inCategories(serviceCategories.id)}`;
}

export async function supplyDemandBalance(db: Database, request: BalanceRequest): Promise<BalanceRow[]> {
  const { key, rows, values } = balanceStatement(request);
  // Prepared: the plan of this one is worth keeping.
  type Fetched = Omit<BalanceRow, 'district' | 'category'> & { districtRow: Record<string, unknown>; categoryRow: Record<string, unknown> };
  const statement = cachedStatement<Fetched>(db, key, () =>
    db
      .select({
        openUnits: sql<number>`b.open_units`.mapWith(Number),
        freeUnits: sql<number>`b.free_units`.mapWith(Number),
        districtRow: sql<Record<string, unknown>>`${jsonObject(districtColumns)}`,
        categoryRow: sql<Record<string, unknown>>`${jsonObject(categoryColumns)}`,
      })
      .from(sql`(${rows()}) as b join ${districts} on ${districts.id} = b.district_id join ${serviceCategories} on ${serviceCategories.id} = b.category_id`)
      .orderBy(sql`b.position`)
      .$dynamic(),
  );
  return (await statement.execute(values)).map(({ districtRow, categoryRow, ...cell }) => ({
    ...cell,
    district: rowOfJson(districtColumns, districtRow) as BalanceRow['district'],
    category: rowOfJson(categoryColumns, categoryRow) as BalanceRow['category'],
  }));
}

const districtColumns = jsonColumnsOf(districts)!;
const categoryColumns = jsonColumnsOf(serviceCategories)!;

export interface NearbyResourceFacts {
  readonly resourceId: number;
  readonly status: string;
  readonly freeUnits: number;
  readonly providerActive: boolean;
  readonly eligible: boolean;
  readonly inWindow: boolean;
  readonly declinedBefore: boolean;
  /** 0 committee, 1 street, 2 district, null when the area does not cover the need's community. */
  readonly nearness: number | null;
}

/**
 * Every resource of the need's catalogue item with any area in the need's district, and each
 * compatibility fact separately, so a caseworker sees why a resource is or is not a candidate.
 */
export async function findNearbyResourceFacts(db: Database, needId: number, today: string, limit: number): Promise<NearbyResourceFacts[]> {
  const result = await db.execute(sql`
    select ${resources.id} as "resourceId", ${resources.status} as "status", ${resources.capacity} - ${resources.heldUnits} as "freeUnits",
      ${providerActive(today)} as "providerActive",
      (cardinality(${resources.eligibleStatuses}) = 0 or ${resources.eligibleStatuses} && ${households.assistanceStatuses}) as "eligible",
      ((${resources.availableUntil} is null or ${resources.availableUntil} >= ${today}::date) and (${needs.deadline} is null or ${resources.availableFrom} <= ${needs.deadline})) as "inWindow",
      exists (select 1 from ${referrals} d where d.need_id = ${needs.id} and d.provider_id = ${resources.providerId} and d.status = 'DECLINED') as "declinedBefore",
      min(case when ${resourceServiceAreas.committeeId} = ${needs.committeeId} then 0
               when ${resourceServiceAreas.level} = 'STREET' and ${resourceServiceAreas.streetId} = ${needs.streetId} then 1
               when ${resourceServiceAreas.level} = 'DISTRICT' then 2 end) as "nearness"
    from ${needs}
    join ${households} on ${households.id} = ${needs.householdId}
    join ${resources} on ${resources.categoryId} = ${needs.categoryId}
    join ${organizations} on ${organizations.id} = ${resources.providerId}
    join ${resourceServiceAreas} on ${resourceServiceAreas.resourceId} = ${resources.id} and ${resourceServiceAreas.districtId} = ${needs.districtId}
    where ${needs.id} = ${needId}
    group by ${resources.id}, ${organizations.id}, ${households.id}, ${needs.id}
    order by ${resources.id}
    limit ${limit}`);
  const truthy = (v: unknown) => v === true || v === 't';
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    resourceId: Number(r.resourceId),
    status: String(r.status),
    freeUnits: Number(r.freeUnits),
    providerActive: truthy(r.providerActive),
    eligible: truthy(r.eligible),
    inWindow: truthy(r.inWindow),
    declinedBefore: truthy(r.declinedBefore),
    nearness: r.nearness === null || r.nearness === undefined ? null : Number(r.nearness),
  }));
}
