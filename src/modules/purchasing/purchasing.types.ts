import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver, SafeIntResolver } from 'graphql-scalars';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node.type';
import { UserError } from '../common/user-error.type';
import { ProcurementMethod } from './purchasing.methods';
import { PurchaseProjectStatus } from './purchasing.transitions';

export { ProcurementMethod, PurchaseProjectStatus };

registerEnumType(PurchaseProjectStatus, {
  name: 'PurchaseProjectStatus',
  description: 'Where a purchase project is in its lifecycle (§3(5)); every step is recorded with who, when and why.',
  valuesConfig: {
    DRAFT: { description: 'Being prepared by the purchaser: needs study, service standard, budget, method.' },
    SUBMITTED: { description: 'Submitted to finance for review (报同级财政审核).' },
    FINANCE_REVIEW: { description: 'Under review by finance.' },
    APPROVED: { description: 'Approved by finance: the project is established (立项) and public.' },
    RETURNED: { description: 'Returned by finance with a reason; the purchaser edits and resubmits.' },
    PROCUREMENT: { description: 'In procurement: the scoring criteria are published and providers bid.' },
    AWARDED: { description: 'Awarded to the bid the experts’ aggregate ranks first.' },
    CONTRACTED: { description: 'A contract with the awarded provider is signed (contracts module).' },
    IN_PROGRESS: { description: 'The service is being delivered (contracts module).' },
    EVALUATED: { description: 'The final performance evaluation is recorded (oversight module).' },
    CLOSED: { description: 'Closed.' },
  },
});

registerEnumType(ProcurementMethod, {
  name: 'ProcurementMethod',
  description: 'The procurement methods of the government procurement law (§3(4)); which the budget allows is configuration (procurementThresholds).',
  valuesConfig: {
    OPEN_TENDER: { description: 'Open tender (公开招标).' },
    INVITED_TENDER: { description: 'Invited tender (邀请招标).' },
    COMPETITIVE_NEGOTIATION: { description: 'Competitive negotiation (竞争性谈判).' },
    COMPETITIVE_CONSULTATION: { description: 'Competitive consultation (竞争性磋商).' },
    SINGLE_SOURCE: { description: 'Single-source procurement (单一来源采购): always needs a recorded, disclosed justification.' },
  },
});

export enum BidStatus {
  SUBMITTED = 'SUBMITTED',
  WITHDRAWN = 'WITHDRAWN',
  AWARDED = 'AWARDED',
  NOT_AWARDED = 'NOT_AWARDED',
}
registerEnumType(BidStatus, {
  name: 'BidStatus',
  description: 'Where a bid is.',
  valuesConfig: {
    SUBMITTED: { description: 'Submitted and live while the project is in procurement.' },
    WITHDRAWN: { description: 'Withdrawn by the provider; it may submit again while procurement runs.' },
    AWARDED: { description: 'The winning bid.' },
    NOT_AWARDED: { description: 'Not chosen.' },
  },
});

export enum ExpertLinkKind {
  EMPLOYMENT = 'EMPLOYMENT',
  FAMILY = 'FAMILY',
  RECENT_WORK = 'RECENT_WORK',
  OTHER = 'OTHER',
}
registerEnumType(ExpertLinkKind, {
  name: 'ExpertLinkKind',
  description: 'Why an expert is linked to an organization and must not score its bids (回避).',
  valuesConfig: {
    EMPLOYMENT: { description: 'Works or worked for the organization.' },
    FAMILY: { description: 'A close relative works there or controls it.' },
    RECENT_WORK: { description: 'Recent paid work or cooperation with the organization.' },
    OTHER: { description: 'Any other interest, stated in the reason.' },
  },
});

@ObjectType({ implements: Node, description: 'A purchase project (政府购买服务项目, §3(5)) of a civil-affairs department, street office or township government. Public (信息公开) from approval on; drafts and finance review are seen by the purchaser in scope, the city and finance.' })
export class PurchaseProject extends Node {
  purchaserId!: number;
  districtId!: number | null;
  streetId!: number | null;
  awardedBidId!: number | null;

