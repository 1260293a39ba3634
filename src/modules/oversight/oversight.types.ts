import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../../common/global-id';
import { ConnectionType } from '../common/connection';
import { Node } from '../common/node.type';
import { UserError } from '../common/user-error.type';
import { ReferralStatus } from '../referrals/referrals.transitions';
import { LocalDateResolver } from 'graphql-scalars';

/** The type name of a contract's global ID (the contracts module's `PurchaseContract`). */
export const CONTRACT_TYPE = 'PurchaseContract';

export enum TakeoverReason {
  PROVIDER_CANNOT_DELIVER = 'PROVIDER_CANNOT_DELIVER',
  CONTRACT_TERMINATED = 'CONTRACT_TERMINATED',
  PROVIDER_BANNED = 'PROVIDER_BANNED',
}
registerEnumType(TakeoverReason, {
  name: 'TakeoverReason',
  description: 'Why a takeover plan (临时接管预案) was put into effect.',
  valuesConfig: {
    PROVIDER_CANNOT_DELIVER: { description: 'The provider cannot deliver the contracted services (无法履约).' },
    CONTRACT_TERMINATED: { description: 'The contract was terminated.' },
    PROVIDER_BANNED: { description: 'The provider was banned (禁入) for breach or falsified records.' },
  },
});

@ObjectType({ implements: Node, description: 'The formula of the final performance evaluation (绩效评价, §3(5)4): weights of its four parts, adding up to 1, satisfaction never weighted below another part. A new formula is a new version; evaluations keep the one they used.' })
export class EvaluationFormula extends Node {
  @Field(() => Float, { description: "Weight of the beneficiaries' satisfaction (weighted heavily)." })
  satisfactionWeight!: number;

  @Field(() => Float, { description: 'Weight of the service effect (服务效果).' })
  serviceEffectWeight!: number;

  @Field(() => Float, { description: 'Weight of management (管理).' })
  managementWeight!: number;

  @Field(() => Float, { description: 'Weight of social impact (社会影响).' })
  socialImpactWeight!: number;

  @Field(() => Int, { description: 'Ratings a contract needs for its satisfaction to stand on its ratings alone; the missing ones below this count as neutral (3 of 5, i.e. 50).' })
  minRatings!: number;

  @Field(() => String, { nullable: true, description: 'Why this formula, or where it comes from.' })
  note!: string | null;

  @Field({ description: 'When the formula was set; it applies to evaluations made from then on.' })
  createdAt!: Date;
}

@ObjectType({ implements: Node, description: "A contract's final performance evaluation (§3(5)4). Its total becomes the provider's quality in matching. Scores are public (§3(6)); the notes only for evaluators and the evaluated provider." })
export class ContractEvaluation extends Node {
  contractId!: number;
  providerId!: number;
  formulaId!: number;
  serviceEffectNote!: string | null;
  managementNote!: string | null;
  socialImpactNote!: string | null;

  @Field(() => ID, { name: 'contract', description: 'The evaluated purchase contract (a PurchaseContract ID).' })
  get contractGlobalId(): string {
    return toGlobalId(CONTRACT_TYPE, this.contractId);
  }

  @Field(() => Int, { description: 'Service effect (服务效果), 0–100, scored by the evaluating department.' })
  serviceEffect!: number;

  @Field(() => Int, { description: 'Management (管理), 0–100, scored by the evaluating department.' })
  management!: number;

  @Field(() => Int, { description: 'Social impact (社会影响), 0–100, scored by the evaluating department.' })
  socialImpact!: number;

  @Field(() => Float, { description: "Beneficiary satisfaction, 0–100, from the ratings (1–5) of the contract's completed referrals; with fewer ratings than the formula's minimum, the missing ones count as neutral." })
  satisfaction!: number;

  @Field(() => Int, { description: 'Ratings the satisfaction was drawn from.' })
  ratingsCount!: number;

  /** Resolved by ContractEvaluationResolver.ratingsAverage: hidden below the formula's minimum. */
  ratingsAverage!: number | null;

  @Field(() => Float, { description: 'The weighted total, 0–100; divided by 100 it is the provider’s quality in matching.' })
  total!: number;

  @Field({ description: 'When the evaluation was recorded.' })
  evaluatedAt!: Date;
}

@ObjectType({ description: 'A service record (服务记录) of a contract: one referral to its capacity — who was served (a household reference), what, when, outcome and satisfaction.' })
export class ServiceRecord {
  id!: number;
  needId!: number;
  resourceId!: number;
  providerId!: number;
  householdId!: number;

