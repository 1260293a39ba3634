import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rowsByKeys } from '../../db/batch';
import { paginate, type PageRequest } from '../../db/paginate';
import { serviceCategories } from '../../db/schema';

export type ServiceCategoryRow = typeof serviceCategories.$inferSelect;
export type NewServiceCategoryRow = typeof serviceCategories.$inferInsert;

export function listServiceCategories(db: Database, filter: { group?: ServiceCategoryRow['group']; includeRetired: boolean }, request: PageRequest, maxPageSize: number) {
  const conditions: (SQL | undefined)[] = [
    filter.group ? eq(serviceCategories.group, filter.group) : undefined,
    filter.includeRetired ? undefined : isNull(serviceCategories.retiredAt),
  ];
  return paginate<ServiceCategoryRow>({
    db,
    table: serviceCategories,
    where: and(...conditions),
    keys: [{ column: serviceCategories.sortOrder }, { column: serviceCategories.id }],
    keyOf: (r) => [r.sortOrder, r.id],
    request,
    maxPageSize,
  });
}

export const findServiceCategoriesByIds = (db: Database, ids: readonly number[]) =>
  rowsByKeys<ServiceCategoryRow>(db, serviceCategories, serviceCategories.id, ids, (r) => r.id);

export async function findServiceCategoryById(db: Database, id: number): Promise<ServiceCategoryRow | undefined> {
  const [row] = await db.select().from(serviceCategories).where(eq(serviceCategories.id, id));
  return row;
}

export async function findServiceCategoryByCode(db: Database, code: string): Promise<ServiceCategoryRow | undefined> {
  const [row] = await db.select().from(serviceCategories).where(eq(serviceCategories.code, code)).orderBy(asc(serviceCategories.id)).limit(1);
  return row;
}

export async function insertServiceCategory(db: Database, values: NewServiceCategoryRow): Promise<ServiceCategoryRow> {
  const [row] = await db.insert(serviceCategories).values(values).returning();
  return row!;
}

export async function updateServiceCategoryRow(db: Database, id: number, values: Partial<NewServiceCategoryRow>): Promise<ServiceCategoryRow> {
  const [row] = await db
    .update(serviceCategories)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(serviceCategories.id, id))
    .returning();
  return row!;
}

export async function nextSortOrder(db: Database, group: ServiceCategoryRow['group']): Promise<number> {
  const rows = await db.select({ sortOrder: serviceCategories.sortOrder }).from(serviceCategories).where(eq(serviceCategories.group, group));
  return Math.max(0, ...rows.map((r) => r.sortOrder)) + 10;
}
