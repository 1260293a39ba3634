import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Visibility } from '../../auth/visibility';
import type { Database } from '../../db/client';
import { scopeCondition, within } from '../../db/scope';
import { rowsByKeys } from '../../db/batch';
import { childPageLoader, paginate, type PageRequest } from '../../db/paginate';
import { organizations, staffMembers } from '../../db/schema';

export type OrganizationRow = typeof organizations.$inferSelect;
export type StaffMemberRow = typeof staffMembers.$inferSelect;

export interface OrganizationFilter {
  readonly kinds?: readonly OrganizationRow['kind'][];
  readonly districtId?: number;
  readonly streetId?: number;
  readonly isProvider?: boolean;
  readonly providerStatuses?: readonly NonNullable<OrganizationRow['providerStatus']>[];
}

export function listOrganizations(db: Database, filter: OrganizationFilter, request: PageRequest, maxPageSize: number) {
  const conditions: (SQL | undefined)[] = [
    filter.kinds?.length ? inArray(organizations.kind, [...filter.kinds]) : undefined,
    filter.districtId !== undefined ? eq(organizations.districtId, filter.districtId) : undefined,
    filter.streetId !== undefined ? eq(organizations.streetId, filter.streetId) : undefined,
    filter.isProvider !== undefined ? eq(organizations.isProvider, filter.isProvider) : undefined,
    filter.providerStatuses?.length ? inArray(organizations.providerStatus, [...filter.providerStatuses]) : undefined,
  ];
  return paginate<OrganizationRow>({ db, table: organizations, where: and(...conditions), keys: [{ column: organizations.id }], keyOf: (r) => [r.id], request, maxPageSize });
}

export const findOrganizationsByIds = (db: Database, ids: readonly number[]) => rowsByKeys<OrganizationRow>(db, organizations, organizations.id, ids, (r) => r.id);
/** Staff of organizations in the principal's districts or streets, or of its own organization. */
export function staffScope(v: Visibility): SQL | undefined {
  const ofOrganizationsWhere = (condition: SQL) => sql`${staffMembers.organizationId} in (select ${organizations.id} from ${organizations} where ${condition})`;
  return scopeCondition(v, {
    MY_DISTRICTS: ({ districtIds }) => ofOrganizationsWhere(within(organizations.districtId, districtIds)),
    MY_STREETS: ({ streetIds }) => ofOrganizationsWhere(within(organizations.streetId, streetIds)),
    MY_ORGANIZATION: ({ organizationId }) => eq(staffMembers.organizationId, organizationId ?? -1),
  });
}

export const findStaffMembersByIds = (db: Database, v: Visibility, ids: readonly number[]) =>
  rowsByKeys<StaffMemberRow>(db, staffMembers, staffMembers.id, ids, (r) => r.id, staffScope(v));

export const subOrganizationsLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<OrganizationRow>({ db, table: organizations, parentColumn: organizations.parentId, parentOf: (r) => r.parentId!, keys: [{ column: organizations.id }], keyOf: (r) => [r.id], maxPageSize });

export const staffOfOrganizationLoader = (db: Database, v: Visibility, maxPageSize: number) =>
  childPageLoader<StaffMemberRow>({
    db,
    table: staffMembers,
    parentColumn: staffMembers.organizationId,
    parentOf: (r) => r.organizationId,
    where: staffScope(v),
    keys: [{ column: staffMembers.id }],
    keyOf: (r) => [r.id],
    maxPageSize,
  });

export const serviceCentersOfStreetLoader = (db: Database, maxPageSize: number) =>
  childPageLoader<OrganizationRow>({
    db,
    table: organizations,
    parentColumn: organizations.streetId,
    parentOf: (r) => r.streetId!,
    where: eq(organizations.kind, 'SERVICE_CENTER'),
    keys: [{ column: organizations.id }],
    keyOf: (r) => [r.id],
    maxPageSize,
  });
