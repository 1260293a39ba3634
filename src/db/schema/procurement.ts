import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations } from './organizations';
import { bids, procurementMethod, purchaseProjects } from './purchasing';

/**
 * Procurement-method thresholds (采购方式数额标准, §3(4)) as data: from `min_budget_fen` up to the
 * next row's amount, only `allowed_methods` may be chosen without a recorded justification.
 */
export const procurementThresholds = pgTable(
  'procurement_thresholds',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    minBudgetFen: bigint('min_budget_fen', { mode: 'number' }).notNull(),
    allowedMethods: procurementMethod('allowed_methods').array().notNull(),
    /** Where the figure comes from (a regulation, or "seed value, to be confirmed"). */
    source: text('source').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('procurement_thresholds_min_uq').on(t.minBudgetFen), check('procurement_thresholds_min_ck', sql`${t.minBudgetFen} >= 0`)],
);

/** Review experts (评审专家) who score proposals; not people served, and disclosed after an award. */
export const procurementExperts = pgTable('procurement_experts', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  /** Field of expertise, e.g. social work, finance, law. */
  field: text('field').notNull(),
  affiliationId: integer('affiliation_id').references(() => organizations.id),
  registeredBy: text('registered_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const expertLinkKind = pgEnum('expert_link_kind', ['EMPLOYMENT', 'FAMILY', 'RECENT_WORK', 'OTHER']);

/** A declared link between an expert and an organization: the expert must not score its bids (回避). */
export const expertLinks = pgTable(
  'expert_links',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    expertId: integer('expert_id').notNull().references(() => procurementExperts.id),
    organizationId: integer('organization_id').notNull().references(() => organizations.id),
    kind: expertLinkKind('kind').notNull(),
    reason: text('reason').notNull(),
    declaredBy: text('declared_by'),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('expert_links_expert_idx').on(t.expertId, t.organizationId)],
);

/** The review panel (评审委员会) of a project. */
export const projectExperts = pgTable(
  'project_experts',
  {
    projectId: integer('project_id').notNull().references(() => purchaseProjects.id),
    expertId: integer('expert_id').notNull().references(() => procurementExperts.id),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.expertId] })],
);

/** The published scoring criteria of a project: each scored 0–100, weighted; the weights sum to 100. */
export const scoringCriteria = pgTable(
  'scoring_criteria',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    projectId: integer('project_id').notNull().references(() => purchaseProjects.id),
    name: text('name').notNull(),
    description: text('description'),
    weight: integer('weight').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [index('scoring_criteria_project_idx').on(t.projectId, t.position), check('scoring_criteria_weight_ck', sql`${t.weight} between 1 and 100`)],
);

/** One expert's score of one bid on one criterion. */
export const expertScores = pgTable(
  'expert_scores',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    bidId: integer('bid_id').notNull().references(() => bids.id),
    expertId: integer('expert_id').notNull().references(() => procurementExperts.id),
    criterionId: integer('criterion_id').notNull().references(() => scoringCriteria.id),
    score: integer('score').notNull(),
    recordedBy: text('recorded_by'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('expert_scores_uq').on(t.bidId, t.expertId, t.criterionId), check('expert_scores_score_ck', sql`${t.score} between 0 and 100`)],
);
