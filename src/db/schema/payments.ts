import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications, applicationType } from './applications';
import { districts, streets } from './geography';
import { households } from './households';

/** A payment month, written YYYY-MM: text so that months compare in calendar order. */
const MONTH_PATTERN = `'^[0-9]{4}-(0[1-9]|1[0-2])$'`;
const isMonth = (column: unknown) => sql`${column} ~ ${sql.raw(MONTH_PATTERN)}`;

/** The monthly allowance types paid through the platform; every other application type is not. */
export const PAID_APPLICATION_TYPES = ['MINIMUM_LIVING_ALLOWANCE', 'EXTREME_POVERTY_SUPPORT'] as const;

export const allowanceMethod = pgEnum('allowance_method', [
  /** max(0, standard × members − verified household income) + per-member supplements (低保 差额补助). */
  'GAP_TO_STANDARD',
  /** standard × multiple per member + per-member supplements (特困 基本生活费). */
  'FIXED_PER_MEMBER',
]);

/** Per-member supplements of a formula, in permille of the standard, by category of member. */
export type SupplementRates = Partial<Record<'DISABILITY' | 'SERIOUS_ILLNESS' | 'ELDERLY' | 'MINOR', number>>;

/**
 * How a monthly allowance is computed (configuration as data): per paid application type, the
 * formula in force from a month on. A new standard is a new row, never an edit of an old one, so
 * every allowance keeps pointing at the formula it was computed with.
 */
export const allowanceFormulas = pgTable(
  'allowance_formulas',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationType: applicationType('application_type').notNull(),
    /** First month (YYYY-MM) the formula applies to; it applies until a later row takes over. */
    effectiveFrom: text('effective_from').notNull(),
    method: allowanceMethod('method').notNull(),
    /** The standard in force (e.g. 低保标准), per person per month, in fen. */
    standardMonthlyFen: bigint('standard_monthly_fen', { mode: 'number' }).notNull(),
    /** FIXED_PER_MEMBER: the amount per member as permille of the standard (1300 = 1.3 ×). */
    standardMultiplePermille: integer('standard_multiple_permille').notNull().default(1000),
    supplementPermille: jsonb('supplement_permille').$type<SupplementRates>().notNull().default({}),
    /** Where the values come from (a decision's number, or a note that they are seed values). */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('allowance_formulas_type_month_uq').on(t.applicationType, t.effectiveFrom),
    check('allowance_formulas_month_ck', isMonth(t.effectiveFrom)),
    check('allowance_formulas_paid_type_ck', sql`${t.applicationType} in ('MINIMUM_LIVING_ALLOWANCE', 'EXTREME_POVERTY_SUPPORT')`),
    check('allowance_formulas_amounts_ck', sql`${t.standardMonthlyFen} > 0 and ${t.standardMultiplePermille} > 0`),
  ],
);

export const allowanceStatus = pgEnum('allowance_status', ['ACTIVE', 'SUSPENDED', 'ENDED']);

/** What an allowance was computed from, kept with it so the amount can always be explained. */
export interface AllowanceExplanation {
  readonly method: 'GAP_TO_STANDARD' | 'FIXED_PER_MEMBER';
  readonly formulaId: number;
  readonly formulaEffectiveFrom: string;
  readonly standardMonthlyFen: number;
  readonly members: number;
  /** GAP_TO_STANDARD: verified per-capita monthly income, and the household's (× members). */
  readonly perCapitaIncomeFen: number | null;
  readonly householdIncomeFen: number | null;
  readonly verificationId: number | null;
  /** The basic part: the gap to the standard, or the fixed amount × members. */
  readonly basicFen: number;
  readonly supplements: readonly { readonly category: string; readonly members: number; readonly perMemberFen: number; readonly amountFen: number }[];
  readonly monthlyAmountFen: number;
}

