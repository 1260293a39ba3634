import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { serviceCategories } from './catalogue';
import { cases } from './households';
import { organizations } from './organizations';
import { purchaseContracts } from './purchasing';
import { referrals } from './referrals';
import { resources } from './resources';

/**
 * The formula of the final performance evaluation (绩效评价, §3(5)4), as data: the weights of its
 * four parts. A new formula is a new row, never an edit, so each evaluation keeps the one it used.
 */
export const evaluationFormulas = pgTable(
  'evaluation_formulas',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    satisfactionWeight: doublePrecision('satisfaction_weight').notNull(),
    serviceEffectWeight: doublePrecision('service_effect_weight').notNull(),
    managementWeight: doublePrecision('management_weight').notNull(),
    socialImpactWeight: doublePrecision('social_impact_weight').notNull(),
    /** Below this many ratings, satisfaction is drawn toward the neutral middle (see the README). */
    minRatings: integer('min_ratings').notNull(),
    note: text('note'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'evaluation_formulas_weights_ck',
      sql`least(${t.satisfactionWeight}, ${t.serviceEffectWeight}, ${t.managementWeight}, ${t.socialImpactWeight}) >= 0
        and abs(${t.satisfactionWeight} + ${t.serviceEffectWeight} + ${t.managementWeight} + ${t.socialImpactWeight} - 1) < 0.000001`,
    ),
    // The beneficiaries' satisfaction is weighted heavily: never below any other part.
    check('evaluation_formulas_satisfaction_ck', sql`${t.satisfactionWeight} >= greatest(${t.serviceEffectWeight}, ${t.managementWeight}, ${t.socialImpactWeight})`),
    check('evaluation_formulas_min_ratings_ck', sql`${t.minRatings} between 0 and 1000`),
  ],
);

/** The final performance evaluation of one contract; its total becomes the provider's quality in matching. */
export const contractEvaluations = pgTable(
  'contract_evaluations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    contractId: integer('contract_id').notNull().references(() => purchaseContracts.id),
    /** The contract's provider, kept here so a provider's evaluations need no join. */
    providerId: integer('provider_id').notNull().references(() => organizations.id),
    formulaId: integer('formula_id').notNull().references(() => evaluationFormulas.id),
    /** Parts scored 0–100 by the evaluating department, each with its notes. */
    serviceEffect: integer('service_effect').notNull(),
    serviceEffectNote: text('service_effect_note'),
    management: integer('management').notNull(),
    managementNote: text('management_note'),
    socialImpact: integer('social_impact').notNull(),
    socialImpactNote: text('social_impact_note'),
    /** Beneficiary satisfaction 0–100, computed from the ratings of the contract's completed referrals. */
    satisfaction: doublePrecision('satisfaction').notNull(),
    ratingsCount: integer('ratings_count').notNull(),
    /** Mean rating 1–5; null without ratings. */
    ratingsAverage: doublePrecision('ratings_average'),
    total: doublePrecision('total').notNull(),
    evaluatedBy: text('evaluated_by'),
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('contract_evaluations_parts_ck', sql`${t.serviceEffect} between 0 and 100 and ${t.management} between 0 and 100 and ${t.socialImpact} between 0 and 100`),
    check('contract_evaluations_scores_ck', sql`${t.satisfaction} between 0 and 100 and ${t.total} between 0 and 100`),
    // The final evaluation: one per contract.
    uniqueIndex('contract_evaluations_contract_uq').on(t.contractId),
    index('contract_evaluations_provider_idx').on(t.providerId, t.id),
  ],
);

/** A contract's takeover plan (临时接管预案, §3(6)): the stand-in provider and the resources that would take its referrals. */
export const takeoverPlans = pgTable(
  'takeover_plans',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    contractId: integer('contract_id').notNull().references(() => purchaseContracts.id),
    standInProviderId: integer('stand_in_provider_id').notNull().references(() => organizations.id),
    note: text('note'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('takeover_plans_contract_uq').on(t.contractId), index('takeover_plans_stand_in_idx').on(t.standInProviderId)],
);

/** Which of the stand-in's resources takes the referrals of each catalogue item. */
export const takeoverPlanResources = pgTable(
  'takeover_plan_resources',
  {
    planId: integer('plan_id').notNull().references(() => takeoverPlans.id, { onDelete: 'cascade' }),
    categoryId: integer('category_id').notNull().references(() => serviceCategories.id),
    resourceId: integer('resource_id').notNull().references(() => resources.id),
  },
  (t) => [primaryKey({ columns: [t.planId, t.categoryId] })],
);

export const takeoverReason = pgEnum('takeover_reason', ['PROVIDER_CANNOT_DELIVER', 'CONTRACT_TERMINATED', 'PROVIDER_BANNED']);

/** A plan put into effect: what moved, with counts taken inside the moving transaction. */
export const takeoverActivations = pgTable(
  'takeover_activations',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    contractId: integer('contract_id').notNull().references(() => purchaseContracts.id),
    planId: integer('plan_id').notNull().references(() => takeoverPlans.id),
    standInProviderId: integer('stand_in_provider_id').notNull().references(() => organizations.id),
    reason: takeoverReason('reason').notNull(),
    note: text('note'),
    /** Live referrals of the contract when it began, and how many moved: always equal. */
    liveBefore: integer('live_before').notNull(),
    transferred: integer('transferred').notNull(),
    /** Open cases of the households whose referrals moved. */
    casesAffected: integer('cases_affected').notNull(),
    /** Capacity added to the stand-in's resources so that every moved unit fits. */
    capacityAdded: integer('capacity_added').notNull(),
    activatedBy: text('activated_by'),
    activatedAt: timestamp('activated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('takeover_activations_nothing_dropped_ck', sql`${t.transferred} = ${t.liveBefore}`),
    uniqueIndex('takeover_activations_contract_uq').on(t.contractId),
  ],
);

/** Each referral a takeover moved: the old one (now TRANSFERRED) and the stand-in's new one. */
export const takeoverTransfers = pgTable(
  'takeover_transfers',
  {
    fromReferralId: integer('from_referral_id').primaryKey().references(() => referrals.id),
    toReferralId: integer('to_referral_id').notNull().references(() => referrals.id),
    activationId: integer('activation_id').notNull().references(() => takeoverActivations.id),
    /** The household's open case at the time, for its caseworker to follow. */
    caseId: integer('case_id').references(() => cases.id),
  },
  (t) => [uniqueIndex('takeover_transfers_to_uq').on(t.toReferralId), index('takeover_transfers_activation_idx').on(t.activationId, t.fromReferralId)],
);

/** A ban of a provider until a date (§3(6)), with the reason and what it set in motion. */
export const providerBans = pgTable(
  'provider_bans',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    providerId: integer('provider_id').notNull().references(() => organizations.id),
    bannedUntil: date('banned_until').notNull(),
    reason: text('reason').notNull(),
    contractsTakenOver: integer('contracts_taken_over').notNull(),
    contractsTerminated: integer('contracts_terminated').notNull(),
    referralsTransferred: integer('referrals_transferred').notNull(),
    referralsCancelled: integer('referrals_cancelled').notNull(),
    bannedBy: text('banned_by'),
    bannedAt: timestamp('banned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('provider_bans_provider_idx').on(t.providerId, t.id)],
);