  @Field(() => ID, { name: 'referral', description: 'The referral behind the record.' })
  get referralGlobalId(): string {
    return toGlobalId('Referral', this.id);
  }

  @Field(() => ID, { name: 'householdRef', description: "The household served, as a reference only; the `household` field shows more where the viewer's policy allows." })
  get householdGlobalId(): string {
    return toGlobalId('Household', this.householdId);
  }

  @Field(() => Int, { description: 'Units of service.' })
  units!: number;

  @Field(() => ReferralStatus, { description: 'Where the referral stands (TRANSFERRED: moved to a stand-in provider by a takeover).' })
  status!: ReferralStatus;

  @Field({ description: 'When the referral was made.' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'Outcome the provider recorded on completion.' })
  outcome!: string | null;

  @Field(() => Int, { nullable: true, description: "The beneficiary's satisfaction, 1–5, where given." })
  satisfaction!: number | null;
}

@ObjectType({ description: 'Which stand-in resource takes the referrals of one catalogue item.' })
export class TakeoverPlanResource {
  categoryId!: number;
  resourceId!: number;
}

@ObjectType({ description: "A contract's takeover plan (临时接管预案, §3(6)): how its beneficiaries keep their service if the provider fails." })
export class TakeoverPlan {
  id!: number;
  contractId!: number;
  standInProviderId!: number;

  @Field(() => ID, { name: 'contract', description: 'The contract (a PurchaseContract ID).' })
  get contractGlobalId(): string {
    return toGlobalId(CONTRACT_TYPE, this.contractId);
  }

  @Field(() => String, { nullable: true, description: 'Arrangements agreed with the stand-in.' })
  note!: string | null;

  @Field({ description: 'When the plan was last written.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A takeover plan put into effect: every live referral of the contract moved to the stand-in in one transaction.' })
export class TakeoverActivation {
  id!: number;
  contractId!: number;
  standInProviderId!: number;

  @Field(() => ID, { name: 'contract', description: 'The contract taken over (a PurchaseContract ID).' })
  get contractGlobalId(): string {
    return toGlobalId(CONTRACT_TYPE, this.contractId);
  }

  @Field(() => TakeoverReason, { description: 'Why.' })
  reason!: TakeoverReason;

  @Field(() => String, { nullable: true, description: 'Notes on the activation.' })
  note!: string | null;

  @Field(() => Int, { description: 'Live referrals (proposed, accepted, in service) of the contract when the takeover began.' })
  liveBefore!: number;

  @Field(() => Int, { description: 'Referrals moved to the stand-in; always equal to liveBefore.' })
  transferred!: number;

  @Field(() => Int, { description: 'Open cases of the households whose referrals moved (their caseworkers keep them; the service now comes from the stand-in).' })
  casesAffected!: number;

  @Field(() => Int, { description: "Units of capacity added to the stand-in's resources so that every moved unit fits." })
  capacityAdded!: number;

  @Field({ description: 'When the plan was put into effect.' })
  activatedAt!: Date;
}

@ObjectType({ description: 'A ban of a provider until a date (§3(6)) and what it set in motion.' })
export class ProviderBan {
  id!: number;
  providerId!: number;

  @Field(() => LocalDateResolver, { description: 'Last day of the ban; from the next day the provider is ACTIVE again.' })
  bannedUntil!: string;

  @Field({ description: 'Why the provider was banned (breach of contract, falsified records).' })
  reason!: string;

  @Field(() => Int, { description: 'Contracts taken over by their plans.' })
  contractsTakenOver!: number;

  @Field(() => Int, { description: 'Contracts without a takeover plan, terminated with their live referrals cancelled (needs back in the pool).' })
  contractsTerminated!: number;

  @Field(() => Int, { description: 'Referrals moved to stand-ins.' })
  referralsTransferred!: number;

  @Field(() => Int, { description: 'Referrals cancelled because their contract had no plan.' })
  referralsCancelled!: number;

  @Field({ description: 'When the ban was recorded.' })
  bannedAt!: Date;
}

export const ContractEvaluationConnection = ConnectionType(ContractEvaluation, 'ContractEvaluation', 'contract evaluations');
export const ServiceRecordConnection = ConnectionType(ServiceRecord, 'ServiceRecord', 'service records');

@InputType({ description: 'A new evaluation formula; the weights must add up to 1 and satisfaction must not weigh less than any other part.' })
export class EvaluationFormulaInput {
  @Field(() => Float, { description: "Weight of the beneficiaries' satisfaction." })
  satisfactionWeight!: number;

