import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { districts, streets } from './geography';
import { serviceCategories } from './catalogue';
import { organizations } from './organizations';

export const purchaseProjectStatus = pgEnum('purchase_project_status', [
  'DRAFT',
  'SUBMITTED',
  'FINANCE_REVIEW',
  'APPROVED',
  'RETURNED',
  'PROCUREMENT',
  'AWARDED',
  'CONTRACTED',
  'IN_PROGRESS',
  'EVALUATED',
  'CLOSED',
]);

/** The five procurement methods of the government procurement law (政府采购方式). */
export const procurementMethod = pgEnum('procurement_method', ['OPEN_TENDER', 'INVITED_TENDER', 'COMPETITIVE_NEGOTIATION', 'COMPETITIVE_CONSULTATION', 'SINGLE_SOURCE']);

/**
 * A purchase project (政府购买服务项目, §3(5)): a civil-affairs department, street office or
 * township government buys assistance services for one or more catalogue items.
 */
export const purchaseProjects = pgTable(
  'purchase_projects',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** The purchaser (§3(1)). */
    purchaserId: integer('purchaser_id').notNull().references(() => organizations.id),
    /** Where the purchaser sits, for scopes: a district bureau's district, a street office's street. */
    districtId: integer('district_id').references(() => districts.id),
    streetId: integer('street_id').references(() => streets.id),
    title: text('title').notNull(),
    /** Needs study (需求调研) and service standard (服务标准). */
    needsStudy: text('needs_study').notNull(),
    serviceStandard: text('service_standard').notNull(),
    /** Quantity in service units, and the budget in fen. */
    quantity: integer('quantity').notNull(),
    budgetFen: bigint('budget_fen', { mode: 'number' }).notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    termStart: date('term_start').notNull(),
    termEnd: date('term_end').notNull(),
    status: purchaseProjectStatus('status').notNull().default('DRAFT'),
    method: procurementMethod('method'),
    /** Why a method the amount does not normally allow was chosen; recorded, then disclosed. */
    methodJustification: text('method_justification'),
    /** Why finance returned it, the last time it did. */
    returnReason: text('return_reason'),
    awardedBidId: integer('awarded_bid_id'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('purchase_projects_quantity_ck', sql`${t.quantity} > 0`),
    check('purchase_projects_budget_ck', sql`${t.budgetFen} > 0`),
    check('purchase_projects_term_ck', sql`${t.termEnd} >= ${t.termStart}`),
    index('purchase_projects_purchaser_idx').on(t.purchaserId, t.id),
    index('purchase_projects_status_idx').on(t.status, t.id),
    index('purchase_projects_district_idx').on(t.districtId, t.fiscalYear),
  ],
);

/** The catalogue items (项目目录, §3(2)) a project buys. */
export const purchaseProjectItems = pgTable(
  'purchase_project_items',
  {
    projectId: integer('project_id').notNull().references(() => purchaseProjects.id),
    categoryId: integer('category_id').notNull().references(() => serviceCategories.id),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.categoryId] })],
);

/** The history of a project: every step, who took it, when and why. */
export const purchaseProjectEvents = pgTable(
  'purchase_project_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id').notNull().references(() => purchaseProjects.id),
    fromStatus: purchaseProjectStatus('from_status'),
    toStatus: purchaseProjectStatus('to_status').notNull(),
    actor: text('actor'),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('purchase_project_events_project_idx').on(t.projectId, t.id)],
);

export const bidStatus = pgEnum('bid_status', ['SUBMITTED', 'WITHDRAWN', 'AWARDED', 'NOT_AWARDED']);

/** A provider's bid (投标 / 响应文件) for a project in procurement. */
export const bids = pgTable(
  'bids',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id').notNull().references(() => purchaseProjects.id),
    providerId: integer('provider_id').notNull().references(() => organizations.id),
    priceFen: bigint('price_fen', { mode: 'number' }).notNull(),
    proposal: text('proposal').notNull(),
    status: bidStatus('status').notNull().default('SUBMITTED'),
    submittedBy: text('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('bids_price_ck', sql`${t.priceFen} > 0`),
    // One bid per provider per project.
    uniqueIndex('bids_project_provider_uq').on(t.projectId, t.providerId),
    index('bids_provider_idx').on(t.providerId, t.id),
  ],
);

export const contractStatus = pgEnum('contract_status', ['ACTIVE', 'COMPLETED', 'TERMINATED', 'TAKEN_OVER']);

/**
 * A service contract (§3(5)2). Every term the policy requires is a required column: a contract
 * that lacks one is refused before it is written.
 */
export const purchaseContracts = pgTable(
  'purchase_contracts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id').notNull().references(() => purchaseProjects.id),
    bidId: integer('bid_id').notNull().references(() => bids.id),
    providerId: integer('provider_id').notNull().references(() => organizations.id),
    subject: text('subject').notNull(),
    serviceStandard: text('service_standard').notNull(),
    quantity: integer('quantity').notNull(),
    termStart: date('term_start').notNull(),
    termEnd: date('term_end').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    paymentMethod: text('payment_method').notNull(),
    breachLiability: text('breach_liability').notNull(),
    disputeResolution: text('dispute_resolution').notNull(),
    status: contractStatus('status').notNull().default('ACTIVE'),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
  },
  (t) => [
    check('purchase_contracts_quantity_ck', sql`${t.quantity} > 0`),
    check('purchase_contracts_amount_ck', sql`${t.amountFen} > 0`),
    check('purchase_contracts_term_ck', sql`${t.termEnd} >= ${t.termStart}`),
    uniqueIndex('purchase_contracts_project_uq').on(t.projectId),
    index('purchase_contracts_provider_idx').on(t.providerId, t.id),
  ],
);

/** Where a contract's services are delivered: districts or streets. */
export const purchaseContractAreas = pgTable(
  'purchase_contract_areas',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    contractId: integer('contract_id').notNull().references(() => purchaseContracts.id),
    districtId: integer('district_id').notNull().references(() => districts.id),
    streetId: integer('street_id').references(() => streets.id),
  },
  (t) => [index('purchase_contract_areas_contract_idx').on(t.contractId)],
);
