import { LocalDateResolver, SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../common/global-id';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node.type';
import { UserError } from '../common/user-error.type';

export enum ContractStatus {
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
  TAKEN_OVER = 'TAKEN_OVER',
}
registerEnumType(ContractStatus, {
  name: 'ContractStatus',
  description: 'Where a purchase contract is in its life.',
  valuesConfig: {
    ACTIVE: { description: 'Signed and in force: its capacity is in the matching pool.' },
    COMPLETED: { description: 'Ended at its term with the service delivered; its resources are closed.' },
    TERMINATED: { description: 'Ended early (e.g. breach); its resources are closed.' },
    TAKEN_OVER: { description: 'Its beneficiaries were moved to a stand-in provider under the takeover plan (临时接管预案).' },
  },
});

/** How a contract may end through `endContract`. */
export enum ContractEnding {
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(ContractEnding, {
  name: 'ContractEnding',
  description: 'How a contract ends.',
  valuesConfig: {
    COMPLETED: { description: 'Delivered in full at the end of its term.' },
    TERMINATED: { description: 'Ended early, e.g. for breach (按照合同约定终止合同执行).' },
  },
});

export enum MilestonePaymentStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(MilestonePaymentStatus, {
  name: 'MilestonePaymentStatus',
  description: 'Where a milestone payment is.',
  valuesConfig: {
    PENDING: { description: 'Requested by the purchaser; waiting for a finance officer. Counts against the contract amount.' },
    APPROVED: { description: 'Approved by a finance officer: paid.' },
    REJECTED: { description: 'Rejected by a finance officer, with the reason; no longer counts against the contract amount.' },
  },
});

@ObjectType({ description: 'Where a contract is delivered: a whole district, or one street or town in it.' })
export class ContractArea {
  districtId!: number;
  streetId!: number | null;
}

@ObjectType({ implements: Node, description: 'A payment milestone (付款节点) of a contract: what is due when, and for how much.' })
export class ContractMilestone extends Node {
  contractId!: number;

  @Field(() => Int, { description: 'Order within the contract, from 1.' })
  seq!: number;

  @Field({ description: 'What the milestone is, e.g. "中期评估后".' })
  name!: string;

  @Field(() => LocalDateResolver, { description: 'When it falls due.' })
  dueOn!: string;

  @Field(() => SafeIntResolver, { description: 'Amount due at this milestone, in fen (分).' })
  amountFen!: number;
}

@ObjectType({ implements: Node, description: 'A payment of a contract milestone: requested by the purchaser, approved or rejected by a finance officer (§3(7)).' })
export class MilestonePayment extends Node {
  contractId!: number;
  milestoneId!: number;

  @Field(() => SafeIntResolver, { description: 'Amount in fen (分).' })
  amountFen!: number;

  @Field(() => MilestonePaymentStatus, { description: 'PENDING until finance decides.' })
  status!: MilestonePaymentStatus;

  @Field(() => String, { nullable: true, description: 'The requester’s note (e.g. what was delivered).' })
  note!: string | null;

  @Field({ description: 'Subject of who asked for it.' })
  requestedBy!: string;

  @Field({ description: 'When it was asked for.' })
  requestedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Subject of the finance officer who decided it.' })
  decidedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was decided.' })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected (or a note on the approval).' })
  decisionReason!: string | null;
}

@ObjectType({ implements: Node, description: 'A service contract (服务合同, §3(5)2) between a purchaser and the awarded provider, with every term the policy requires. Visible in full to the purchaser in scope, finance, auditors and the provider itself; its disclosed fields are public through `contractDisclosures`.' })
export class PurchaseContract extends Node {
  providerId!: number;
  projectId!: number;
  bidId!: number;

  @Field(() => ID, { name: 'project', description: 'Global ID of the purchase project (PurchaseProject) it was signed for.' })
  get projectGlobalId(): string {
    return toGlobalId('PurchaseProject', this.projectId);
  }

  @Field(() => ID, { name: 'bid', description: 'Global ID of the awarded bid (Bid) it follows.' })
  get bidGlobalId(): string {
    return toGlobalId('Bid', this.bidId);
  }

  @Field({ description: 'The subject (标的): what is bought.' })
  subject!: string;

  @Field({ description: 'The service standard (服务标准).' })
  serviceStandard!: string;

  @Field(() => Int, { description: 'The quantity (服务数量), in service units over the term.' })
  quantity!: number;

  @Field(() => LocalDateResolver, { description: 'First day of the term (服务期限).' })
  termStart!: string;

  @Field(() => LocalDateResolver, { description: 'Last day of the term.' })
  termEnd!: string;

  @Field(() => SafeIntResolver, { description: 'The fee (服务报酬): the contract amount, in fen (分). Payments never exceed it.' })
  amountFen!: number;

  @Field({ description: 'The payment method (付款方式).' })
  paymentMethod!: string;

  @Field({ description: 'Liability for breach (违约责任).' })
  breachLiability!: string;