  @Field(() => Float, { description: 'Weight of the service effect.' })
  serviceEffectWeight!: number;

  @Field(() => Float, { description: 'Weight of management.' })
  managementWeight!: number;

  @Field(() => Float, { description: 'Weight of social impact.' })
  socialImpactWeight!: number;

  @Field(() => Int, { description: 'Ratings below which the missing ones count as neutral (0–1000).' })
  minRatings!: number;

  @Field(() => String, { nullable: true, description: 'Why this formula, at most 1000 characters.' })
  note?: string | null;
}

@InputType({ description: "A contract's final performance evaluation: the evaluating department's scores and notes; satisfaction is computed." })
export class EvaluateContractInput {
  @Field(() => ID, { description: 'The contract (a PurchaseContract ID); its project must be IN_PROGRESS.' })
  contract!: string;

  @Field(() => Int, { description: 'Service effect, 0–100.' })
  serviceEffect!: number;

  @Field(() => String, { nullable: true, description: 'Notes on the service effect, at most 2000 characters.' })
  serviceEffectNote?: string | null;

  @Field(() => Int, { description: 'Management, 0–100.' })
  management!: number;

  @Field(() => String, { nullable: true, description: 'Notes on management.' })
  managementNote?: string | null;

  @Field(() => Int, { description: 'Social impact, 0–100.' })
  socialImpact!: number;

  @Field(() => String, { nullable: true, description: 'Notes on social impact.' })
  socialImpactNote?: string | null;
}

@InputType({ description: "A contract's takeover plan; writing it again replaces the earlier one." })
export class SetTakeoverPlanInput {
  @Field(() => ID, { description: 'The contract (a PurchaseContract ID), ACTIVE.' })
  contract!: string;

  @Field(() => ID, { description: "The stand-in provider: ACTIVE, not the contract's provider." })
  standInProvider!: string;

  @Field(() => [ID], { description: "The stand-in's own active resources (not another contract's capacity), one per catalogue item; together they cover every item of the contract's resources." })
  standInResources!: string[];

  @Field(() => String, { nullable: true, description: 'Arrangements agreed with the stand-in, at most 1000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Puts a contract’s takeover plan into effect.' })
export class ActivateTakeoverInput {
  @Field(() => ID, { description: 'The contract (a PurchaseContract ID), ACTIVE or TERMINATED, with a plan.' })
  contract!: string;

  @Field(() => TakeoverReason, { description: 'Why.' })
  reason!: TakeoverReason;

  @Field(() => String, { nullable: true, description: 'Notes, recorded in the history of every moved referral; at most 1000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Bans a provider until a date.' })
export class BanProviderInput {
  @Field(() => ID, { description: 'The provider (an Organization ID).' })
  provider!: string;

  @Field(() => LocalDateResolver, { description: 'Last day of the ban, today or later (Shanghai calendar).' })
  until!: string;

  @Field({ description: 'Why: breach of contract, falsified records; at most 1000 characters.' })
  reason!: string;
}

@ObjectType({ description: 'Result of setEvaluationFormula.' })
export class EvaluationFormulaPayload {
  @Field(() => EvaluationFormula, { nullable: true, description: 'The formula now in force; null when refused.' })
  formula!: EvaluationFormula | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of evaluateContract.' })
export class ContractEvaluationPayload {
  @Field(() => ContractEvaluation, { nullable: true, description: 'The evaluation; null when refused.' })
  evaluation!: ContractEvaluation | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of setTakeoverPlan.' })
export class TakeoverPlanPayload {
  @Field(() => TakeoverPlan, { nullable: true, description: 'The plan; null when refused.' })
  plan!: TakeoverPlan | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of activateTakeover.' })
export class TakeoverActivationPayload {
  @Field(() => TakeoverActivation, { nullable: true, description: 'What moved; null when refused (then nothing moved).' })
  activation!: TakeoverActivation | null;

  @Field(() => [UserError], { description: 'Why the takeover was refused; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of banProvider.' })
export class ProviderBanPayload {
  @Field(() => ProviderBan, { nullable: true, description: 'The ban; null when refused (then nothing changed).' })
  ban!: ProviderBan | null;

  @Field(() => [UserError], { description: 'Why the ban was refused; empty on success.' })
  userErrors!: UserError[];
}
