import { boolean, foreignKey, index, integer, pgTable, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { committeeKind, subdistrictKind } from './enums';

export const districts = pgTable('districts', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  code: text('code').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  central: boolean('central').notNull().default(false),
});

/** Streets (街道) and towns (镇/乡): the level that handles applications. */
export const streets = pgTable(
  'streets',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    districtId: integer('district_id').notNull().references(() => districts.id),
    kind: subdistrictKind('kind').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
  },
  (t) => [
    index('streets_district_idx').on(t.districtId, t.id),
    uniqueIndex('streets_district_name_uq').on(t.districtId, t.nameZh),
    // Target of composite foreign keys that keep denormalised (street, district) pairs consistent.
    unique('streets_id_district_uq').on(t.id, t.districtId),
  ],
);

/** Residents' and villagers' committees (居委会 / 村委会): the communities where households live. */
export const committees = pgTable(
  'committees',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    streetId: integer('street_id').notNull().references(() => streets.id),
    /** Denormalised from the street so area filters need no join. */
    districtId: integer('district_id').notNull().references(() => districts.id),
    kind: committeeKind('kind').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
  },
  (t) => [
    index('committees_street_idx').on(t.streetId, t.id),
    index('committees_district_idx').on(t.districtId, t.id),
    uniqueIndex('committees_street_name_uq').on(t.streetId, t.nameZh),
    unique('committees_place_uq').on(t.id, t.streetId, t.districtId),
    foreignKey({ name: 'committees_street_district_fk', columns: [t.streetId, t.districtId], foreignColumns: [streets.id, streets.districtId] }),
  ],
);
