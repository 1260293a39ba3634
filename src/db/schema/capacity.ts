import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { assistanceStatus } from './enums';
import { reviewOutcome } from './capacity-enums';
import { serviceCategories } from './catalogue';
import { districts, streets } from './geography';
import { households } from './households';
import { organizations, staffMembers } from './organizations';

/** A training session for assistance staff (§2(5): every caseworker trained at least once a year). */
export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    title: text('title').notNull(),
    /** The catalogue item it was bought under, e.g. 业务培训, when purchased from a provider. */
    categoryId: integer('category_id').references(() => serviceCategories.id),
    organizerId: integer('organizer_id').notNull().references(() => organizations.id),
    heldOn: date('held_on').notNull(),
    /** Whom it is for: a district, a street, or the whole city when both are null. */
    districtId: integer('district_id').references(() => districts.id),
    streetId: integer('street_id'),
    hours: numeric('hours', { precision: 4, scale: 1, mode: 'number' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('training_sessions_held_on_idx').on(t.heldOn, t.id),
    index('training_sessions_district_idx').on(t.districtId, t.heldOn),
    index('training_sessions_street_idx').on(t.streetId, t.heldOn),
    foreignKey({ name: 'training_sessions_street_fk', columns: [t.streetId, t.districtId], foreignColumns: [streets.id, streets.districtId] }),
    check('training_sessions_street_in_district_ck', sql`${t.streetId} is null or ${t.districtId} is not null`),
    check('training_sessions_hours_ck', sql`${t.hours} > 0 and ${t.hours} <= 200`),
  ],
);

/** Who attended a session: one row per staff member and session, however often it is recorded. */
export const trainingAttendance = pgTable(
  'training_attendance',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    sessionId: integer('session_id').notNull().references(() => trainingSessions.id),
    staffMemberId: integer('staff_member_id').notNull().references(() => staffMembers.id),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Also what "trained this year?" looks up: a staff member's sessions.
    uniqueIndex('training_attendance_staff_session_uq').on(t.staffMemberId, t.sessionId),
    index('training_attendance_session_idx').on(t.sessionId, t.staffMemberId),
  ],
);

/** How often households of each assistance status are reviewed: data, changed without a release. */
export const reviewIntervals = pgTable(
  'review_intervals',
  {
    assistanceStatus: assistanceStatus('assistance_status').primaryKey(),
    months: smallint('months').notNull(),
  },
  (t) => [check('review_intervals_months_ck', sql`${t.months} between 1 and 36`)],
);

/**
 * When each assisted household is next due for review (动态管理). A row appears, by trigger, as
 * soon as a household holds an assistance status; a TERMINATED review leaves no date due.
 */
export const householdReviewSchedules = pgTable(
  'household_review_schedules',
  {
    householdId: integer('household_id').notNull().references(() => households.id),
    nextReviewOn: date('next_review_on'),
    lastReviewedOn: date('last_reviewed_on'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'household_review_schedules_pk', columns: [t.householdId] }), index('household_review_schedules_due_idx').on(t.nextReviewOn, t.householdId).where(sql`${t.nextReviewOn} is not null`)],
);

/** A completed review: who, when, what was decided, and the next date it set. */
export const householdReviews = pgTable(
  'household_reviews',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id').notNull().references(() => households.id),
    reviewedOn: date('reviewed_on').notNull(),
    reviewerId: integer('reviewer_id').references(() => staffMembers.id),
    outcome: reviewOutcome('outcome').notNull(),
    nextReviewOn: date('next_review_on'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('household_reviews_household_idx').on(t.householdId, t.reviewedOn),
    check('household_reviews_next_ck', sql`(${t.outcome} = 'TERMINATED') = (${t.nextReviewOn} is null) and (${t.nextReviewOn} is null or ${t.nextReviewOn} > ${t.reviewedOn})`),
  ],
);
