import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { committees, districts, streets } from './geography';
import { organizations, staffMembers } from './organizations';
import { assistanceStatus, caseStatus, householdRelation, personAttribute, sex } from './enums';

export const households = pgTable(
  'households',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** Where the household actually lives; its needs are located here. */
    committeeId: integer('committee_id').notNull().references(() => committees.id),
    streetId: integer('street_id').notNull().references(() => streets.id),
    districtId: integer('district_id').notNull().references(() => districts.id),
    /** Registered residence (户籍): decides the competent street for applications. */
    registeredCommitteeId: integer('registered_committee_id').notNull().references(() => committees.id),
    /** Exact address: personal data. */
    address: text('address').notNull(),
    assistanceStatuses: assistanceStatus('assistance_statuses').array().notNull().default(sql`'{}'`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('households_committee_idx').on(t.committeeId, t.id),
    index('households_street_idx').on(t.streetId, t.id),
    index('households_district_idx').on(t.districtId, t.id),
    foreignKey({ name: 'households_place_fk', columns: [t.committeeId, t.streetId, t.districtId], foreignColumns: [committees.id, committees.streetId, committees.districtId] }),
  ],
);

export const persons = pgTable(
  'persons',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id').notNull().references(() => households.id),
    relation: householdRelation('relation').notNull(),
    name: text('name').notNull(),
    /** Resident ID number (身份证号), validated by GB 11643; personal data. */
    idNumber: text('id_number').notNull().unique(),
    sex: sex('sex').notNull(),
    birthDate: date('birth_date').notNull(),
    phone: text('phone'),
    attributes: personAttribute('attributes').array().notNull().default(sql`'{}'`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('persons_household_idx').on(t.householdId, t.id)],
);

/** A case (个案): the hub's record of assisting one household. */
export const cases = pgTable(
  'cases',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id').notNull().references(() => households.id),
    ownerStreetId: integer('owner_street_id').notNull().references(() => streets.id),
    /** The street office or centre whose staff own the case. */
    ownerOrganizationId: integer('owner_organization_id').references(() => organizations.id),
    caseworkerId: integer('caseworker_id').notNull().references(() => staffMembers.id),
    status: caseStatus('status').notNull().default('OPEN'),
    summary: text('summary'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('cases_household_idx').on(t.householdId, t.id),
    index('cases_owner_street_idx').on(t.ownerStreetId, t.id),
    index('cases_caseworker_idx').on(t.caseworkerId, t.id),
    // A household has at most one open case: the place where its assistance is coordinated.
    uniqueIndex('cases_one_open_per_household_uq').on(t.householdId).where(sql`${t.status} = 'OPEN'`),
    check('cases_closed_at_ck', sql`(${t.status} = 'CLOSED') = (${t.closedAt} is not null)`),
  ],
);
