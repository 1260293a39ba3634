import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { committees, districts, streets } from './geography';
import { departmentFunction, governmentLevel, organizationKind, providerStatus, staffPosition } from './enums';
import { assistanceRole } from './capacity-enums';

/** Every party that acts in the graph, from city bureaus to volunteer groups. */
export const organizations = pgTable(
  'organizations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    kind: organizationKind('kind').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en'),
    /** Unified social credit code (统一社会信用代码) of registered bodies. */
    creditCode: text('credit_code').unique(),
    departmentFunction: departmentFunction('department_function'),
    level: governmentLevel('level'),
    districtId: integer('district_id').references(() => districts.id),
    streetId: integer('street_id').references(() => streets.id),
    committeeId: integer('committee_id').references(() => committees.id),
    /** A sub-centre's centre; a district bureau's city bureau. */
    parentId: integer('parent_id').references((): AnyPgColumn => organizations.id),
    isProvider: boolean('is_provider').notNull().default(false),
    providerStatus: providerStatus('provider_status'),
    bannedUntil: date('banned_until'),
    address: text('address'),
    contactPhone: text('contact_phone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('organizations_kind_idx').on(t.kind, t.id),
    index('organizations_district_idx').on(t.districtId, t.id),
    index('organizations_street_idx').on(t.streetId, t.id),
    index('organizations_parent_idx').on(t.parentId),
    check('organizations_provider_status_ck', sql`(${t.isProvider} and ${t.providerStatus} is not null) or (not ${t.isProvider} and ${t.providerStatus} is null)`),
    check('organizations_banned_until_ck', sql`${t.bannedUntil} is null or ${t.providerStatus} = 'BANNED'`),
  ],
);

/** People who work for an organization: caseworkers, officers, committee members. */
export const staffMembers = pgTable(
  'staff_members',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    organizationId: integer('organization_id').notNull().references(() => organizations.id),
    /** The committee a committee member (or community-based worker) serves. */
    committeeId: integer('committee_id').references(() => committees.id),
    position: staffPosition('position').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    /** Assistance work assigned to the person (助理员 / 协理员); null when they do none. */
    assistanceRole: assistanceRole('assistance_role'),
    /** Hired as a recent university graduate (高校毕业生), which HR and social security follows. */
    graduateHire: boolean('graduate_hire').notNull().default(false),
    hiredOn: date('hired_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('staff_members_organization_idx').on(t.organizationId, t.id),
    index('staff_members_committee_idx').on(t.committeeId),
    // The capacity reports: committees with someone doing assistance work, the people due for
    // training each year, and graduate hires by year.
    index('staff_members_assistance_committee_idx').on(t.committeeId).where(sql`${t.active} and ${t.assistanceRole} is not null`),
    index('staff_members_assistance_workers_idx').on(t.id).where(sql`${t.active} and (${t.position} = 'CASEWORKER' or ${t.assistanceRole} is not null)`),
    index('staff_members_graduate_hires_idx').on(t.hiredOn).where(sql`${t.graduateHire}`),
    check('staff_members_graduate_hired_on_ck', sql`not ${t.graduateHire} or ${t.hiredOn} is not null`),
  ],
);