  @Field({ description: 'How disputes are resolved (解决争议的方式).' })
  disputeResolution!: string;

  @Field(() => ContractStatus, { description: 'Where the contract is in its life.' })
  status!: ContractStatus;

  @Field({ description: 'When it was signed.' })
  signedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it ended.' })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it ended.' })
  endReason!: string | null;
}

@ObjectType({ description: 'What the public sees of a contract (§3(6) 信息公开): provider, subject, amount, term, areas, status and what has been paid. No personal data; the other terms and the payment requests are not disclosed.' })
export class ContractDisclosure {
  id!: number;
  providerId!: number;
  projectId!: number;

  @Field(() => ID, { name: 'project', description: 'Global ID of the purchase project (PurchaseProject) it was signed for.' })
  get projectGlobalId(): string {
    return toGlobalId('PurchaseProject', this.projectId);
  }

  @Field({ description: 'The subject (标的): what is bought.' })
  subject!: string;

  @Field(() => SafeIntResolver, { description: 'The fee (服务报酬): the contract amount, in fen (分).' })
  amountFen!: number;

  @Field(() => LocalDateResolver, { description: 'First day of the term (服务期限).' })
  termStart!: string;

  @Field(() => LocalDateResolver, { description: 'Last day of the term.' })
  termEnd!: string;

  @Field(() => ContractStatus, { description: 'Where the contract is in its life.' })
  status!: ContractStatus;

  @Field({ description: 'When it was signed.' })
  signedAt!: Date;

  @Field(() => ID, { name: 'contract', description: 'Global ID of the contract (PurchaseContract); reading it in full needs a role that may.' })
  get contractGlobalId(): string {
    return toGlobalId('PurchaseContract', this.id);
  }
}

@ObjectType({ description: 'A disclosed milestone: when, how much, and how much of it has been paid.' })
export class DisclosedMilestone {
  id!: number;

  @Field({ description: 'What the milestone is.' })
  name!: string;

  @Field(() => LocalDateResolver, { description: 'When it falls due.' })
  dueOn!: string;

  @Field(() => SafeIntResolver, { description: 'Amount due, in fen.' })
  amountFen!: number;
}

@ObjectType({ description: 'Budget, committed and paid amounts of purchase projects (§3(7)), in fen. Counts projects whose budget is approved (立项, APPROVED or later).' })
export class PurchaseFinanceFigures {
  @Field(() => Int, { description: 'Projects counted.' })
  projects!: number;

  @Field(() => SafeIntResolver, { description: 'Their approved budgets.' })
  budgetFen!: number;

  @Field(() => SafeIntResolver, { description: 'Committed: the amounts of their signed contracts.' })
  committedFen!: number;

  @Field(() => SafeIntResolver, { description: 'Paid: milestone payments approved by finance.' })
  paidFen!: number;

  @Field(() => SafeIntResolver, { description: 'Requested and waiting for finance.' })
  pendingFen!: number;

  @Field(() => SafeIntResolver, { description: 'budgetFen − committedFen.' })
  get uncommittedFen(): number {
    return this.budgetFen - this.committedFen;
  }
}

@ObjectType({ description: 'The finance figures of one purchase project.' })
export class ProjectFinance extends PurchaseFinanceFigures {
  projectId!: number;
  purchaserId!: number;

  @Field(() => ID, { name: 'project', description: 'Global ID of the project (PurchaseProject).' })
  get projectGlobalId(): string {
    return toGlobalId('PurchaseProject', this.projectId);
  }

  @Field({ description: 'The project title.' })
  title!: string;

  @Field(() => Int, { description: 'Its fiscal year.' })
  fiscalYear!: number;

  @Field({ description: 'Its status (PurchaseProjectStatus), as text.' })
  status!: string;
}

@ObjectType({ description: 'The finance figures of one purchasing department (civil-affairs department, street office or township government).' })
export class PurchaserFinance extends PurchaseFinanceFigures {
  purchaserId!: number;
}

@ObjectType({ description: 'The finance figures of one fiscal year.' })
export class YearFinance extends PurchaseFinanceFigures {
  @Field(() => Int, { description: 'The fiscal year.' })
  fiscalYear!: number;
}

export const PurchaseContractConnection = ConnectionType(PurchaseContract, 'PurchaseContract', 'purchase contracts');
export const ContractDisclosureConnection = ConnectionType(ContractDisclosure, 'ContractDisclosure', 'disclosed contracts');
export const ProjectFinanceConnection = ConnectionType(ProjectFinance, 'ProjectFinance', 'per-project finance figures');

// ---- inputs ----

@InputType({ description: 'The term (服务期限) of a contract: within the project’s term.' })
export class ContractTermInput {
  @Field(() => LocalDateResolver, { description: 'First day.' })
  start!: string;

  @Field(() => LocalDateResolver, { description: 'Last day; not before the first.' })
  end!: string;
}

@InputType({ description: 'A payment milestone of a contract.' })
export class ContractMilestoneInput {
  @Field({ description: 'What the milestone is (1–200 characters).' })
  name!: string;