  @Field({ description: 'Title of the project.' })
  title!: string;

  @Field({ description: 'Needs study (需求调研): what was found and why the service is bought.' })
  needsStudy!: string;

  @Field({ description: 'Service standard (服务标准) the provider must meet.' })
  serviceStandard!: string;

  @Field(() => Int, { description: 'Quantity, in service units.' })
  quantity!: number;

  @Field(() => SafeIntResolver, { description: 'Budget, in fen.' })
  budgetFen!: number;

  @Field(() => Int, { description: 'Fiscal year of the budget.' })
  fiscalYear!: number;

  @Field(() => LocalDateResolver, { description: 'First day of the service term.' })
  termStart!: string;

  @Field(() => LocalDateResolver, { description: 'Last day of the service term.' })
  termEnd!: string;

  @Field(() => PurchaseProjectStatus, { description: 'Where the project is.' })
  status!: PurchaseProjectStatus;

  @Field(() => ProcurementMethod, { nullable: true, description: 'The procurement method chosen; null until chosen.' })
  method!: ProcurementMethod | null;

  @Field(() => String, { nullable: true, description: 'Why a method the budget does not normally allow (or single source) was chosen: recorded and disclosed.' })
  methodJustification!: string | null;

  /** Internal: resolved for the purchaser's side only (PurchaseProjectResolver.returnReason). */
  returnReason!: string | null;

  @Field({ description: 'When the project was created.' })
  createdAt!: Date;

  @Field({ description: 'When the project last changed.' })
  updatedAt!: Date;
}

export const PurchaseProjectConnection = ConnectionType(PurchaseProject, 'PurchaseProject', 'purchase projects');

@ObjectType({ description: 'One step of a purchase project: who took it, when and why.' })
export class PurchaseProjectEvent {
  @Field(() => PurchaseProjectStatus, { nullable: true, description: 'Status before; null for creation.' })
  fromStatus!: PurchaseProjectStatus | null;

  @Field(() => PurchaseProjectStatus, { description: 'Status after.' })
  toStatus!: PurchaseProjectStatus;

  @Field(() => String, { nullable: true, description: 'Who took the step (the token subject of an official).' })
  actor!: string | null;

  @Field(() => String, { nullable: true, description: 'Why, where given (always for a return).' })
  reason!: string | null;

  @Field({ description: 'When.' })
  at!: Date;
}

@ObjectType({ description: 'A published scoring criterion (评分标准) of a project: each expert scores each bid 0–100 on it.' })
export class ScoringCriterion {
  @Field({ description: 'Name, e.g. "Service plan" or "Price".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What earns the points.' })
  description!: string | null;

  @Field(() => Int, { description: 'Weight; the weights of a project sum to 100.' })
  weight!: number;

  @Field(() => Int, { description: 'Position in the published list, from 0; score sheets give scores in this order.' })
  position!: number;
}

@ObjectType({ implements: Node, description: 'A provider’s bid (投标 / 响应文件). A provider sees its own; the purchaser in scope sees all bids of its projects.' })
export class Bid extends Node {
  projectId!: number;
  providerId!: number;

  @Field(() => SafeIntResolver, { description: 'Price offered, in fen.' })
  priceFen!: number;

  @Field({ description: 'The proposal (方案).' })
  proposal!: string;

  @Field(() => BidStatus, { description: 'Where the bid is.' })
  status!: BidStatus;

  @Field({ description: 'When the bid was (last) submitted.' })
  submittedAt!: Date;
}

export const BidConnection = ConnectionType(Bid, 'Bid', 'bids');

@ObjectType({ description: 'A bid’s result as disclosed after the award (and to the purchaser during review): provider, price and the experts’ aggregate.' })
export class BidResult {
  bidId!: number;
  providerId!: number;

