import { SafeIntResolver, LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../common/global-id';
import type { AllowanceExplanation } from '../../db/schema/payments';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node.type';
import { UserError } from '../common/user-error.type';

/** The application types paid as a monthly allowance through the platform (see README). */
export enum AllowanceType {
  MINIMUM_LIVING_ALLOWANCE = 'MINIMUM_LIVING_ALLOWANCE',
  EXTREME_POVERTY_SUPPORT = 'EXTREME_POVERTY_SUPPORT',
}
registerEnumType(AllowanceType, {
  name: 'AllowanceType',
  description: 'Assistance paid monthly through the platform. Other types are one-off grants (disaster, temporary) or in kind, and are not paid here.',
  valuesConfig: {
    MINIMUM_LIVING_ALLOWANCE: { description: 'Minimum living allowance (低保): the gap to the standard, plus supplements.' },
    EXTREME_POVERTY_SUPPORT: { description: 'Extreme-poverty support (特困): a fixed basic-living amount per member.' },
  },
});

export enum AllowanceStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  ENDED = 'ENDED',
}
registerEnumType(AllowanceStatus, {
  name: 'AllowanceStatus',
  description: 'Where an allowance is in its life; each change takes effect from a month.',
  valuesConfig: {
    ACTIVE: { description: 'Paid every month from its effective month.' },
    SUSPENDED: { description: 'Not paid from its effective month until resumed.' },
    ENDED: { description: 'Not paid from its effective month on; final.' },
  },
});

export enum AllowanceMethod {
  GAP_TO_STANDARD = 'GAP_TO_STANDARD',
  FIXED_PER_MEMBER = 'FIXED_PER_MEMBER',
}
registerEnumType(AllowanceMethod, {
  name: 'AllowanceMethod',
  description: 'How a formula computes the monthly amount.',
  valuesConfig: {
    GAP_TO_STANDARD: { description: 'max(0, standard × members − verified household income), plus per-member supplements.' },
    FIXED_PER_MEMBER: { description: 'The standard times a multiple, per member, plus per-member supplements.' },
  },
});

export enum DisbursementBatchStatus {
  DRAFT = 'DRAFT',
  APPROVED = 'APPROVED',
}
registerEnumType(DisbursementBatchStatus, {
  name: 'DisbursementBatchStatus',
  description: 'Where a monthly disbursement batch is.',
  valuesConfig: {
    DRAFT: { description: 'Prepared by civil affairs; running it again refreshes it.' },
    APPROVED: { description: 'Approved by finance: its lines are paid; the month is closed for the district.' },
  },
});

export enum DisbursementLineStatus {
  PENDING = 'PENDING',
  PAID = 'PAID',
  RETURNED = 'RETURNED',
}
registerEnumType(DisbursementLineStatus, {
  name: 'DisbursementLineStatus',
  description: 'What became of one payment.',
  valuesConfig: {
    PENDING: { description: 'Listed in a draft batch, not yet approved.' },
    PAID: { description: 'Paid: its batch was approved.' },
    RETURNED: { description: 'Paid but came back (e.g. a closed bank account), with the reason.' },
  },
});

@ObjectType({ description: 'A per-member supplement in an allowance computation.' })
export class AllowanceSupplement {
  @Field({ description: 'Category of the members: DISABILITY, SERIOUS_ILLNESS, ELDERLY (60 and over) or MINOR (under 18); each member counts in the one category with the highest rate.' })
  category!: string;

  @Field(() => Int, { description: 'Members in this category.' })
  members!: number;

  @Field(() => SafeIntResolver, { description: 'Supplement per member, in fen (the rate × the standard, rounded half up).' })
  perMemberFen!: number;

  @Field(() => SafeIntResolver, { description: 'Supplement for all of them, in fen.' })
  amountFen!: number;
}

@ObjectType({ description: 'How a monthly amount was computed: the formula in force, the members and the verified income. All amounts in fen (分).' })
export class AllowanceComputation {
  @Field(() => AllowanceMethod, { description: 'The formula method.' })
  method!: AllowanceMethod;

  @Field({ description: 'First month (YYYY-MM) of the formula used.' })
  formulaEffectiveFrom!: string;

  @Field(() => SafeIntResolver, { description: 'The standard in force, per person per month.' })
  standardMonthlyFen!: number;

  @Field(() => Int, { description: 'Household members counted.' })
  members!: number;

  @Field(() => SafeIntResolver, { nullable: true, description: 'GAP_TO_STANDARD: verified per-capita monthly income; null otherwise.' })
  perCapitaIncomeFen!: number | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'GAP_TO_STANDARD: household monthly income (per-capita income × members); null otherwise.' })
  householdIncomeFen!: number | null;

  @Field(() => SafeIntResolver, { description: 'The basic part: the gap to the standard, or the fixed amount × members.' })
  basicFen!: number;

  @Field(() => [AllowanceSupplement], { description: 'Per-member supplements.' })
  supplements!: AllowanceSupplement[];

  @Field(() => SafeIntResolver, { description: 'basicFen plus the supplements: the monthly amount.' })
  monthlyAmountFen!: number;
}

