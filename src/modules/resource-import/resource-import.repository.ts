import { and, asc, eq, inArray, isNotNull, ne, or } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { committees, districts, organizations, resourceServiceAreas, resources, serviceCategories, streets } from '../../db/schema';
import type { ReferenceData } from './reference-index';

/* loadReferenceData: the catalogue (retired items too, so their rows say INACTIVE) and the geography. */
export async function loadReferenceData(db: Database): Promise<ReferenceData> {
  const [categories, districtRows, streetRows, committeeRows] = await Promise.all([
    db
      .select({ id: serviceCategories.id, code: serviceCategories.code, nameZh: serviceCategories.nameZh, nameEn: serviceCategories.nameEn, description: serviceCategories.description })
      .from(serviceCategories)
      .orderBy(asc(serviceCategories.id)),
    db.select({ id: districts.id, code: districts.code, nameZh: districts.nameZh, nameEn: districts.nameEn }).from(districts).orderBy(asc(districts.id)),
    db.select({ id: streets.id, districtId: streets.districtId, nameZh: streets.nameZh, nameEn: streets.nameEn }).from(streets).orderBy(asc(streets.id)),
    db
      .select({ id: committees.id, streetId: committees.streetId, districtId: committees.districtId, nameZh: committees.nameZh, nameEn: committees.nameEn })
      .from(committees)
      .orderBy(asc(committees.id)),
  ]);
  return { categories, districts: districtRows, streets: streetRows, committees: committeeRows };
}

export type DirectoryResourceRow = Pick<
  typeof resources.$inferSelect,
  | 'id'
  | 'providerId'
  | 'categoryId'
  | 'title'
  | 'description'
  | 'capacity'
  | 'capacityPeriod'
  | 'eligibleStatuses'
  | 'minAge'
  | 'maxAge'
  | 'availableFrom'
  | 'availableUntil'
  | 'status'
  | 'cost'
  | 'contactName'
  | 'contactPhone'
  | 'updatedAt'
>;

export type DirectoryOrganizationRow = Pick<typeof organizations.$inferSelect, 'id' | 'kind' | 'nameZh' | 'nameEn' | 'creditCode' | 'districtId' | 'address' | 'contactPhone'>;

export type DirectoryAreaRow = Pick<typeof resourceServiceAreas.$inferSelect, 'id' | 'resourceId' | 'level' | 'districtId' | 'streetId' | 'committeeId'>;

export interface DirectoryRows {
  readonly organizations: DirectoryOrganizationRow[];
  readonly resources: DirectoryResourceRow[];
  readonly areas: DirectoryAreaRow[];
}

/* findPublicDirectory: what the public resource directory lists (public resources that are not closed), with their providers and areas. */
export async function findPublicDirectory(db: Database): Promise<DirectoryRows> {
  const resourceRows = await db
    .select({
      id: resources.id,
      providerId: resources.providerId,
      categoryId: resources.categoryId,
      title: resources.title,
      description: resources.description,
      capacity: resources.capacity,
      capacityPeriod: resources.capacityPeriod,
      eligibleStatuses: resources.eligibleStatuses,
      minAge: resources.minAge,
      maxAge: resources.maxAge,
      availableFrom: resources.availableFrom,
      availableUntil: resources.availableUntil,
      status: resources.status,
      cost: resources.cost,
      contactName: resources.contactName,
      contactPhone: resources.contactPhone,
      updatedAt: resources.updatedAt,
    })
    .from(resources)
    .where(and(eq(resources.isPublic, true), ne(resources.status, 'CLOSED')))
    .orderBy(asc(resources.id));
  if (resourceRows.length === 0) return { organizations: [], resources: [], areas: [] };
  const providerIds = [...new Set(resourceRows.map((r) => r.providerId))];
  const resourceIds = resourceRows.map((r) => r.id);
  const [organizationRows, areaRows] = await Promise.all([
    db
      .select({
        id: organizations.id,
        kind: organizations.kind,
        nameZh: organizations.nameZh,
        nameEn: organizations.nameEn,
        creditCode: organizations.creditCode,
        districtId: organizations.districtId,
        address: organizations.address,
        contactPhone: organizations.contactPhone,
      })
      .from(organizations)
      .where(inArray(organizations.id, providerIds))
      .orderBy(asc(organizations.id)),
    db
      .select({
        id: resourceServiceAreas.id,
        resourceId: resourceServiceAreas.resourceId,
        level: resourceServiceAreas.level,
        districtId: resourceServiceAreas.districtId,
        streetId: resourceServiceAreas.streetId,
        committeeId: resourceServiceAreas.committeeId,
      })
      .from(resourceServiceAreas)
      .where(inArray(resourceServiceAreas.resourceId, resourceIds))
      .orderBy(asc(resourceServiceAreas.resourceId), asc(resourceServiceAreas.id)),
  ]);
  return { organizations: organizationRows, resources: resourceRows, areas: areaRows };
}

/* findOrganizationsForHsds: organizations an HSDS document may name, by unified social credit code or by Chinese name. */
export async function findOrganizationsByCodeOrName(db: Database, creditCodes: readonly string[], names: readonly string[]) {
  if (creditCodes.length === 0 && names.length === 0) return [];
  return db
    .select({ id: organizations.id, nameZh: organizations.nameZh, creditCode: organizations.creditCode })
    .from(organizations)
    .where(
      or(
        creditCodes.length > 0 ? and(isNotNull(organizations.creditCode), inArray(organizations.creditCode, [...creditCodes])) : undefined,
        names.length > 0 ? inArray(organizations.nameZh, [...names]) : undefined,
      ),
    )
    .orderBy(asc(organizations.id));
}