  @Field(() => SafeIntResolver, { description: 'Price offered, in fen.' })
  priceFen!: number;

  @Field(() => Float, { nullable: true, description: 'Weighted average across the experts of their criteria scores (0–100, to 1/10,000); null when no expert has a complete sheet for it.' })
  aggregateScore!: number | null;

  @Field(() => Int, { description: 'Experts whose complete sheets make up the aggregate; the sheet of an expert linked to the provider never counts, even one recorded before the link was declared.' })
  expertCount!: number;

  @Field(() => Int, { description: 'Rank by aggregate (ties: lower price, then earlier bid), 1 for the best.' })
  rank!: number;

  @Field(() => BidStatus, { description: 'Where the bid is.' })
  status!: BidStatus;
}

@ObjectType({ description: 'The award of a project (中标 / 成交结果): the winning provider and its price.' })
export class PurchaseAward {
  bidId!: number;
  providerId!: number;

  @Field(() => SafeIntResolver, { description: 'The winning price, in fen.' })
  priceFen!: number;

  @Field(() => Float, { nullable: true, description: 'The winning bid’s aggregate score.' })
  aggregateScore!: number | null;
}

@ObjectType({ implements: Node, description: 'A review expert (评审专家) from the pool. Names are disclosed with the award (as the procurement regulations require of result announcements); links only to purchasers.' })
export class ProcurementExpert extends Node {
  affiliationId!: number | null;

  @Field({ description: 'The expert’s name.' })
  name!: string;

  @Field({ description: 'Field of expertise, e.g. social work, finance, law.' })
  field!: string;
}

export const ProcurementExpertConnection = ConnectionType(ProcurementExpert, 'ProcurementExpert', 'review experts');

@ObjectType({ description: 'A declared link between an expert and an organization: the expert does not score that organization’s bids.' })
export class ExpertLink {
  organizationId!: number;

  @Field(() => ExpertLinkKind, { description: 'Kind of link.' })
  kind!: ExpertLinkKind;

  @Field({ description: 'What the link is.' })
  reason!: string;

  @Field({ description: 'When it was declared.' })
  declaredAt!: Date;
}

@ObjectType({ description: 'A procurement-method threshold (configuration): from this budget up to the next threshold, these methods are allowed without a justification.' })
export class ProcurementThreshold {
  @Field(() => SafeIntResolver, { description: 'Lowest budget the threshold applies to, in fen.' })
  minBudgetFen!: number;

  @Field(() => [ProcurementMethod], { description: 'Methods allowed from this budget on without a justification (single source always needs one).' })
  allowedMethods!: ProcurementMethod[];

  @Field({ description: 'Where the figure comes from (a regulation, or a seed value to be confirmed).' })
  source!: string;

  @Field(() => String, { nullable: true, description: 'Who last set it.' })
  updatedBy!: string | null;

  @Field({ description: 'When it was last set.' })
  updatedAt!: Date;
}

// ---- inputs ----

@InputType({ description: 'Filters of the purchase-project list; all given filters apply.' })
export class PurchaseProjectFilter {
  @Field(() => [Int], { nullable: true, description: 'Fiscal years.' })
  fiscalYears?: number[] | null;

  @Field(() => [ID], { nullable: true, description: 'Districts where the purchaser sits.' })
  districts?: string[] | null;

  @Field(() => [PurchaseProjectStatus], { nullable: true, description: 'Statuses.' })
  statuses?: PurchaseProjectStatus[] | null;

  @Field(() => [ID], { nullable: true, description: 'Catalogue items (ServiceCategory IDs): projects buying any of them.' })
  categories?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Purchasers (Organization IDs).' })
  purchasers?: string[] | null;
}

@InputType({ description: 'A new purchase project, created as DRAFT.' })
export class CreatePurchaseProjectInput {
  @Field(() => ID, { description: 'The purchaser: a civil-affairs department, a street office or a township government (§3(1)).' })
  purchaser!: string;

