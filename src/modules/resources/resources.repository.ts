import { and, arrayOverlaps, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { scopeCondition } from '../../db/scope';
import { anyOfKeys, joinedRowsByKeys, rowGroupsByKeys } from '../../db/batch';
import { filterKey } from '../../db/prepared';
import type { OrganizationRow } from '../organizations/organizations.repository';
import { childPageLoader, paginate, type ChildList, type PageRequest } from '../../db/paginate';
import { committees, districts, organizations, resourceServiceAreas, resources, serviceCategories, streets } from '../../db/schema';

export type ResourceRow = typeof resources.$inferSelect;
export type NewResourceRow = typeof resources.$inferInsert;
export type ServiceAreaRow = typeof resourceServiceAreas.$inferSelect;
export type NewServiceAreaRow = Omit<typeof resourceServiceAreas.$inferInsert, 'resourceId'>;

/** An area in the geography, with the areas that contain it. */
export type AreaRef =
  | { level: 'DISTRICT'; districtId: number }
  | { level: 'STREET'; districtId: number; streetId: number }
  | { level: 'COMMITTEE'; districtId: number; streetId: number; committeeId: number };

export interface ResourceListFilter {
  readonly categoryIds?: readonly number[];
  readonly statuses?: readonly ResourceRow['status'][];
  readonly providerIds?: readonly number[];
  readonly servesArea?: AreaRef;
  readonly availableOn?: string;
  readonly eligibleFor?: ResourceRow['eligibleStatuses'][number];
  readonly isPublic?: boolean;
}

/** Service-area entries that overlap `area`: it lies inside them, or they lie inside it. */
function overlapsArea(area: AreaRef): SQL {
  const a = resourceServiceAreas;
  switch (area.level) {
    case 'DISTRICT':
      return eq(a.districtId, area.districtId);
    case 'STREET':
      return or(and(eq(a.level, 'DISTRICT'), eq(a.districtId, area.districtId)), eq(a.streetId, area.streetId))!;
    case 'COMMITTEE':
      return or(
        and(eq(a.level, 'DISTRICT'), eq(a.districtId, area.districtId)),
        and(eq(a.level, 'STREET'), eq(a.streetId, area.streetId)),
        eq(a.committeeId, area.committeeId),
      )!;
  }
}

function resourceConditions(filter: ResourceListFilter): SQL | undefined {
  return and(
    filter.categoryIds?.length ? inArray(resources.categoryId, [...filter.categoryIds]) : undefined,
    filter.statuses?.length ? inArray(resources.status, [...filter.statuses]) : undefined,
    filter.providerIds?.length ? inArray(resources.providerId, [...filter.providerIds]) : undefined,
    filter.servesArea
      ? sql`exists (select 1 from ${resourceServiceAreas} where ${resourceServiceAreas.resourceId} = ${resources.id} and ${overlapsArea(filter.servesArea)})`
      : undefined,
    filter.availableOn
      ? and(lte(resources.availableFrom, filter.availableOn), or(isNull(resources.availableUntil), gte(resources.availableUntil, filter.availableOn)))
      : undefined,
    filter.eligibleFor
      ? or(sql`cardinality(${resources.eligibleStatuses}) = 0`, arrayOverlaps(resources.eligibleStatuses, [filter.eligibleFor]))
      : undefined,
    filter.isPublic !== undefined ? eq(resources.isPublic, filter.isPublic) : undefined,
  );
}

const byId = { keys: [{ column: resources.id }], keyOf: (r: ResourceRow) => [r.id] };

/** Resources in the public directory, or of the principal's own organization. */
export function resourceScope(v: Visibility): SQL | undefined {
  return scopeCondition(v, {
    PUBLIC_ONLY: () => eq(resources.isPublic, true),
    MY_ORGANIZATION: ({ organizationId }) => eq(resources.providerId, organizationId ?? -1),
  });
}

export function listResources(db: Database, visibility: Visibility, filter: ResourceListFilter, request: PageRequest, maxPageSize: number) {
  return paginate<ResourceRow>({ db, table: resources, where: and(resourceScope(visibility), resourceConditions(filter)), ...byId, request, maxPageSize });
}

/** A resource with its provider. */
export interface ResourceWithProvider {
  readonly resource: ResourceRow;
  readonly provider: OrganizationRow;
}

/**
 * Resources in scope with their providers, in the order of `ids`: one statement where the
 * provider would be a level of its own (organizations have no row scope; the join is a
 * primary-key lookup). A resource is hardly ever shown without who provides it.
 */
export function findResourcesWithProvidersByIds(db: Database, v: Visibility, ids: readonly number[]): Promise<(ResourceWithProvider | undefined)[]> {
  const scope = resourceScope(v);
  return joinedRowsByKeys<ResourceWithProvider>(
    db,
    `findResourcesWithProvidersByIds ${filterKey(scope)}`,
    () => db.select({ resource: resources, provider: organizations }).from(resources).innerJoin(organizations, eq(organizations.id, resources.providerId)).where(and(anyOfKeys(resources.id), scope)).$dynamic(),
    ids,
    (row) => row.resource.id,
  );
}

export const serviceAreasOfResources = (db: Database, resourceIds: readonly number[]) =>
  rowGroupsByKeys<ServiceAreaRow>(db, resourceServiceAreas, resourceServiceAreas.resourceId, resourceServiceAreas.id, resourceIds, (r) => r.resourceId);

/** A provider's resources in scope, oldest first. */
export const resourcesOfProvider = (v: Visibility): ChildList => ({ table: resources, parentColumn: resources.providerId, where: resourceScope(v), keys: byId.keys });

export const resourcesOfProviderLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<ResourceRow>({ db, ...resourcesOfProvider(v), parentOf: (r) => r.providerId, keyOf: byId.keyOf, maxPageSize });

export async function findAreaRef(db: Database, level: AreaRef['level'], id: number): Promise<AreaRef | undefined> {
  if (level === 'DISTRICT') {
    const [row] = await db.select({ id: districts.id }).from(districts).where(eq(districts.id, id));
    return row ? { level, districtId: id } : undefined;
  }
  if (level === 'STREET') {
    const [row] = await db.select({ districtId: streets.districtId }).from(streets).where(eq(streets.id, id));
    return row ? { level, districtId: row.districtId, streetId: id } : undefined;
  }
  const [row] = await db.select({ districtId: committees.districtId, streetId: committees.streetId }).from(committees).where(eq(committees.id, id));
  return row ? { level, districtId: row.districtId, streetId: row.streetId, committeeId: id } : undefined;
}

export async function findProviderState(db: Database, providerId: number) {
  const [row] = await db
    .select({ id: organizations.id, isProvider: organizations.isProvider, providerStatus: organizations.providerStatus, bannedUntil: organizations.bannedUntil })
    .from(organizations)
    .where(eq(organizations.id, providerId));
  return row;
}

export async function findCategoryRetirement(db: Database, categoryId: number) {
  const [row] = await db.select({ retiredAt: serviceCategories.retiredAt }).from(serviceCategories).where(eq(serviceCategories.id, categoryId));
  return row;
}

export async function lockResource(db: Database, id: number): Promise<ResourceRow | undefined> {
  const [row] = await db.select().from(resources).where(eq(resources.id, id)).for('update');
  return row;
}

export async function insertResource(db: Database, values: NewResourceRow, area: readonly NewServiceAreaRow[]): Promise<ResourceRow> {
  const [row] = await db.insert(resources).values(values).returning();
  await db.insert(resourceServiceAreas).values(area.map((entry) => ({ ...entry, resourceId: row!.id })));
  return row!;
}

export async function updateResourceRow(db: Database, id: number, values: Partial<NewResourceRow>, area?: readonly NewServiceAreaRow[]): Promise<ResourceRow> {
  const [row] = await db
    .update(resources)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(resources.id, id))
    .returning();
  if (area) {
    await db.delete(resourceServiceAreas).where(eq(resourceServiceAreas.resourceId, id));
    await db.insert(resourceServiceAreas).values(area.map((entry) => ({ ...entry, resourceId: id })));
  }
  return row!;
}

/** True when the resource's service area covers the committee (directly, or by its street or district). */
export async function resourceServesCommittee(db: Database, resourceId: number, place: { districtId: number; streetId: number; committeeId: number }): Promise<boolean> {
  const [row] = await db
    .select({ id: resourceServiceAreas.id })
    .from(resourceServiceAreas)
    .where(and(eq(resourceServiceAreas.resourceId, resourceId), overlapsArea({ level: 'COMMITTEE', ...place })))
    .limit(1);
  return row !== undefined;
}
