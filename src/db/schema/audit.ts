import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** What an audited actor did to an entity. */
export const auditAction = pgEnum('audit_action', ['READ_PERSONAL', 'CREATE', 'UPDATE', 'DELETE', 'TRANSITION', 'ACCESS_DENIED']);

/**
 * The tamper-evident audit trail (policy §3(6)): who read personal data in clear or changed
 * something, for which purpose. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and
 * hash-chained: each entry's hash covers its content and the previous entry's hash.
 * It records ids and field names, never the values read or written.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    /**
     * Position in the chain, 1, 2, 3, … without gaps: assigned by the writer under the chain's
     * lock rather than by an identity sequence, whose rolled-back values would leave gaps that
     * look exactly like deleted entries.
     */
    id: bigint('id', { mode: 'number' }).primaryKey(),
    /** Milliseconds only, so the value hashed in JS is the value stored on every driver. */
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Null for work outside a GraphQL request (command-line jobs). */
    requestId: text('request_id'),
    /** Null for the public. */
    actorSubject: text('actor_subject'),
    /** No foreign key: the log outlives the organisations it mentions. */
    actorOrganizationId: integer('actor_organization_id'),
    actorRoles: text('actor_roles').array().notNull().default(sql`'{}'`),
    /** The stated purpose, e.g. the global ID of a Case. */
    purpose: text('purpose'),
    action: auditAction('action').notNull(),
    /** GraphQL type name of the entity, e.g. Person. */
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    /** Names of the fields read or written; never their values. */
    fields: text('fields').array().notNull().default(sql`'{}'`),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique('audit_log_hash_uq'),
  },
  (t) => [
    check('audit_log_id_ck', sql`${t.id} > 0`),
    // The auditor's searches, newest first: by entity (a person, a case), by actor, by period, by purpose.
    index('audit_log_entity_idx').on(t.entityType, t.entityId, t.id),
    index('audit_log_actor_idx').on(t.actorSubject, t.id),
    index('audit_log_occurred_idx').on(t.occurredAt),
    index('audit_log_purpose_idx').on(t.purpose, t.id),
  ],
);