  @Field({ description: 'Title (1–200 characters).' })
  title!: string;

  @Field({ description: 'Needs study (1–5000 characters).' })
  needsStudy!: string;

  @Field({ description: 'Service standard (1–5000 characters).' })
  serviceStandard!: string;

  @Field(() => Int, { description: 'Quantity in service units, at least 1.' })
  quantity!: number;

  @Field(() => SafeIntResolver, { description: 'Budget in fen, more than 0.' })
  budgetFen!: number;

  @Field(() => Int, { description: 'Fiscal year of the budget.' })
  fiscalYear!: number;

  @Field(() => LocalDateResolver, { description: 'First day of the service term.' })
  termStart!: string;

  @Field(() => LocalDateResolver, { description: 'Last day of the service term; not before termStart.' })
  termEnd!: string;

  @Field(() => [ID], { description: 'Active catalogue items (ServiceCategory IDs) bought; at least one.' })
  categories!: string[];

  @Field(() => ProcurementMethod, { nullable: true, description: 'The procurement method; required before submission.' })
  method?: ProcurementMethod | null;

  @Field(() => String, { nullable: true, description: 'Why the method is chosen where the thresholds do not allow it, or for single source (at most 2000 characters).' })
  methodJustification?: string | null;
}

@InputType({ description: 'Changes to a DRAFT or RETURNED project; omitted fields stay as they are.' })
export class UpdatePurchaseProjectInput {
  @Field(() => ID, { description: 'The PurchaseProject.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New needs study.' })
  needsStudy?: string | null;

  @Field(() => String, { nullable: true, description: 'New service standard.' })
  serviceStandard?: string | null;

  @Field(() => Int, { nullable: true, description: 'New quantity.' })
  quantity?: number | null;

  @Field(() => SafeIntResolver, { nullable: true, description: 'New budget in fen.' })
  budgetFen?: number | null;

  @Field(() => Int, { nullable: true, description: 'New fiscal year.' })
  fiscalYear?: number | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'New first day of the term.' })
  termStart?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'New last day of the term.' })
  termEnd?: string | null;

  @Field(() => [ID], { nullable: true, description: 'New catalogue items, replacing the old ones.' })
  categories?: string[] | null;

  @Field(() => ProcurementMethod, { nullable: true, description: 'New procurement method.' })
  method?: ProcurementMethod | null;

  @Field(() => String, { nullable: true, description: 'New justification of the method; an empty string removes it.' })
  methodJustification?: string | null;
}

@InputType({ description: 'A step of a project’s lifecycle taken by the purchaser or finance.' })
export class MovePurchaseProjectInput {
  @Field(() => ID, { description: 'The PurchaseProject.' })
  id!: string;

  @Field(() => PurchaseProjectStatus, { description: 'The status to move to; the transition table decides whether it may be reached from here, and by whom.' })
  to!: PurchaseProjectStatus;

  @Field(() => String, { nullable: true, description: 'Why (required to return a project; at most 2000 characters).' })
  reason?: string | null;
}

