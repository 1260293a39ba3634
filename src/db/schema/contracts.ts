import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { purchaseContracts } from './purchasing';

/**
 * A payment milestone of a contract (§3(7)): what is due when, for how much. The milestones of
 * a contract never add up to more than its amount (checked when the contract is signed).
 */
export const contractMilestones = pgTable(
  'contract_milestones',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    contractId: integer('contract_id').notNull().references(() => purchaseContracts.id),
    /** Order within the contract, from 1. */
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    dueOn: date('due_on').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
  },
  (t) => [check('contract_milestones_amount_ck', sql`${t.amountFen} > 0`), uniqueIndex('contract_milestones_contract_seq_uq').on(t.contractId, t.seq)],
);

export const milestonePaymentStatus = pgEnum('milestone_payment_status', ['PENDING', 'APPROVED', 'REJECTED']);

/**
 * A payment requested against a milestone by the purchaser and decided by a finance officer.
 * PENDING and APPROVED payments of a contract never add up to more than its amount: requests
 * lock the contract row and check the sum in the same transaction.
 */
export const milestonePayments = pgTable(
  'milestone_payments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    // Denormalised from the milestone: the cap is per contract, and so is the lock.
    contractId: integer('contract_id').notNull().references(() => purchaseContracts.id),
    milestoneId: integer('milestone_id').notNull().references(() => contractMilestones.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    status: milestonePaymentStatus('status').notNull().default('PENDING'),
    note: text('note'),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
  },
  (t) => [
    check('milestone_payments_amount_ck', sql`${t.amountFen} > 0`),
    // Four eyes, kept by the database too: whoever asked for a payment never decides it.
    check('milestone_payments_four_eyes_ck', sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.requestedBy}`),
    check('milestone_payments_decided_ck', sql`(${t.status} = 'PENDING') = (${t.decidedBy} is null and ${t.decidedAt} is null)`),
    index('milestone_payments_contract_status_idx').on(t.contractId, t.status),
    index('milestone_payments_milestone_idx').on(t.milestoneId, t.id),
    index('milestone_payments_pending_idx').on(t.id).where(sql`${t.status} = 'PENDING'`),
  ],
);
