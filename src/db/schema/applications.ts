import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { districts, streets } from './geography';
import { cases, households, persons } from './households';
import { organizations, staffMembers } from './organizations';

/** The national types of social assistance an application can ask for. */
export const applicationType = pgEnum('application_type', [
  'MINIMUM_LIVING_ALLOWANCE',
  'EXTREME_POVERTY_SUPPORT',
  'DISASTER_RELIEF',
  'MEDICAL',
  'EDUCATION',
  'HOUSING',
  'EMPLOYMENT',
  'TEMPORARY_ASSISTANCE',
]);

export const applicationStatus = pgEnum('application_status', [
  'RECEIVED',
  'ACCEPTED',
  'UNDER_VERIFICATION',
  'REVIEW',
  'PUBLICITY',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
]);

/**
 * An application for assistance (救助申请), received at one window for a household anywhere in the
 * city (全市通办) and handled by the competent street: the street of the household's registered
 * residence.
 */
export const applications = pgTable(
  'applications',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    type: applicationType('type').notNull(),
    householdId: integer('household_id').notNull().references(() => households.id),
    /** The member who applies on the household's behalf. */
    applicantId: integer('applicant_id').references(() => persons.id),
    status: applicationStatus('status').notNull().default('RECEIVED'),
    /** The centre or sub-centre that received it, and the officer who did (首问负责). */
    receivingOrganizationId: integer('receiving_organization_id').notNull().references(() => organizations.id),
    receivingStreetId: integer('receiving_street_id').notNull().references(() => streets.id),
    receivingOfficerId: integer('receiving_officer_id').references(() => staffMembers.id),
    /** Who owns it now: the receiving officer until a hand-on moves it. */
    ownerOrganizationId: integer('owner_organization_id').notNull().references(() => organizations.id),
    ownerOfficerId: integer('owner_officer_id').references(() => staffMembers.id),
    /** Routed by registered residence (户籍地). */
    competentStreetId: integer('competent_street_id').notNull().references(() => streets.id),
    competentDistrictId: integer('competent_district_id').notNull().references(() => districts.id),
    /** The case the application belongs to, opened or updated on approval. */
    caseId: integer('case_id').references(() => cases.id),
    /** Why it was applied for, in the applicant's words as recorded. */
    statement: text('statement'),
    /** The reason of a rejection or withdrawal, or the note of an approval. */
    decisionReason: text('decision_reason'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Publicity (公示): where and until when the decision is posted. */
    publicityPlace: text('publicity_place'),
    publicityStart: date('publicity_start'),
    publicityEnd: date('publicity_end'),
    /** A client's key: retrying the same intake returns the first application. */
    idempotencyKey: text('idempotency_key'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the current status was entered: the current step's deadline counts from it. */
    statusSince: timestamp('status_since', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'applications_competent_place_fk', columns: [t.competentStreetId, t.competentDistrictId], foreignColumns: [streets.id, streets.districtId] }),
    uniqueIndex('applications_idempotency_key_uq').on(t.idempotencyKey),
    index('applications_household_idx').on(t.householdId, t.id),
    index('applications_competent_street_status_idx').on(t.competentStreetId, t.status, t.id),
    index('applications_competent_district_status_idx').on(t.competentDistrictId, t.status, t.id),
    index('applications_receiving_org_idx').on(t.receivingOrganizationId, t.id),
    index('applications_status_since_idx').on(t.status, t.statusSince),
    // One application of a type in progress per household: a second intake is a duplicate.
    uniqueIndex('applications_one_live_per_type_uq')
      .on(t.householdId, t.type)
      .where(sql`${t.status} not in ('APPROVED', 'REJECTED', 'WITHDRAWN')`),
    check('applications_decision_ck', sql`${t.status} not in ('REJECTED', 'WITHDRAWN') or ${t.decisionReason} is not null`),
    check('applications_decided_at_ck', sql`(${t.status} in ('APPROVED', 'REJECTED', 'WITHDRAWN')) = (${t.decidedAt} is not null)`),
    check('applications_publicity_ck', sql`${t.publicityEnd} is null or ${t.publicityEnd} >= ${t.publicityStart}`),
  ],
);

/** The history of an application: every transition, who made it, when and why. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    fromStatus: applicationStatus('from_status'),
    toStatus: applicationStatus('to_status').notNull(),
    actor: text('actor'),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('application_events_application_idx').on(t.applicationId, t.id)],
);

/** Hand-ons (移交): ownership moving from one officer or organization to another. */
export const applicationHandoffs = pgTable(
  'application_handoffs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    fromOrganizationId: integer('from_organization_id').notNull().references(() => organizations.id),
    fromOfficerId: integer('from_officer_id').references(() => staffMembers.id),
    toOrganizationId: integer('to_organization_id').notNull().references(() => organizations.id),
    toOfficerId: integer('to_officer_id').references(() => staffMembers.id),
    note: text('note'),
    actor: text('actor'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('application_handoffs_application_idx').on(t.applicationId, t.id)],
);

export const verificationStatus = pgEnum('verification_status', ['PENDING', 'COMPLETED', 'CANCELLED']);
export const verificationOutcome = pgEnum('verification_outcome', ['WITHIN_STANDARD', 'ABOVE_STANDARD', 'INCOMPLETE']);

/**
 * A household economic-status verification (经济状况核对): always for one application, its purpose.
 * The result columns summarise the latest computation; its explanation is kept with it.
 */
export const verificationRequests = pgTable(
  'verification_requests',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    householdId: integer('household_id').notNull().references(() => households.id),
    status: verificationStatus('status').notNull().default('PENDING'),
    requestedBy: text('requested_by'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    outcome: verificationOutcome('outcome'),
    /** Per-capita monthly income and per-capita assets, in fen (分), as last computed. */
    perCapitaMonthlyIncomeFen: bigint('per_capita_monthly_income_fen', { mode: 'number' }),
    perCapitaAssetsFen: bigint('per_capita_assets_fen', { mode: 'number' }),
    /** The standard year the result was measured against. */
    standardYear: integer('standard_year'),
    computedAt: timestamp('computed_at', { withTimezone: true }),
  },
  (t) => [
    // One verification in progress per application.
    uniqueIndex('verification_requests_one_live_uq').on(t.applicationId).where(sql`${t.status} <> 'CANCELLED'`),
    index('verification_requests_household_idx').on(t.householdId, t.id),
    index('verification_requests_status_idx').on(t.status, t.id),
  ],
);