/** A monthly allowance (救助金): one per approved application of a paid type. */
export const allowances = pgTable(
  'allowances',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    applicationId: integer('application_id').notNull().references(() => applications.id),
    householdId: integer('household_id').notNull().references(() => households.id),
    type: applicationType('type').notNull(),
    /** The application's competent street and district (户籍地): they pay and manage it. */
    streetId: integer('street_id').notNull().references(() => streets.id),
    districtId: integer('district_id').notNull().references(() => districts.id),
    formulaId: integer('formula_id').notNull().references(() => allowanceFormulas.id),
    monthlyAmountFen: bigint('monthly_amount_fen', { mode: 'number' }).notNull(),
    explanation: jsonb('explanation').$type<AllowanceExplanation>().notNull(),
    /** First month paid (YYYY-MM). */
    startMonth: text('start_month').notNull(),
    /** The latest recorded status change: its status, effective month and reason. */
    status: allowanceStatus('status').notNull().default('ACTIVE'),
    statusMonth: text('status_month').notNull(),
    statusReason: text('status_reason'),
    grantedBy: text('granted_by'),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One allowance per application: granting twice returns the first.
    uniqueIndex('allowances_application_uq').on(t.applicationId),
    // A household receives an allowance of a type once: a second one is never paid beside it.
    uniqueIndex('allowances_one_live_per_household_uq').on(t.householdId, t.type).where(sql`${t.status} <> 'ENDED'`),
    index('allowances_district_status_idx').on(t.districtId, t.status, t.id),
    index('allowances_street_status_idx').on(t.streetId, t.status, t.id),
    index('allowances_household_idx').on(t.householdId, t.id),
    foreignKey({ name: 'allowances_place_fk', columns: [t.streetId, t.districtId], foreignColumns: [streets.id, streets.districtId] }),
    check('allowances_amount_ck', sql`${t.monthlyAmountFen} >= 0`),
    check('allowances_months_ck', sql`${isMonth(t.startMonth)} and ${isMonth(t.statusMonth)} and ${t.statusMonth} >= ${t.startMonth}`),
    check('allowances_reason_ck', sql`${t.status} = 'ACTIVE' or ${t.statusReason} is not null`),
  ],
);

/**
 * Every status of an allowance with the month it takes effect: the status in force in a month is
 * that of the latest change effective on or before it (the grant is the first change, ACTIVE).
 */
export const allowanceEvents = pgTable(
  'allowance_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    allowanceId: integer('allowance_id').notNull().references(() => allowances.id),
    status: allowanceStatus('status').notNull(),
    effectiveMonth: text('effective_month').notNull(),
    reason: text('reason'),
    actor: text('actor'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('allowance_events_allowance_month_idx').on(t.allowanceId, t.effectiveMonth, t.id), check('allowance_events_month_ck', isMonth(t.effectiveMonth))],
);

export const disbursementBatchStatus = pgEnum('disbursement_batch_status', ['DRAFT', 'APPROVED']);

/** A monthly disbursement batch (发放批次) of one district: every payee and amount of that month. */
export const disbursementBatches = pgTable(
  'disbursement_batches',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    districtId: integer('district_id').notNull().references(() => districts.id),
    month: text('month').notNull(),
    status: disbursementBatchStatus('status').notNull().default('DRAFT'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The last run that refreshed the draft. */
    refreshedBy: text('refreshed_by'),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull().defaultNow(),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    /** What the finance officer approved: lines and total at that moment. */
    approvedLineCount: integer('approved_line_count'),
    approvedTotalFen: bigint('approved_total_fen', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('disbursement_batches_district_month_uq').on(t.districtId, t.month),
    // Target of the lines' foreign key: a line's month is its batch's month.
    unique('disbursement_batches_id_month_uq').on(t.id, t.month),
    index('disbursement_batches_month_idx').on(t.month, t.id),
    check('disbursement_batches_month_ck', isMonth(t.month)),
    check('disbursement_batches_approved_ck', sql`(${t.status} = 'APPROVED') = (${t.approvedAt} is not null and ${t.approvedTotalFen} is not null)`),
  ],
);

export const disbursementLineStatus = pgEnum('disbursement_line_status', ['PENDING', 'PAID', 'RETURNED']);

/**
 * One payment: an allowance's amount for one month. UNIQUE (allowance, month) is the database's
 * guarantee that nobody is paid twice for a month, whatever runs and approvals race.
 */
export const disbursementLines = pgTable(
  'disbursement_lines',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    batchId: integer('batch_id').notNull(),
    allowanceId: integer('allowance_id').notNull().references(() => allowances.id),
    householdId: integer('household_id').notNull().references(() => households.id),
    districtId: integer('district_id').notNull().references(() => districts.id),
    streetId: integer('street_id').notNull().references(() => streets.id),
    month: text('month').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    status: disbursementLineStatus('status').notNull().default('PENDING'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    returnReason: text('return_reason'),
    returnedOn: date('returned_on'),
    returnedBy: text('returned_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('disbursement_lines_allowance_month_uq').on(t.allowanceId, t.month),
    foreignKey({ name: 'disbursement_lines_batch_fk', columns: [t.batchId, t.month], foreignColumns: [disbursementBatches.id, disbursementBatches.month] }),
    index('disbursement_lines_batch_idx').on(t.batchId, t.id),
    index('disbursement_lines_district_month_idx').on(t.districtId, t.month, t.status),
    check('disbursement_lines_amount_ck', sql`${t.amountFen} > 0`),
    check('disbursement_lines_paid_ck', sql`(${t.status} = 'PENDING') = (${t.paidAt} is null)`),
    check('disbursement_lines_returned_ck', sql`(${t.status} = 'RETURNED') = (${t.returnReason} is not null and ${t.returnedOn} is not null)`),
  ],
);
