import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../common/global-id';
import { ConnectionType } from '../common/connection';
import { AuditChainBreak } from './audit.chain';

/** Mirrors the `audit_action` database enum. */
export enum AuditAction {
  READ_PERSONAL = 'READ_PERSONAL',
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  TRANSITION = 'TRANSITION',
  ACCESS_DENIED = 'ACCESS_DENIED',
}
registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'What an audited actor did to an entity.',
  valuesConfig: {
    READ_PERSONAL: { description: 'Read personal fields (name, ID number, phone, address, finances) in clear, for a stated purpose.' },
    CREATE: { description: 'Created the entity.' },
    UPDATE: { description: 'Changed the listed fields of the entity.' },
    DELETE: { description: 'Deleted the entity.' },
    TRANSITION: { description: 'Moved the entity to another status (e.g. withdrew a need, closed a case).' },
    ACCESS_DENIED: { description: 'Tried to read in clear or change the entity and was refused.' },
  },
});

registerEnumType(AuditChainBreak, {
  name: 'AuditChainBreak',
  description: 'Why the audit chain is not intact.',
  valuesConfig: {
    CONTENT_CHANGED: { description: "An entry's stored hash is not the hash of its content: the entry was altered after it was written." },
    LINK_BROKEN: { description: "An entry does not carry the previous entry's hash: the previous entry was rewritten, or this entry's link was." },
    ENTRY_MISSING: { description: 'The entry numbers jump: entries were removed from the sequence.' },
  },
});

/**
 * One entry of the audit log (审计日志). Not a Node: entries are found through `auditEntries`,
 * and their numbers may outgrow the 32-bit keys that global IDs carry.
 */
@ObjectType({ description: 'One entry of the tamper-evident audit log: who read personal data in clear or changed something, for which purpose, and when. It names fields, never their values.' })
export class AuditEntry {
  id!: number;
  actorOrganizationId!: number | null;
  entityId!: number;
  prevHash!: string;

  @Field(() => ID, { name: 'id', description: 'Position of the entry in the chain (1, 2, 3, … without gaps), as a decimal string.' })
  get position(): string {
    return String(this.id);
  }

  @Field({ description: 'When it happened (millisecond precision); never earlier than the entry before it.' })
  occurredAt!: Date;

  @Field(() => String, { nullable: true, description: 'ID of the GraphQL request that did it, to find it in the server log; null for command-line jobs.' })
  requestId!: string | null;

  @Field(() => String, { nullable: true, description: "The actor: the subject of their token; null for the public." })
  actorSubject!: string | null;

  @Field(() => ID, { name: 'actorOrganizationId', nullable: true, description: "Global ID of the actor's organization, as their token named it; null when none." })
  get actorOrganizationGlobalId(): string | null {
    return this.actorOrganizationId === null ? null : toGlobalId('Organization', this.actorOrganizationId);
  }

  @Field(() => [String], { description: "The actor's roles at the time (values of Role; kept as text so old entries stay readable when roles change)." })
  actorRoles!: string[];

  @Field(() => String, { nullable: true, description: 'The purpose the request stated: the global ID of a Case, Referral, Application or VerificationRequest; null when none was stated.' })
  purpose!: string | null;

  @Field(() => AuditAction, { description: 'What was done.' })
  action!: AuditAction;

  @Field({ description: 'GraphQL type of the entity, e.g. Person, Household, Need.' })
  entityType!: string;

  @Field(() => ID, { name: 'entityId', description: 'Global ID of the entity; `node(id:)` refetches it while it exists and the viewer may see it.' })
  get entityGlobalId(): string {
    return toGlobalId(this.entityType, this.entityId);
  }

  @Field(() => [String], { description: 'Names of the fields read or written; never their values.' })
  fields!: string[];

  @Field({ name: 'previousHash', description: 'Hash of the entry before this one (64 zeros for the first entry).' })
  get previousHash(): string {
    return this.prevHash;
  }

  @Field({ description: "SHA-256 (hex) of this entry's content and the previous hash." })
  hash!: string;
}

export const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry', 'audit entries');

@InputType({ description: 'Which audit entries to list; all given conditions must hold.' })
export class AuditEntryFilter {
  @Field(() => String, { nullable: true, description: 'Entries by this actor (the subject of their token).' })
  actorSubject?: string | null;

  @Field(() => String, { nullable: true, description: 'Entries about entities of this GraphQL type, e.g. Person.' })
  entityType?: string | null;

  @Field(() => ID, { nullable: true, description: 'Entries about this entity: the global ID of any node, e.g. a Person or a Household.' })
  entityId?: string | null;

  @Field(() => String, { nullable: true, description: 'Entries made for this stated purpose, e.g. the global ID of a Case.' })
  purpose?: string | null;

  @Field(() => [AuditAction], { nullable: true, description: 'Entries of any of these actions.' })
  actions?: AuditAction[] | null;

  @Field(() => Date, { nullable: true, description: 'Entries at or after this instant.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Entries before this instant.' })
  to?: Date | null;
}

@ObjectType({ description: 'Result of checking the whole audit chain, entry by entry.' })
export class AuditChainStatus {
  @Field({ description: 'True when every entry matches its hash and links to the one before, with no entry missing.' })
  ok!: boolean;

  @Field(() => Int, { description: 'Entries found intact (all of them when ok; those before the break otherwise).' })
  entries!: number;

  @Field(() => ID, { nullable: true, description: 'When broken: the first entry that fails (for ENTRY_MISSING, the first missing number).' })
  firstBrokenId!: string | null;

  @Field(() => AuditChainBreak, { nullable: true, description: 'When broken: why.' })
  reason!: AuditChainBreak | null;

  @Field(() => String, { nullable: true, description: 'When broken: what was found, in words (ids and hashes only).' })
  message!: string | null;

  @Field(() => ID, { nullable: true, description: 'When ok: the last entry; null for an empty log.' })
  lastId!: string | null;

  @Field(() => String, { nullable: true, description: 'When ok: hash of the last entry. Keep it outside the hub: a later check whose chain no longer reaches it reveals removed entries at the end.' })
  lastHash!: string | null;
}