@ObjectType({ implements: Node, description: 'A monthly allowance (救助金) granted on an approved application, paid to the household.' })
export class Allowance extends Node {
  applicationId!: number;
  householdId!: number;
  streetId!: number;
  districtId!: number;
  explanation!: AllowanceExplanation;

  @Field(() => ID, { name: 'application', description: 'Global ID of the approved application it was granted on.' })
  get applicationGlobalId(): string {
    return toGlobalId('Application', this.applicationId);
  }

  @Field(() => ID, { name: 'householdId', description: 'Global ID of the household paid (a reference, readable without access to the household).' })
  get householdGlobalId(): string {
    return toGlobalId('Household', this.householdId);
  }

  @Field(() => AllowanceType, { description: 'The assistance type.' })
  type!: AllowanceType;

  @Field(() => SafeIntResolver, { description: 'Amount paid each month, in fen (分).' })
  monthlyAmountFen!: number;

  @Field({ description: 'First month paid (YYYY-MM): the month of the approval.' })
  startMonth!: string;

  @Field(() => AllowanceStatus, { description: 'Status after the latest change.' })
  status!: AllowanceStatus;

  @Field({ description: 'Month (YYYY-MM) the latest change takes effect.' })
  statusMonth!: string;

  @Field(() => String, { nullable: true, description: 'Why it was suspended or ended (or resumed, when given).' })
  statusReason!: string | null;

  @Field(() => String, { nullable: true, description: 'Subject of who granted it.' })
  grantedBy!: string | null;

  @Field({ description: 'When it was granted.' })
  grantedAt!: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One status change of an allowance, with the month it takes effect.' })
export class AllowanceStatusChange {
  id!: number;

  @Field(() => AllowanceStatus, { description: 'Status from the effective month on.' })
  status!: AllowanceStatus;

  @Field({ description: 'Month (YYYY-MM) the change takes effect.' })
  effectiveMonth!: string;

  @Field(() => String, { nullable: true, description: 'Why.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'Subject of who made it.' })
  actor!: string | null;

  @Field({ description: 'When it was recorded.' })
  at!: Date;
}

@ObjectType({ implements: Node, description: 'A monthly disbursement batch (发放批次) of one district: every payee and amount of the month.' })
export class DisbursementBatch extends Node {
  districtId!: number;

  @Field({ description: 'The month paid (YYYY-MM).' })
  month!: string;

  @Field(() => DisbursementBatchStatus, { description: 'DRAFT until finance approves it.' })
  status!: DisbursementBatchStatus;

  @Field(() => String, { nullable: true, description: 'Subject of who first ran it.' })
  createdBy!: string | null;

  @Field({ description: 'When it was first run.' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'Subject of who ran it last.' })
  refreshedBy!: string | null;

  @Field({ description: 'When it was last run.' })
  refreshedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Subject of the finance officer who approved it.' })
  approvedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved.' })
  approvedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Lines at approval.' })
  approvedLineCount!: number | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Total at approval, in fen.' })
  approvedTotalFen!: number | null;
}

@ObjectType({ implements: Node, description: 'One payment of a batch: an allowance for one month, to one household.' })
export class DisbursementLine extends Node {
  batchId!: number;
  allowanceId!: number;
  householdId!: number;
  districtId!: number;
  streetId!: number;

  @Field(() => ID, { name: 'householdId', description: 'Global ID of the household paid: a reference only; its members and address are personal data, behind `household`.' })
  get householdGlobalId(): string {
    return toGlobalId('Household', this.householdId);
  }

  @Field({ description: 'The month paid (YYYY-MM).' })
  month!: string;

  @Field(() => SafeIntResolver, { description: 'Amount in fen (分).' })
  amountFen!: number;

  @Field(() => DisbursementLineStatus, { description: 'What became of the payment.' })
  status!: DisbursementLineStatus;

  @Field(() => Date, { nullable: true, description: 'When its batch was approved.' })
  paidAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the payment came back.' })
  returnReason!: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'The day the payment came back.' })
  returnedOn!: string | null;
}

@ObjectType({ description: 'Reconciliation of one district and month (对账): what was approved, paid and returned. Amounts in fen.' })
export class DisbursementReconciliation {
  districtId!: number;
  batchId!: number | null;

  @Field({ description: 'The month (YYYY-MM).' })
  month!: string;

  @Field(() => Int, { description: 'Allowances due that month: in force (ACTIVE by the month’s status) with an amount above zero.' })
  approvedCount!: number;

  @Field(() => SafeIntResolver, { description: 'Their monthly amounts: what was approved to be paid.' })
  approvedAmountFen!: number;

  @Field(() => Int, { description: 'Lines paid and not returned.' })
  paidCount!: number;

