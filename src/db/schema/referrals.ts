import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { households } from './households';
import { needs } from './needs';
import { organizations } from './organizations';
import { resources } from './resources';
import { referralStatus } from './enums';

/** A referral (转介): one need sent to one resource, for some of its units. */
export const referrals = pgTable(
  'referrals',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    needId: integer('need_id').notNull().references(() => needs.id),
    resourceId: integer('resource_id').notNull().references(() => resources.id),
    // Denormalised so the provider's inbox and its view of referred households need no join.
    providerId: integer('provider_id').notNull().references(() => organizations.id),
    householdId: integer('household_id').notNull().references(() => households.id),
    units: integer('units').notNull(),
    status: referralStatus('status').notNull().default('PROPOSED'),
    /** Why it was proposed: the matcher's explanation or the caseworker's reason for a manual referral. */
    reason: text('reason').notNull(),
    /** The matcher's weight of one unit on this pair, and its parts; null for manual referrals. */
    score: doublePrecision('score'),
    scoreParts: jsonb('score_parts').$type<Record<string, number>>(),
    /** A client's key: retrying the same proposal returns the first referral instead of a second. */
    idempotencyKey: text('idempotency_key'),
    proposedBy: text('proposed_by'),
    declineReason: text('decline_reason'),
    outcome: text('outcome'),
    satisfaction: integer('satisfaction'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('referrals_units_ck', sql`${t.units} > 0`),
    check('referrals_satisfaction_ck', sql`${t.satisfaction} is null or ${t.satisfaction} between 1 and 5`),
    check('referrals_completed_ck', sql`(${t.status} = 'COMPLETED') = (${t.outcome} is not null)`),
    uniqueIndex('referrals_idempotency_key_uq').on(t.idempotencyKey),
    index('referrals_need_idx').on(t.needId, t.id),
    index('referrals_resource_status_idx').on(t.resourceId, t.status),
    index('referrals_provider_status_idx').on(t.providerId, t.status, t.id),
    index('referrals_household_status_idx').on(t.householdId, t.status),
    index('referrals_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'PROPOSED'`),
    // The dashboard counts referrals proposed in a year.
    index('referrals_created_idx').on(t.createdAt),
  ],
);

/** The history of a referral: every transition, who made it, when and why. */
export const referralEvents = pgTable(
  'referral_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    referralId: integer('referral_id').notNull().references(() => referrals.id),
    fromStatus: referralStatus('from_status'),
    toStatus: referralStatus('to_status').notNull(),
    actor: text('actor'),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('referral_events_referral_idx').on(t.referralId, t.id),
    // The scorecard's satisfaction: referrals that entered COMPLETED in a year.
    index('referral_events_status_at_idx').on(t.toStatus, t.at),
  ],
);
