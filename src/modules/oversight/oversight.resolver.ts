import { Arg, Args, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mayWrite } from '../../auth/authorize';
import { HubError } from '../../common/errors';
import type { HubContext } from '../../server/context';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireId, requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel } from '../common/node.type';
import { Household } from '../households/households.types';
import { Organization } from '../organizations/organizations.types';
import { ReferralStatus } from '../referrals/referrals.transitions';
import { Resource } from '../resources/resources.types';
import { findCurrentFormula, findContractFacts, findPlanOfContract, listEvaluations, listServiceRecords } from './oversight.repository';
import { activateTakeover, banProvider, evaluateContract, mayReadEvaluationNotes, projectPlace, setEvaluationFormula, setTakeoverPlan } from './oversight.service';
import {
  ActivateTakeoverInput,
  BanProviderInput,
  CONTRACT_TYPE,
  ContractEvaluation,
  ContractEvaluationConnection,
  ContractEvaluationPayload,
  EvaluateContractInput,
  EvaluationFormula,
  EvaluationFormulaInput,
  EvaluationFormulaPayload,
  ProviderBan,
  ProviderBanPayload,
  ServiceRecord,
  ServiceRecordConnection,
  SetTakeoverPlanInput,
  TakeoverActivation,
  TakeoverActivationPayload,
  TakeoverPlan,
  TakeoverPlanPayload,
  TakeoverPlanResource,
} from './oversight.types';

@Resolver()
export class OversightResolver {
  @Query(() => EvaluationFormula, { description: 'The evaluation formula in force (public, like all purchase information).' })
  async evaluationFormula(@Ctx() ctx: HubContext): Promise<EvaluationFormula> {
    return toModel(EvaluationFormula, await findCurrentFormula(ctx.db));
  }