  @Field(() => SafeIntResolver, { description: 'Amount of the lines paid and not returned.' })
  paidAmountFen!: number;

  @Field(() => Int, { description: 'Lines paid that came back.' })
  returnedCount!: number;

  @Field(() => SafeIntResolver, { description: 'Amount that came back.' })
  returnedAmountFen!: number;

  @Field(() => Int, { description: 'Lines in a draft batch, not yet approved.' })
  pendingCount!: number;

  @Field(() => SafeIntResolver, { description: 'Amount of the pending lines.' })
  pendingAmountFen!: number;

  @Field(() => Int, { description: 'Allowances due that month that no batch lists (e.g. granted after the batch was approved).' })
  notListedCount!: number;

  @Field(() => SafeIntResolver, { description: 'Their amount.' })
  notListedAmountFen!: number;

  @Field(() => SafeIntResolver, { description: 'approvedAmountFen − paidAmountFen: what households due that month did not receive (returned, pending or not listed); negative when more was paid than due (an allowance ended after its month was paid).' })
  differenceFen!: number;
}

export const AllowanceConnection = ConnectionType(Allowance, 'Allowance', 'allowances');
export const DisbursementBatchConnection = ConnectionType(DisbursementBatch, 'DisbursementBatch', 'disbursement batches');
export const DisbursementLineConnection = ConnectionType(DisbursementLine, 'DisbursementLine', 'payment lines');

@InputType({ description: 'Which allowances to list; all given conditions must hold.' })
export class AllowanceFilter {
  @Field(() => [ID], { nullable: true, description: 'Allowances of any of these (competent) districts.' })
  districts?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Allowances of any of these (competent) streets.' })
  streets?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Allowances of any of these households.' })
  households?: string[] | null;

  @Field(() => [AllowanceStatus], { nullable: true, description: 'Allowances in any of these statuses.' })
  statuses?: AllowanceStatus[] | null;

  @Field(() => [AllowanceType], { nullable: true, description: 'Allowances of any of these types.' })
  types?: AllowanceType[] | null;
}

@InputType({ description: 'Which disbursement batches to list; all given conditions must hold.' })
export class DisbursementBatchFilter {
  @Field(() => [ID], { nullable: true, description: 'Batches of any of these districts.' })
  districts?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Batches of any of these months (YYYY-MM).' })
  months?: string[] | null;

  @Field(() => [DisbursementBatchStatus], { nullable: true, description: 'Batches in any of these statuses.' })
  statuses?: DisbursementBatchStatus[] | null;
}

@InputType({ description: 'Granting the allowance of an approved application.' })
export class GrantAllowanceInput {
  @Field(() => ID, { description: 'The APPROVED application of a type paid monthly.' })
  application!: string;
}

@InputType({ description: 'A status change of an allowance from a month on.' })
export class AllowanceStatusInput {
  @Field(() => ID, { description: 'The allowance.' })
  id!: string;

  @Field({ description: 'First month (YYYY-MM) the change applies to; not before the allowance’s latest change.' })
  effectiveMonth!: string;

  @Field(() => String, { nullable: true, description: 'Why (1–500 characters; required to suspend or end).' })
  reason?: string | null;
}

@InputType({ description: 'Running the monthly batch of a district.' })
export class RunDisbursementBatchInput {
  @Field(() => ID, { description: 'The district.' })
  district!: string;

  @Field({ description: 'The month (YYYY-MM), at most the month after the current one.' })
  month!: string;
}

@InputType({ description: 'Approval of a batch.' })
export class ApproveDisbursementBatchInput {
  @Field(() => ID, { description: 'The batch.' })
  id!: string;
}

@InputType({ description: 'A paid amount that came back.' })
export class RecordReturnedPaymentInput {
  @Field(() => ID, { description: 'The PAID line.' })
  line!: string;

  @Field({ description: 'Why it came back, e.g. the bank account is closed (1–500 characters).' })
  reason!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'The day it came back; default today (Shanghai).' })
  returnedOn?: string | null;
}

@ObjectType({ description: 'Result of a change to an allowance.' })
export class AllowancePayload {
  @Field(() => Allowance, { nullable: true, description: 'The allowance after the change; null when refused.' })
  allowance!: Allowance | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of running or approving a batch.' })
export class DisbursementBatchPayload {
  @Field(() => DisbursementBatch, { nullable: true, description: 'The batch after the change; null when refused.' })
  batch!: DisbursementBatch | null;

  @Field(() => Int, { description: 'Lines this run added (0 for an approval, or a run that found nothing new).' })
  linesAdded!: number;

  @Field(() => Int, { description: 'Pending lines this run removed because their allowance is no longer due.' })
  linesRemoved!: number;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a change to a payment line.' })
export class DisbursementLinePayload {
  @Field(() => DisbursementLine, { nullable: true, description: 'The line after the change; null when refused.' })
  line!: DisbursementLine | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
