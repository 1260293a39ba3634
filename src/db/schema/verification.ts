import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { persons } from './households';
import { verificationRequests } from './applications';

/** The departments that answer a verification (经济状况核对的数据来源). */
export const verificationDepartment = pgEnum('verification_department', [
  'HR_SOCIAL_SECURITY',
  'HOUSING_FUND',
  'REAL_ESTATE',
  'VEHICLES',
  'BANKS_SECURITIES',
  'MARKET_REGULATION',
]);

/** What a figure reports; whether it is monthly income or an asset follows from the kind (see verification.rules.ts). */
export const verificationFigureKind = pgEnum('verification_figure_kind', [
  'WAGE_INCOME',
  'PENSION',
  'UNEMPLOYMENT_BENEFIT',
  'BUSINESS_INCOME',
  'HOUSING_FUND_BALANCE',
  'DEPOSITS',
  'SECURITIES',
  'REAL_ESTATE',
  'VEHICLE',
  'BUSINESS_REGISTRATION',
]);

/** Which rule an explanation line of a result reports on. */
export const verificationRule = pgEnum('verification_rule', [
  'INCOME',
  'ASSET',
  'NOT_COUNTED',
  'DWELLING',
  'VEHICLE',
  'MEMBERS',
  'PER_CAPITA_INCOME',
  'PER_CAPITA_ASSETS',
  'DWELLING_COUNT',
  'MISSING_RETURN',
]);

/**
 * One figure a department reports for a verification, in fen (分). A department's source
 * reference identifies the record it comes from: resubmitting the same reference updates the
 * figure (the database holds one row per request, department and reference).
 */
export const verificationFigures = pgTable(
  'verification_figures',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    requestId: integer('request_id').notNull().references(() => verificationRequests.id),
    department: verificationDepartment('department').notNull(),
    kind: verificationFigureKind('kind').notNull(),
    /** The member the figure is about; null for the household as a whole. */
    personId: integer('person_id').references(() => persons.id),
    /** Monthly amount for income kinds, value held for asset kinds. */
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    /** Dwellings the record covers (REAL_ESTATE); 1 for every other kind. */
    quantity: integer('quantity').notNull().default(1),
    sourceReference: text('source_reference').notNull(),
    /** When the source recorded the figure; an older copy never overwrites a newer one. */
    sourceTime: timestamp('source_time', { withTimezone: true }).notNull(),
    submittedBy: text('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('verification_figures_source_uq').on(t.requestId, t.department, t.sourceReference),
    check('verification_figures_amount_ck', sql`${t.amountFen} >= 0`),
    check('verification_figures_quantity_ck', sql`${t.quantity} >= 1 and (${t.quantity} = 1 or ${t.kind} = 'REAL_ESTATE')`),
  ],
);

/** That a department has answered a verification (possibly with no figures: nothing on record). */
export const verificationReturns = pgTable(
  'verification_returns',
  {
    requestId: integer('request_id').notNull().references(() => verificationRequests.id),
    department: verificationDepartment('department').notNull(),
    submittedBy: text('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.department] })],
);

/**
 * The standards a verification is measured against, one row per year, in force from its
 * effective date until the next year's. Seed values must be confirmed by the civil affairs bureau.
 */
export const verificationStandards = pgTable(
  'verification_standards',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    year: integer('year').notNull(),
    effectiveFrom: date('effective_from').notNull(),
    /** Minimum living standard (最低生活保障标准), per person per month. */
    minimumLivingStandardFen: bigint('minimum_living_standard_fen', { mode: 'number' }).notNull(),
    /** Counted assets (deposits, securities, business capital) per member. */
    assetLimitPerCapitaFen: bigint('asset_limit_per_capita_fen', { mode: 'number' }).notNull(),
    /** Most dwellings a household may own. */
    maxDwellings: integer('max_dwellings').notNull(),
    /** Most a single vehicle may be worth. */
    vehicleValueLimitFen: bigint('vehicle_value_limit_fen', { mode: 'number' }).notNull(),
    note: text('note'),
    updatedBy: text('updated_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('verification_standards_year_uq').on(t.year),
    uniqueIndex('verification_standards_effective_uq').on(t.effectiveFrom),
    check('verification_standards_year_ck', sql`extract(year from ${t.effectiveFrom}) = ${t.year}`),
    check(
      'verification_standards_amounts_ck',
      sql`${t.minimumLivingStandardFen} > 0 and ${t.assetLimitPerCapitaFen} >= 0 and ${t.maxDwellings} >= 0 and ${t.vehicleValueLimitFen} >= 0`,
    ),
  ],
);

/** The explanation of a computed result: one line per figure and per rule, in order. */
export const verificationResultLines = pgTable(
  'verification_result_lines',
  {
    requestId: integer('request_id').notNull().references(() => verificationRequests.id),
    position: integer('position').notNull(),
    rule: verificationRule('rule').notNull(),
    department: verificationDepartment('department'),
    kind: verificationFigureKind('kind'),
    figureId: integer('figure_id').references(() => verificationFigures.id),
    sourceReference: text('source_reference'),
    /** An amount in fen, for lines about money. */
    amountFen: bigint('amount_fen', { mode: 'number' }),
    /** A count (members, dwellings), for lines about numbers of things. */
    quantity: integer('quantity'),
    /** The threshold the line was measured against (fen, or a count for DWELLING_COUNT). */
    threshold: bigint('threshold', { mode: 'number' }),
    within: boolean('within'),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.position] })],
);
