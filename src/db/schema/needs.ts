import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { committees, districts, streets } from './geography';
import { cases, households } from './households';
import { serviceCategories } from './catalogue';
import { needStatus, urgency } from './enums';

/** A need (需求): what a household needs from the service catalogue. */
export const needs = pgTable(
  'needs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id').notNull().references(() => households.id),
    caseId: integer('case_id').references(() => cases.id),
    categoryId: integer('category_id').notNull().references(() => serviceCategories.id),
    urgency: urgency('urgency').notNull(),
    units: integer('units').notNull(),
    earliestStart: date('earliest_start').notNull(),
    deadline: date('deadline'),
    status: needStatus('status').notNull().default('OPEN'),
    // Location at the time of the need, denormalised so area filters use one index.
    committeeId: integer('committee_id').notNull().references(() => committees.id),
    streetId: integer('street_id').notNull().references(() => streets.id),
    districtId: integer('district_id').notNull().references(() => districts.id),
    notes: text('notes'),
    withdrawalReason: text('withdrawal_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('needs_units_ck', sql`${t.units} > 0`),
    check('needs_window_ck', sql`${t.deadline} is null or ${t.deadline} >= ${t.earliestStart}`),
    check('needs_withdrawal_reason_ck', sql`(${t.status} = 'WITHDRAWN') = (${t.withdrawalReason} is not null)`),
    foreignKey({ name: 'needs_place_fk', columns: [t.committeeId, t.streetId, t.districtId], foreignColumns: [committees.id, committees.streetId, committees.districtId] }),
    index('needs_created_idx').on(t.createdAt, t.id),
    index('needs_status_created_idx').on(t.status, t.createdAt, t.id),
    index('needs_district_status_idx').on(t.districtId, t.status, t.createdAt),
    index('needs_street_status_idx').on(t.streetId, t.status, t.createdAt),
    index('needs_category_status_idx').on(t.categoryId, t.status, t.createdAt),
    index('needs_household_idx').on(t.householdId, t.id),
    index('needs_case_idx').on(t.caseId, t.id),
    // The supply–demand balance: open units per district and catalogue item from the index alone.
    index('needs_open_balance_idx').on(t.districtId, t.categoryId, t.units).where(sql`${t.status} = 'OPEN'`),
  ],
);