  @Query(() => ContractEvaluationConnection, { description: 'Public disclosure of evaluation results (§3(6)), newest first: contract, provider, the parts and the total. Open to all; no personal data.' })
  async evaluationResults(
    @Arg('providers', () => [ID], { nullable: true, description: 'Only evaluations of these providers.' }) providers: string[] | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<ContractEvaluation>> {
    const providerIds = providers ? requireIds(providers, 'Organization', ['providers']) : undefined;
    return toConnection(ContractEvaluationConnection, ContractEvaluation, await listEvaluations(ctx.db, { providerIds }, page, ctx.config.maxPageSize));
  }

  @Query(() => ServiceRecordConnection, {
    description: "Service records of a contract (服务记录): the referrals to its capacity that the viewer may see as referrals (civil affairs in scope, the provider its own), oldest first. Households appear as references; their personal fields follow the viewer's policy.",
  })
  async contractServiceRecords(
    @Arg('contract', () => ID, { description: 'The contract (a PurchaseContract ID).' }) contract: string,
    @Arg('statuses', () => [ReferralStatus], { nullable: true, description: 'Only records in these statuses.' }) statuses: ReferralStatus[] | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<ServiceRecord>> {
    const contractId = requireId(contract, CONTRACT_TYPE, ['contract']);
    return toConnection(ServiceRecordConnection, ServiceRecord, await listServiceRecords(ctx.db, ctx.visible.Referral, contractId, statuses, page, ctx.config.maxPageSize));
  }

  @Query(() => TakeoverPlan, { nullable: true, description: "A contract's takeover plan; null when it has none. For civil affairs in scope, the contract's provider and the stand-in." })
  async takeoverPlan(@Arg('contract', () => ID, { description: 'The contract (a PurchaseContract ID).' }) contract: string, @Ctx() ctx: HubContext): Promise<TakeoverPlan | null> {
    const contractId = requireId(contract, CONTRACT_TYPE, ['contract']);
    const facts = await findContractFacts(ctx.db, contractId);
    if (!facts) return null;
    const plan = await findPlanOfContract(ctx.db, contractId);
    const org = ctx.viewer.organizationId;
    const allowed = mayWrite(ctx.viewer, 'manageTakeoverPlan', projectPlace(facts)) || (org !== null && (org === facts.providerId || org === plan?.standInProviderId));
    if (!allowed) throw new HubError('FORBIDDEN', 'Takeover plans are for civil affairs in scope and the providers they name');
    return plan ? toModel(TakeoverPlan, plan) : null;
  }

  @Mutation(() => EvaluationFormulaPayload, { description: 'Sets a new evaluation formula (city civil affairs); earlier evaluations keep the formula they used.' })
  async setEvaluationFormula(@Arg('input', () => EvaluationFormulaInput, { description: 'The weights.' }) input: EvaluationFormulaInput, @Ctx() ctx: HubContext): Promise<EvaluationFormulaPayload> {
    const result = await setEvaluationFormula(ctx.db, ctx, input);
    return { formula: result.row ? toModel(EvaluationFormula, result.row) : null, userErrors: result.userErrors };
  }

  @Mutation(() => ContractEvaluationPayload, { description: "Records a contract's final performance evaluation (civil affairs); the project becomes EVALUATED and the total the provider's quality in matching." })
  async evaluateContract(@Arg('input', () => EvaluateContractInput, { description: 'The scores.' }) input: EvaluateContractInput, @Ctx() ctx: HubContext): Promise<ContractEvaluationPayload> {
    const result = await evaluateContract(ctx.db, ctx, input);
    return { evaluation: result.row ? toModel(ContractEvaluation, result.row) : null, userErrors: result.userErrors };
  }

  @Mutation(() => TakeoverPlanPayload, { description: "Writes a contract's takeover plan (临时接管预案; civil affairs)." })
  async setTakeoverPlan(@Arg('input', () => SetTakeoverPlanInput, { description: 'The plan.' }) input: SetTakeoverPlanInput, @Ctx() ctx: HubContext): Promise<TakeoverPlanPayload> {
    const result = await setTakeoverPlan(ctx.db, ctx, input);
    return { plan: result.row ? toModel(TakeoverPlan, result.row) : null, userErrors: result.userErrors };
  }

  @Mutation(() => TakeoverActivationPayload, {
    description: "Puts a contract's takeover plan into effect (civil affairs): in one transaction every live referral moves to the stand-in (the old one TRANSFERRED with the reason), held units follow, the contract becomes TAKEN_OVER and the stand-in is notified through `referralProposed`.",
  })
  async activateTakeover(@Arg('input', () => ActivateTakeoverInput, { description: 'The contract and why.' }) input: ActivateTakeoverInput, @Ctx() ctx: HubContext): Promise<TakeoverActivationPayload> {
    const result = await activateTakeover(ctx.db, ctx, input, { answerDays: ctx.config.referralAnswerDays });
    return { activation: result.row ? toModel(TakeoverActivation, result.row) : null, userErrors: result.userErrors };
  }

  @Mutation(() => ProviderBanPayload, {
    description: 'Bans a provider until a date (civil affairs, §3(6)): excluded from bids and matching through that day, and in the same transaction its active contracts are taken over by their plans (a contract without a plan is terminated and its live referrals go back to the pool).',
  })
  async banProvider(@Arg('input', () => BanProviderInput, { description: 'The provider, the last day and why.' }) input: BanProviderInput, @Ctx() ctx: HubContext): Promise<ProviderBanPayload> {
    const result = await banProvider(ctx.db, ctx, input, { answerDays: ctx.config.referralAnswerDays });
    return { ban: result.row ? toModel(ProviderBan, result.row) : null, userErrors: result.userErrors };
  }
}

/** Whether the viewer may read an evaluation's notes: checked against where the contract's project lies (one batched load). */
async function mayReadNotes(evaluation: ContractEvaluation, ctx: HubContext): Promise<boolean> {
  const brief = await ctx.loaders.contractBrief.load(evaluation.contractId);
  return brief !== undefined && mayReadEvaluationNotes(ctx.viewer, evaluation.providerId, projectPlace(brief));
}

@Resolver(() => ContractEvaluation)
export class ContractEvaluationResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Subject (标的) of the evaluated contract.' })
  async contractSubject(@Root() evaluation: ContractEvaluation, @Ctx() ctx: HubContext): Promise<string | null> {
    return (await ctx.loaders.contractBrief.load(evaluation.contractId))?.subject ?? null;
  }

  @FieldResolver(() => Organization, { description: 'The evaluated provider.' })
  provider(@Root() evaluation: ContractEvaluation, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, evaluation.providerId, Organization);
  }

  @FieldResolver(() => EvaluationFormula, { description: 'The formula the total was computed with.' })
  formula(@Root() evaluation: ContractEvaluation, @Ctx() ctx: HubContext): Promise<EvaluationFormula> {
    return loadRequired(ctx.loaders.evaluationFormula, evaluation.formulaId, EvaluationFormula);
  }

