import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { anyOfKeys, joinedRowsByKeys, rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type PageRequest } from '../../db/paginate';
import { committees, districts, streets } from '../../db/schema';

export type DistrictRow = typeof districts.$inferSelect;
export type StreetRow = typeof streets.$inferSelect;
export type CommitteeRow = typeof committees.$inferSelect;

export function listDistricts(db: Database, request: PageRequest, maxPageSize: number) {
  const byCode = [{ column: districts.code }, { column: districts.id }];
  return paginate<DistrictRow>({ db, table: districts, where: undefined, keys: byCode, keyOf: (r) => [r.code, r.id], request, maxPageSize });
}

export function listStreets(db: Database, filter: { districtId?: number }, request: PageRequest, maxPageSize: number) {
  const where = filter.districtId !== undefined ? eq(streets.districtId, filter.districtId) : undefined;
  return paginate<StreetRow>({ db, table: streets, where, keys: [{ column: streets.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export function listCommittees(db: Database, filter: { districtId?: number; streetId?: number }, request: PageRequest, maxPageSize: number) {
  const conditions: SQL[] = [];
  if (filter.districtId !== undefined) conditions.push(eq(committees.districtId, filter.districtId));
  if (filter.streetId !== undefined) conditions.push(eq(committees.streetId, filter.streetId));
  return paginate<CommitteeRow>({ db, table: committees, where: and(...conditions), keys: [{ column: committees.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export const findDistrictsByIds = (db: Database, ids: readonly number[]) => rowsByKeys<DistrictRow>(db, districts, districts.id, ids, (r) => r.id);
export interface StreetPlace {
  readonly street: StreetRow;
  readonly district: DistrictRow;
}

/** Streets with their district, in the order of `ids`: a street is nearly always shown in its district. */
export function findStreetPlacesByIds(db: Database, ids: readonly number[]): Promise<(StreetPlace | undefined)[]> {
  return joinedRowsByKeys<StreetPlace>(
    db,
    'findStreetPlacesByIds',
    () => db.select({ street: streets, district: districts }).from(streets).innerJoin(districts, eq(districts.id, streets.districtId)).where(anyOfKeys(streets.id)).$dynamic(),
    ids,
    (place) => place.street.id,
  );
}

export interface CommitteePlace {
  readonly committee: CommitteeRow;
  readonly street: StreetRow;
  readonly district: DistrictRow;
}

/**
 * Committees with their street and district, in the order of `ids`: one statement where a
 * committee, then its street, then its district would be three round trips. Whoever shows a
 * committee nearly always shows where it is, and the two joins are primary-key lookups.
 */
export function findCommitteePlacesByIds(db: Database, ids: readonly number[]): Promise<(CommitteePlace | undefined)[]> {
  return joinedRowsByKeys<CommitteePlace>(
    db,
    'findCommitteePlacesByIds',
    () => db.select({ committee: committees, street: streets, district: districts }).from(committees).innerJoin(streets, eq(streets.id, committees.streetId)).innerJoin(districts, eq(districts.id, streets.districtId)).where(anyOfKeys(committees.id)).$dynamic(),
    ids,
    (place) => place.committee.id,
  );
}

export async function findDistrictByCode(db: Database, code: string): Promise<DistrictRow | undefined> {
  const [row] = await db.select().from(districts).where(eq(districts.code, code)).orderBy(asc(districts.id)).limit(1);
  return row;
}

export const streetsOfDistrictLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<StreetRow>({ db, table: streets, parentColumn: streets.districtId, parentOf: (r) => r.districtId, keys: [{ column: streets.id }], keyOf: (r) => [r.id], maxPageSize });

export const committeesOfStreetLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<CommitteeRow>({ db, table: committees, parentColumn: committees.streetId, parentOf: (r) => r.streetId, keys: [{ column: committees.id }], keyOf: (r) => [r.id], maxPageSize });
