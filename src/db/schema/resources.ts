import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { committees, districts, streets } from './geography';
import { organizations } from './organizations';
import { purchaseContracts } from './purchasing';
import { serviceCategories } from './catalogue';
import { areaLevel, assistanceStatus, capacityPeriod, resourceCost, resourceStatus } from './enums';

/** Supply (救助资源) that a provider or community organisation posts. */
export const resources = pgTable(
  'resources',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    providerId: integer('provider_id').notNull().references(() => organizations.id),
    categoryId: integer('category_id').notNull().references(() => serviceCategories.id),
    title: text('title').notNull(),
    description: text('description'),
    capacity: integer('capacity').notNull(),
    /** Units held by live referrals (proposed, accepted, in service); never above capacity. */
    heldUnits: integer('held_units').notNull().default(0),
    capacityPeriod: capacityPeriod('capacity_period').notNull(),
    /** Empty: open to every household; otherwise a household needs one of these statuses. */
    eligibleStatuses: assistanceStatus('eligible_statuses').array().notNull().default(sql`'{}'`),
    minAge: integer('min_age'),
    maxAge: integer('max_age'),
    availableFrom: date('available_from').notNull(),
    availableUntil: date('available_until'),
    status: resourceStatus('status').notNull().default('ACTIVE'),
    cost: resourceCost('cost').notNull().default('FREE'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    /** The purchase contract whose capacity this is (CONTRACT_FUNDED); null for a provider's own supply. */
    contractId: integer('contract_id').references(() => purchaseContracts.id),
    /** Listed in the public resource directory. */
    isPublic: boolean('is_public').notNull().default(false),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closureReason: text('closure_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('resources_capacity_ck', sql`${t.capacity} >= 0`),
    // The no-overbooking rule, kept by the database itself whatever the application does.
    check('resources_held_units_ck', sql`${t.heldUnits} >= 0 and ${t.heldUnits} <= ${t.capacity}`),
    check('resources_window_ck', sql`${t.availableUntil} is null or ${t.availableUntil} >= ${t.availableFrom}`),
    check('resources_closed_ck', sql`(${t.status} = 'CLOSED') = (${t.closedAt} is not null and ${t.closureReason} is not null)`),
    check('resources_age_ck', sql`${t.minAge} is null or ${t.maxAge} is null or ${t.maxAge} >= ${t.minAge}`),
    index('resources_provider_idx').on(t.providerId, t.id),
    index('resources_category_status_idx').on(t.categoryId, t.status, t.id),
    index('resources_status_idx').on(t.status, t.id),
    index('resources_contract_idx').on(t.contractId),
  ],
);

/**
 * One entry of a resource's service area. The containing district (and street) are filled
 * for every level, so "serves anywhere in area X" is a single indexed test.
 */
export const resourceServiceAreas = pgTable(
  'resource_service_areas',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    resourceId: integer('resource_id').notNull().references(() => resources.id, { onDelete: 'cascade' }),
    level: areaLevel('level').notNull(),
    districtId: integer('district_id').notNull().references(() => districts.id),
    streetId: integer('street_id').references(() => streets.id),
    committeeId: integer('committee_id').references(() => committees.id),
  },
  (t) => [
    check(
      'resource_service_areas_level_ck',
      sql`(${t.level} = 'DISTRICT' and ${t.streetId} is null and ${t.committeeId} is null)
        or (${t.level} = 'STREET' and ${t.streetId} is not null and ${t.committeeId} is null)
        or (${t.level} = 'COMMITTEE' and ${t.streetId} is not null and ${t.committeeId} is not null)`,
    ),
    // A street or committee entry must lie in the district (and street) it names.
    foreignKey({ name: 'resource_service_areas_street_fk', columns: [t.streetId, t.districtId], foreignColumns: [streets.id, streets.districtId] }),
    foreignKey({ name: 'resource_service_areas_committee_fk', columns: [t.committeeId, t.streetId, t.districtId], foreignColumns: [committees.id, committees.streetId, committees.districtId] }),
    index('resource_service_areas_resource_idx').on(t.resourceId),
    index('resource_service_areas_district_idx').on(t.districtId, t.level),
    index('resource_service_areas_street_idx').on(t.streetId),
    index('resource_service_areas_committee_idx').on(t.committeeId),
    uniqueIndex('resource_service_areas_uq').on(t.resourceId, t.level, t.districtId, sql`coalesce(${t.streetId}, 0)`, sql`coalesce(${t.committeeId}, 0)`),
  ],
);