  @FieldResolver(() => Float, { nullable: true, description: "Mean rating, 1–5; null without ratings, and with fewer than the formula's minimum (a mean of one or two ratings would disclose what single beneficiaries said)." })
  async ratingsAverage(@Root() evaluation: ContractEvaluation, @Ctx() ctx: HubContext): Promise<number | null> {
    const formula = await ctx.loaders.evaluationFormula.load(evaluation.formulaId);
    return formula && evaluation.ratingsCount >= formula.minRatings ? evaluation.ratingsAverage : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Notes on the service effect; null unless the viewer may evaluate this contract or is the evaluated provider.' })
  async serviceEffectNote(@Root() evaluation: ContractEvaluation, @Ctx() ctx: HubContext): Promise<string | null> {
    return (await mayReadNotes(evaluation, ctx)) ? evaluation.serviceEffectNote : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Notes on management; null unless the viewer may evaluate this contract or is the evaluated provider.' })
  async managementNote(@Root() evaluation: ContractEvaluation, @Ctx() ctx: HubContext): Promise<string | null> {
    return (await mayReadNotes(evaluation, ctx)) ? evaluation.managementNote : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Notes on social impact; null unless the viewer may evaluate this contract or is the evaluated provider.' })
  async socialImpactNote(@Root() evaluation: ContractEvaluation, @Ctx() ctx: HubContext): Promise<string | null> {
    return (await mayReadNotes(evaluation, ctx)) ? evaluation.socialImpactNote : null;
  }
}

@Resolver(() => ServiceRecord)
export class ServiceRecordResolver {
  @FieldResolver(() => Household, { nullable: true, description: 'The household served; null unless the viewer may see it (its personal fields masked by policy).' })
  household(@Root() record: ServiceRecord, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, record.householdId, Household);
  }

  @FieldResolver(() => ServiceCategory, { description: 'What was delivered: the catalogue item.' })
  async category(@Root() record: ServiceRecord, @Ctx() ctx: HubContext): Promise<ServiceCategory> {
    const facts = await ctx.loaders.serviceFacts.load(record.id);
    return loadRequired(ctx.loaders.serviceCategory, facts!.categoryId, ServiceCategory);
  }

  @FieldResolver(() => Organization, { description: 'The provider that served it.' })
  provider(@Root() record: ServiceRecord, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, record.providerId, Organization);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When service started (the referral went IN_SERVICE); null before.' })
  async startedAt(@Root() record: ServiceRecord, @Ctx() ctx: HubContext): Promise<Date | null> {
    return (await ctx.loaders.serviceFacts.load(record.id))?.startedAt ?? null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When service was completed; null before.' })
  async completedAt(@Root() record: ServiceRecord, @Ctx() ctx: HubContext): Promise<Date | null> {
    return (await ctx.loaders.serviceFacts.load(record.id))?.completedAt ?? null;
  }
}

@Resolver(() => TakeoverPlan)
export class TakeoverPlanResolver {
  @FieldResolver(() => Organization, { description: 'The stand-in provider (接管方).' })
  standInProvider(@Root() plan: TakeoverPlan, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, plan.standInProviderId, Organization);
  }

  @FieldResolver(() => [TakeoverPlanResource], { description: "The stand-in's resource for each catalogue item." })
  async resources(@Root() plan: TakeoverPlan, @Ctx() ctx: HubContext): Promise<TakeoverPlanResource[]> {
    return (await ctx.loaders.resourcesOfPlan.load(plan.id)).map((row) => toModel(TakeoverPlanResource, row));
  }
}

@Resolver(() => TakeoverPlanResource)
export class TakeoverPlanResourceResolver {
  @FieldResolver(() => ServiceCategory, { description: 'The catalogue item.' })
  category(@Root() entry: TakeoverPlanResource, @Ctx() ctx: HubContext): Promise<ServiceCategory> {
    return loadRequired(ctx.loaders.serviceCategory, entry.categoryId, ServiceCategory);
  }

  @FieldResolver(() => Resource, { nullable: true, description: "The stand-in's resource that takes its referrals; null when the viewer may not see it." })
  resource(@Root() entry: TakeoverPlanResource, @Ctx() ctx: HubContext): Promise<Resource | null> {
    return loadOptional(ctx.loaders.resource, entry.resourceId, Resource);
  }
}

@Resolver(() => TakeoverActivation)
export class TakeoverActivationResolver {
  @FieldResolver(() => Organization, { description: 'The stand-in that took the referrals.' })
  standInProvider(@Root() activation: TakeoverActivation, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, activation.standInProviderId, Organization);
  }
}

@Resolver(() => ProviderBan)
export class ProviderBanResolver {
  @FieldResolver(() => Organization, { description: 'The banned provider.' })
  provider(@Root() ban: ProviderBan, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, ban.providerId, Organization);
  }
}

@Resolver(() => Organization)
export class OrganizationEvaluationsResolver {
  @FieldResolver(() => ContractEvaluationConnection, { description: "The provider's contract evaluations, newest first (public scores, §3(6)); what to look at when choosing providers." })
  async evaluations(@Root() organization: Organization, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<ContractEvaluation>> {
    return toConnection(ContractEvaluationConnection, ContractEvaluation, await ctx.loaders.evaluationsOfProvider.load({ parentId: organization.id, request: page }));
  }

  @FieldResolver(() => Float, { nullable: true, description: "The provider's quality in matching, 0–1: its latest evaluated total / 100; null when never evaluated (matching then uses 0.5)." })
  async qualityScore(@Root() organization: Organization, @Ctx() ctx: HubContext): Promise<number | null> {
    const total = await ctx.loaders.latestEvaluationTotal.load(organization.id);
    return total === null ? null : total / 100;
  }
}
