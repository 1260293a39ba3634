import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { committees, districts, streets } from './geography';
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

/**
 * A kind of material an application may need (申请材料), e.g. 身份证明 or 收入证明. `hubSource` names
 * the finder that looks for it in the hub's own data (数据多跑路); null when only the applicant has it.
 */
export const materialKinds = pgTable('material_kinds', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  code: text('code').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  description: text('description'),
  hubSource: text('hub_source'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The checklist of one application type: every material it requires, in the order of the notice. */
export const applicationChecklistItems = pgTable(
  'application_checklist_items',
  {
    type: applicationType('type').notNull(),
    materialKindId: integer('material_kind_id').notNull().references(() => materialKinds.id),
    sortOrder: integer('sort_order').notNull(),
  },
  (t) => [primaryKey({ columns: [t.type, t.materialKindId] })],
);

export const materialState = pgEnum('material_state', ['MISSING', 'PROVIDED', 'FOUND_IN_HUB']);

/**
 * One material of one application: what the one-time notice (一次性告知) said of it at intake, and
 * where it stands now. A material requested later that the notice did not list as missing is an
 * exception and carries its reason.
 */
export const applicationMaterials = pgTable(
  'application_materials',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    materialKindId: integer('material_kind_id').notNull().references(() => materialKinds.id),
    state: materialState('state').notNull(),
    /** Its state in the first notice; null for a material the notice did not contain. */
    noticeState: materialState('notice_state'),
    /** Which finder found it, which data and which department: never a personal value. */
    foundSource: text('found_source'),
    foundData: text('found_data'),
    foundDepartment: text('found_department'),
    /** A later request outside the first notice: why, by whom, when. */
    exceptionReason: text('exception_reason'),
    requestedLaterBy: text('requested_later_by'),
    requestedLaterAt: timestamp('requested_later_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('application_materials_application_kind_uq').on(t.applicationId, t.materialKindId),
    index('application_materials_exception_idx').on(t.id).where(sql`${t.exceptionReason} is not null`),
    check('application_materials_found_ck', sql`${t.state} <> 'FOUND_IN_HUB' or ${t.foundSource} is not null`),
  ],
);

/** An objection (异议) raised while an application is under publicity; it must be answered before approval. */
export const publicityObjections = pgTable(
  'publicity_objections',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    /** Who objected, as they gave it; null when anonymous. Sensitive, like the content. */
    objector: text('objector'),
    content: text('content').notNull(),
    recordedBy: text('recorded_by'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    answer: text('answer'),
    answeredBy: text('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    index('publicity_objections_application_idx').on(t.applicationId, t.id),
    check('publicity_objections_answer_ck', sql`(${t.answer} is null) = (${t.answeredAt} is null)`),
  ],
);

export const discoveryReportStatus = pgEnum('discovery_report_status', ['NEW', 'INVESTIGATING', 'CONVERTED', 'CLOSED']);

/**
 * A discovery report (发现报告): a committee member's word that a household may be in difficulty.
 * The street investigates it and turns it into an application or closes it with a reason.
 */
export const discoveryReports = pgTable(
  'discovery_reports',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    committeeId: integer('committee_id').notNull().references(() => committees.id),
    streetId: integer('street_id').notNull().references(() => streets.id),
    districtId: integer('district_id').notNull().references(() => districts.id),
    /** The household when it is already registered; otherwise the description and address say who. */
    householdId: integer('household_id').references(() => households.id),
    description: text('description').notNull(),
    /** Address as reported: personal data. */
    addressText: text('address_text'),
    status: discoveryReportStatus('status').notNull().default('NEW'),
    reportedBy: text('reported_by'),
    reporterStaffId: integer('reporter_staff_id').references(() => staffMembers.id),
    investigatedBy: text('investigated_by'),
    applicationId: integer('application_id').references(() => applications.id),
    closeReason: text('close_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    statusSince: timestamp('status_since', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'discovery_reports_place_fk', columns: [t.committeeId, t.streetId, t.districtId], foreignColumns: [committees.id, committees.streetId, committees.districtId] }),
    index('discovery_reports_street_status_idx').on(t.streetId, t.status, t.id),
    index('discovery_reports_district_status_idx').on(t.districtId, t.status, t.id),
    uniqueIndex('discovery_reports_application_uq').on(t.applicationId),
    check('discovery_reports_converted_ck', sql`(${t.status} = 'CONVERTED') = (${t.applicationId} is not null)`),
    check('discovery_reports_closed_ck', sql`(${t.status} = 'CLOSED') = (${t.closeReason} is not null)`),
  ],
);
