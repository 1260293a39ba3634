import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Node } from '../common/node.type';
import { ConnectionType } from '../common/connection';
import { UserError } from '../common/user-error.type';

export enum Urgency {
  CRITICAL = 'CRITICAL',
  HIGH = 'HIGH',
  NORMAL = 'NORMAL',
  LOW = 'LOW',
}
registerEnumType(Urgency, {
  name: 'Urgency',
  description: 'How urgent a need is; matching serves the most urgent needs first.',
  valuesConfig: {
    CRITICAL: { description: 'Safety or basic living at risk now.' },
    HIGH: { description: 'Serious hardship if not served soon.' },
    NORMAL: { description: 'Ordinary need.' },
    LOW: { description: 'Helpful but can wait.' },
  },
});

export enum NeedStatus {
  OPEN = 'OPEN',
  MATCHED = 'MATCHED',
  FULFILLED = 'FULFILLED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(NeedStatus, {
  name: 'NeedStatus',
  description: 'Where a need is in its life.',
  valuesConfig: {
    OPEN: { description: 'Waiting for a resource.' },
    MATCHED: { description: 'A live referral serves it.' },
    FULFILLED: { description: 'Served to completion.' },
    WITHDRAWN: { description: 'Withdrawn by the household or its caseworker, with a reason.' },
  },
});

export enum NeedOrderField {
  CREATED_AT = 'CREATED_AT',
  URGENCY = 'URGENCY',
}
registerEnumType(NeedOrderField, {
  name: 'NeedOrderField',
  description: 'Orderings of a list of needs.',
  valuesConfig: {
    CREATED_AT: { description: 'By age: oldest first ascending (the default), newest first descending.' },
    URGENCY: { description: 'Most urgent first (CRITICAL … LOW), then oldest first; descending reverses both.' },
  },
});

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Direction of an ordering.',
  valuesConfig: { ASC: { description: 'Ascending.' }, DESC: { description: 'Descending.' } },
});

@ObjectType({ implements: Node, description: 'A need (需求): what a household needs from the service catalogue.' })
export class Need extends Node {
  householdId!: number;
  caseId!: number | null;
  categoryId!: number;
  committeeId!: number;
  streetId!: number;
  districtId!: number;

  @Field(() => Urgency, { description: 'How urgent the need is.' })
  urgency!: Urgency;

  @Field(() => Int, { description: 'Quantity wanted, in units of the category (e.g. visits, hours, meals).' })
  units!: number;

  @Field(() => LocalDateResolver, { description: 'Earliest day the service is wanted.' })
  earliestStart!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day the service is still useful; null when open-ended.' })
  deadline!: string | null;

  @Field(() => NeedStatus, { description: 'Where the need is in its life.' })
  status!: NeedStatus;

  @Field(() => String, { nullable: true, description: 'Free-text notes by the caseworker or committee.' })
  notes!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the need was withdrawn; null unless WITHDRAWN.' })
  withdrawalReason!: string | null;

  @Field({ description: 'When the need was recorded; its waiting time counts from here.' })
  createdAt!: Date;

  @Field({ description: 'When the need last changed.' })
  updatedAt!: Date;
}

export const NeedConnection = ConnectionType(Need, 'Need', 'needs');

@InputType({ description: 'Which needs to list; all given conditions must hold, and a list condition matches any of its values.' })
export class NeedFilter {
  @Field(() => [ID], { nullable: true, description: 'Needs located in any of these districts.' })
  districts?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Needs located in any of these streets or towns.' })
  streets?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Needs located in any of these committees.' })
  committees?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Needs of any of these catalogue items.' })
  categories?: string[] | null;

  @Field(() => [Urgency], { nullable: true, description: 'Needs of any of these urgencies.' })
  urgencies?: Urgency[] | null;

  @Field(() => [NeedStatus], { nullable: true, description: 'Needs in any of these statuses.' })
  statuses?: NeedStatus[] | null;

  @Field(() => Date, { nullable: true, description: 'Needs recorded at or after this instant.' })
  createdFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Needs recorded before this instant.' })
  createdBefore?: Date | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Needs whose wanted window reaches this day or later (deadline null or ≥ this day).' })
  wantedFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Needs whose wanted window starts on or before this day.' })
  wantedUntil?: string | null;
}

@InputType({ description: 'Ordering of a list of needs.' })
export class NeedOrder {
  @Field(() => NeedOrderField, { description: 'What to order by.' })
  field!: NeedOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

@InputType({ description: 'A new need of a household.' })
export class CreateNeedInput {
  @Field(() => ID, { description: 'The household in need.' })
  household!: string;

  @Field(() => ID, { nullable: true, description: "The household's case to file it under; defaults to its open case, if any." })
  case?: string | null;

  @Field(() => ID, { description: 'An active catalogue item.' })
  category!: string;

  @Field(() => Urgency, { description: 'How urgent it is.' })
  urgency!: Urgency;

  @Field(() => Int, { description: 'Units wanted, 1 to 10,000.' })
  units!: number;

  @Field(() => LocalDateResolver, { description: 'Earliest day the service is wanted.' })
  earliestStart!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last useful day; not before earliestStart.' })
  deadline?: string | null;

  @Field(() => String, { nullable: true, description: 'Notes, at most 2,000 characters. Do not put ID numbers or phone numbers here.' })
  notes?: string | null;

  @Field({ defaultValue: false, description: 'Match at once: propose referrals to the best compatible resources with room as soon as the need is recorded (see `need.referrals`).' })
  matchNow!: boolean;
}

@InputType({ description: 'Changes to an OPEN need; omitted fields stay as they are.' })
export class UpdateNeedInput {
  @Field(() => ID, { description: 'The need to change.' })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'Another active catalogue item.' })
  category?: string | null;

  @Field(() => Urgency, { nullable: true, description: 'New urgency.' })
  urgency?: Urgency | null;

  @Field(() => Int, { nullable: true, description: 'New number of units, 1 to 10,000.' })
  units?: number | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'New earliest start.' })
  earliestStart?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'New deadline (give `clearDeadline` to remove it).' })
  deadline?: string | null;

  @Field({ defaultValue: false, description: 'Remove the deadline, making the need open-ended.' })
  clearDeadline!: boolean;

  @Field(() => String, { nullable: true, description: 'New notes (an empty string clears them).' })
  notes?: string | null;
}

@InputType({ description: 'Withdrawal of a need.' })
export class WithdrawNeedInput {
  @Field(() => ID, { description: 'The need to withdraw.' })
  id!: string;

  @Field({ description: 'Why it is withdrawn (1–500 characters).' })
  reason!: string;
}

@ObjectType({ description: 'Result of a change to a need.' })
export class NeedPayload {
  @Field(() => Need, { nullable: true, description: 'The need after the change; null when refused.' })
  need!: Need | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
