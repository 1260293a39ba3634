import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { catalogueGroup } from './enums';

/** The service catalogue (项目目录, policy §3(2)): data, so the city can extend and retire items. */
export const serviceCategories = pgTable('service_categories', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  code: text('code').notNull().unique(),
  group: catalogueGroup('group').notNull(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  description: text('description'),
  sortOrder: integer('sort_order').notNull().default(0),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
