import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../common/node.type';
import { ConnectionType } from '../common/connection';
import { UserError } from '../common/user-error.type';
import { ReferralStatus } from './referrals.transitions';

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'Where a referral (转介) is in the closed loop.',
  valuesConfig: {
    PROPOSED: { description: "Sent to the provider, units reserved, waiting for the provider's answer." },
    ACCEPTED: { description: 'Accepted by the provider; units stay reserved.' },
    IN_SERVICE: { description: 'The service is being delivered.' },
    COMPLETED: { description: "Delivered, with an outcome and the beneficiary's satisfaction." },
    DECLINED: { description: 'Declined by the provider, with a reason; units released.' },
    EXPIRED: { description: 'Not answered in time; units released and the need back in the pool.' },
    CANCELLED: { description: 'Cancelled, with a reason; units released.' },
    TRANSFERRED: { description: 'Moved to a stand-in provider under a takeover plan.' },
  },
});

@ObjectType({ implements: Node, description: 'A referral (转介 / 对接): units of one need sent to one resource, and what became of them.' })
export class Referral extends Node {
  needId!: number;
  resourceId!: number;
  providerId!: number;

  @Field(() => Int, { description: 'Units of the need sent to the resource; held against its capacity while the referral is live.' })
  units!: number;

  @Field(() => ReferralStatus, { description: 'Where the referral is in the closed loop.' })
  status!: ReferralStatus;

  @Field({ description: "Why it was proposed: the matcher's explanation or the caseworker's reason." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "The provider's reason for declining." })
  declineReason!: string | null;

  @Field(() => String, { nullable: true, description: 'The outcome of the service, once completed.' })
  outcome!: string | null;

  @Field(() => Int, { nullable: true, description: "The beneficiary's satisfaction, 1 (poor) to 5 (excellent), once completed." })
  satisfaction!: number | null;

  @Field({ description: 'When an unanswered proposal expires.' })
  expiresAt!: Date;

  @Field({ description: 'When it was proposed.' })
  createdAt!: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One step in the history of a referral.' })
export class ReferralEvent {
  id!: number;

  @Field(() => ReferralStatus, { nullable: true, description: 'Status before the step; null for the proposal itself.' })
  fromStatus!: ReferralStatus | null;

  @Field(() => ReferralStatus, { description: 'Status after the step.' })
  toStatus!: ReferralStatus;

  @Field(() => String, { nullable: true, description: 'Subject of who made the step; null for the hub itself (expiry).' })
  actor!: string | null;

  @Field(() => String, { nullable: true, description: 'Why.' })
  reason!: string | null;

  @Field({ description: 'When.' })
  at!: Date;
}

export const ReferralConnection = ConnectionType(Referral, 'Referral', 'referrals');
export const ReferralEventConnection = ConnectionType(ReferralEvent, 'ReferralEvent', 'referral history steps');

@InputType({ description: 'Which referrals to list; all given conditions must hold.' })
export class ReferralFilter {
  @Field(() => [ReferralStatus], { nullable: true, description: 'Referrals in any of these statuses.' })
  statuses?: ReferralStatus[] | null;

  @Field(() => [ID], { nullable: true, description: "Referrals to any of these providers (a provider's inbox)." })
  providers?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Referrals to any of these resources.' })
  resources?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Referrals of any of these needs.' })
  needs?: string[] | null;
}

@InputType({ description: 'A referral made by hand: a need sent to a chosen resource, with the reason.' })
export class ProposeReferralInput {
  @Field(() => ID, { description: 'The OPEN or MATCHED need.' })
  need!: string;

  @Field(() => ID, { description: 'An ACTIVE resource of the same catalogue item, whose provider is ACTIVE.' })
  resource!: string;

  @Field(() => Int, { nullable: true, description: 'Units to send; default every unit of the need not yet referred or delivered.' })
  units?: number | null;

  @Field({ description: 'Why this resource (1–500 characters); on record with the referral.' })
  reason!: string;

  @Field({ defaultValue: false, description: "Send it even though the resource's area, eligibility or window does not fit (the reason says why)." })
  override!: boolean;

  @Field(() => String, { nullable: true, description: 'A key of the client: retrying with the same key returns the first referral instead of making a second.' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'An answer or step on a referral.' })
export class ReferralStepInput {
  @Field(() => ID, { description: 'The referral.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Why (required to decline or cancel).' })
  reason?: string | null;
}

@InputType({ description: 'Completion of a referral.' })
export class CompleteReferralInput {
  @Field(() => ID, { description: 'The IN_SERVICE referral.' })
  id!: string;

  @Field({ description: 'What was delivered and with what result (1–2,000 characters).' })
  outcome!: string;

  @Field(() => Int, { nullable: true, description: "The beneficiary's satisfaction, 1 to 5." })
  satisfaction?: number | null;
}

@ObjectType({ description: 'Result of a referral mutation.' })
export class ReferralPayload {
  @Field(() => Referral, { nullable: true, description: 'The referral after the change; null when refused.' })
  referral!: Referral | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