@InputType({ description: 'One scoring criterion.' })
export class ScoringCriterionInput {
  @Field({ description: 'Name (1–100 characters).' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What earns the points (at most 1000 characters).' })
  description?: string | null;

  @Field(() => Int, { description: 'Weight, 1–100; the weights of a project sum to 100.' })
  weight!: number;
}

@InputType({ description: 'The scoring criteria of a project, replacing any before; set until procurement starts, which publishes them.' })
export class SetScoringCriteriaInput {
  @Field(() => ID, { description: 'The PurchaseProject.' })
  project!: string;

  @Field(() => [ScoringCriterionInput], { description: 'The criteria, in published order (1–20).' })
  criteria!: ScoringCriterionInput[];
}

@InputType({ description: 'A review expert for the pool.' })
export class RegisterExpertInput {
  @Field({ description: 'Name (1–50 characters).' })
  name!: string;

  @Field({ description: 'Field of expertise (1–100 characters).' })
  field!: string;

  @Field(() => ID, { nullable: true, description: 'Organization the expert works for, if any; declared as an EMPLOYMENT link too.' })
  affiliation?: string | null;
}

@InputType({ description: 'A link between an expert and an organization.' })
export class DeclareExpertLinkInput {
  @Field(() => ID, { description: 'The ProcurementExpert.' })
  expert!: string;

  @Field(() => ID, { description: 'The Organization.' })
  organization!: string;

  @Field(() => ExpertLinkKind, { description: 'Kind of link.' })
  kind!: ExpertLinkKind;

  @Field({ description: 'What the link is (1–500 characters).' })
  reason!: string;
}

@InputType({ description: 'The review panel of a project, replacing any before; fixed once scoring begins.' })
export class SetExpertPanelInput {
  @Field(() => ID, { description: 'The PurchaseProject.' })
  project!: string;

  @Field(() => [ID], { description: 'The experts (ProcurementExpert IDs), 1–15.' })
  experts!: string[];
}

@InputType({ description: 'A provider’s bid for a project in procurement, for the provider the viewer works for.' })
export class SubmitBidInput {
  @Field(() => ID, { description: 'The PurchaseProject.' })
  project!: string;

  @Field(() => SafeIntResolver, { description: 'Price in fen, more than 0 and not above the budget.' })
  priceFen!: number;

  @Field({ description: 'The proposal (1–20000 characters).' })
  proposal!: string;
}

@InputType({ description: 'A bid to withdraw.' })
export class WithdrawBidInput {
  @Field(() => ID, { description: 'The Bid.' })
  id!: string;
}

@InputType({ description: 'An expert’s score sheet for one bid, entered by the purchaser from the panel’s signed sheet.' })
export class RecordExpertScoresInput {
  @Field(() => ID, { description: 'The Bid scored.' })
  bid!: string;

  @Field(() => ID, { description: 'The ProcurementExpert whose sheet it is; on the panel and not linked to the bidder.' })
  expert!: string;

  @Field(() => [Int], { description: 'One score 0–100 per published criterion, in their order; replaces the expert’s earlier sheet for the bid.' })
  scores!: number[];
}

@InputType({ description: 'The award of a project in procurement.' })
export class AwardPurchaseProjectInput {
  @Field(() => ID, { description: 'The PurchaseProject.' })
  project!: string;

  @Field(() => ID, { description: 'The Bid to award: it must be the one the experts’ aggregate ranks first.' })
  bid!: string;
}

@InputType({ description: 'A procurement-method threshold to add or change (keyed by its minimum budget).' })
export class SetProcurementThresholdInput {
  @Field(() => SafeIntResolver, { description: 'Lowest budget it applies to, in fen (0 or more).' })
  minBudgetFen!: number;

  @Field(() => [ProcurementMethod], { description: 'Methods allowed from this budget on without a justification; at least one.' })
  allowedMethods!: ProcurementMethod[];

  @Field({ description: 'Where the figure comes from (1–500 characters).' })
  source!: string;
}

// ---- payloads ----

@ObjectType({ description: 'Result of a change to a purchase project.' })
export class PurchaseProjectPayload {
  @Field(() => PurchaseProject, { nullable: true, description: 'The project after the change; null when refused.' })
  project!: PurchaseProject | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a change to a bid.' })
export class BidPayload {
  @Field(() => Bid, { nullable: true, description: 'The bid after the change; null when refused.' })
  bid!: Bid | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a change to an expert.' })
export class ProcurementExpertPayload {
  @Field(() => ProcurementExpert, { nullable: true, description: 'The expert after the change; null when refused.' })
  expert!: ProcurementExpert | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of setting a threshold.' })
export class ProcurementThresholdPayload {
  @Field(() => ProcurementThreshold, { nullable: true, description: 'The threshold as set; null when refused.' })
  threshold!: ProcurementThreshold | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}
