import { and, asc, eq, exists, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { cases, districts, organizations, staffMembers, streets } from '../../db/schema';

/** Look-ups that pick a demo principal for development tokens. */

export async function findDistrictIdByCode(db: Database, code: string): Promise<number | undefined> {
  const [row] = await db.select({ id: districts.id }).from(districts).where(eq(districts.code, code));
  return row?.id;
}

export async function findDistrictCivilAffairs(db: Database, districtId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.districtId, districtId), eq(organizations.departmentFunction, 'CIVIL_AFFAIRS'), eq(organizations.level, 'DISTRICT')))
    .orderBy(asc(organizations.id))
    .limit(1);
  return row?.id;
}

export async function findFirstStreet(db: Database): Promise<{ id: number; districtId: number } | undefined> {
  const [row] = await db.select({ id: streets.id, districtId: streets.districtId }).from(streets).orderBy(asc(streets.id)).limit(1);
  return row;
}

export async function findStreetOffice(db: Database, streetId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.streetId, streetId), eq(organizations.kind, 'STREET_OFFICE')))
    .orderBy(asc(organizations.id))
    .limit(1);
  return row?.id;
}

/** An active caseworker who owns at least one open case, with their organization and its street. */
export async function findBusyCaseworker(db: Database): Promise<{ id: number; organizationId: number; streetId: number | null } | undefined> {
  const [row] = await db
    .select({ id: staffMembers.id, organizationId: staffMembers.organizationId, streetId: organizations.streetId })
    .from(staffMembers)
    .innerJoin(organizations, eq(organizations.id, staffMembers.organizationId))
    .where(
      and(
        eq(staffMembers.active, true),
        eq(staffMembers.position, 'CASEWORKER'),
        exists(db.select({ one: sql`1` }).from(cases).where(and(eq(cases.caseworkerId, staffMembers.id), eq(cases.status, 'OPEN')))),
      ),
    )
    .orderBy(asc(staffMembers.id))
    .limit(1);
  return row;
}

export async function findActiveProvider(db: Database): Promise<number | undefined> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.isProvider, true), eq(organizations.providerStatus, 'ACTIVE')))
    .orderBy(asc(organizations.id))
    .limit(1);
  return row?.id;
}