  @Field(() => LocalDateResolver, { description: 'When it falls due: within the contract term.' })
  dueOn!: string;

  @Field(() => SafeIntResolver, { description: 'Amount due, in fen; above zero. All milestones together at most the contract amount.' })
  amountFen!: number;
}

@InputType({
  description:
    'A contract for an AWARDED project, with the awarded provider. The eight terms the policy requires (§3(5)2) are nullable here so that a contract lacking any of them is refused with one MISSING_CONTRACT_TERM error per missing term.',
})
export class SignContractInput {
  @Field(() => ID, { description: 'The AWARDED purchase project (PurchaseProject).' })
  project!: string;

  @Field(() => String, { nullable: true, description: 'Required term: the subject (标的) (1–500 characters).' })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: 'Required term: the service standard (服务标准) (1–5000 characters).' })
  serviceStandard?: string | null;

  @Field(() => Int, { nullable: true, description: 'Required term: the quantity (服务数量) in service units; at least one per catalogue item of the project, at most the project quantity. Split evenly across the items as capacity.' })
  quantity?: number | null;

  @Field(() => ContractTermInput, { nullable: true, description: 'Required term: the term (服务期限), within the project’s.' })
  term?: ContractTermInput | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Required term: the fee (服务报酬), in fen; at most the project budget.' })
  amountFen?: number | null;

  @Field(() => String, { nullable: true, description: 'Required term: the payment method (付款方式) (1–2000 characters).' })
  paymentMethod?: string | null;

  @Field(() => String, { nullable: true, description: 'Required term: liability for breach (违约责任) (1–5000 characters).' })
  breachLiability?: string | null;

  @Field(() => String, { nullable: true, description: 'Required term: dispute resolution (解决争议的方式) (1–2000 characters).' })
  disputeResolution?: string | null;

  @Field(() => [ID], { description: 'Where the service is delivered: District or Street IDs, within the project’s district (or street). The contract’s resources serve exactly these.' })
  areas!: string[];

  @Field(() => [ContractMilestoneInput], { description: 'Payment milestones, at least one; together at most the fee.' })
  milestones!: ContractMilestoneInput[];
}

@InputType({ description: 'Ending a contract.' })
export class EndContractInput {
  @Field(() => ID, { description: 'The ACTIVE contract.' })
  contract!: string;

  @Field(() => ContractEnding, { description: 'Completed or terminated.' })
  ending!: ContractEnding;

  @Field({ description: 'Why (1–500 characters).' })
  reason!: string;
}

@InputType({ description: 'Starting the service of a signed contract (项目实施).' })
export class StartContractServiceInput {
  @Field(() => ID, { description: 'The ACTIVE contract whose project is CONTRACTED.' })
  contract!: string;
}

@InputType({ description: 'Asking for the payment of a milestone.' })
export class RequestMilestonePaymentInput {
  @Field(() => ID, { description: 'The milestone (ContractMilestone).' })
  milestone!: string;

  @Field(() => SafeIntResolver, { nullable: true, description: 'Amount in fen; default what is left of the milestone. Never more than what is left of the milestone or of the contract amount.' })
  amountFen?: number | null;

  @Field(() => String, { nullable: true, description: 'A note, e.g. what was delivered (at most 1000 characters).' })
  note?: string | null;
}

@InputType({ description: 'A finance decision on a milestone payment.' })
export class DecideMilestonePaymentInput {
  @Field(() => ID, { description: 'The PENDING payment (MilestonePayment).' })
  payment!: string;

  @Field(() => String, { nullable: true, description: 'Why (required to reject; at most 500 characters).' })
  reason?: string | null;
}

@InputType({ description: 'Which contracts to list; all given conditions must hold.' })
export class ContractFilter {
  @Field(() => [ID], { nullable: true, description: 'Contracts of any of these providers.' })
  providers?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Contracts of any of these projects (PurchaseProject).' })
  projects?: string[] | null;

  @Field(() => [ContractStatus], { nullable: true, description: 'Contracts in any of these statuses.' })
  statuses?: ContractStatus[] | null;
}

@InputType({ description: 'Which projects the finance view counts; all given conditions must hold.' })
export class PurchaseFinanceFilter {
  @Field(() => [Int], { nullable: true, description: 'Projects of any of these fiscal years.' })
  fiscalYears?: number[] | null;

  @Field(() => [ID], { nullable: true, description: 'Projects of any of these purchasers (Organization).' })
  purchasers?: string[] | null;
}

@ObjectType({ description: 'Result of signing or ending a contract.' })
export class ContractPayload {
  @Field(() => PurchaseContract, { nullable: true, description: 'The contract after the change; null when refused.' })
  contract!: PurchaseContract | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a change to a milestone payment.' })
export class MilestonePaymentPayload {
  @Field(() => MilestonePayment, { nullable: true, description: 'The payment after the change; null when refused.' })
  payment!: MilestonePayment | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
