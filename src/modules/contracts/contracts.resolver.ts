import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SafeIntResolver } from 'graphql-scalars';
import { encodeCursor } from '../../common/cursor';
import { badInput } from '../../common/errors';
import { resolvePageRequest } from '../../db/paginate';
import { purchaseProjects } from '../../db/schema';
import type { HubContext } from '../../server/context';
import { reportVisibility } from '../capacity/capacity.service';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel, toModels } from '../common/node.type';
import { District, Street } from '../geography/geography.types';
import { Organization } from '../organizations/organizations.types';
import { Resource } from '../resources/resources.types';
import { countFinanceProjects, financeByProject, financeByPurchaser, financeByYear, listContracts, type ContractListFilter, type FinanceFilter, type FinanceRow } from './contracts.repository';
import { decideMilestonePayment, endContract, requestMilestonePayment, signContract, startContractService, type ContractResult, type PaymentResult } from './contracts.service';
import {
  ContractArea,
  ContractDisclosure,
  ContractDisclosureConnection,
  ContractFilter,
  ContractMilestone,
  ContractPayload,
  DecideMilestonePaymentInput,
  DisclosedMilestone,
  EndContractInput,
  MilestonePayment,
  MilestonePaymentPayload,
  ProjectFinance,
  ProjectFinanceConnection,
  PurchaseContract,
  PurchaseContractConnection,
  PurchaseFinanceFilter,
  PurchaserFinance,
  RequestMilestonePaymentInput,
  StartContractServiceInput,
  SignContractInput,
  YearFinance,
} from './contracts.types';

function contractPayload(result: ContractResult): ContractPayload {
  return { contract: result.row ? toModel(PurchaseContract, result.row) : null, userErrors: result.userErrors };
}

function paymentPayload(result: PaymentResult): MilestonePaymentPayload {
  return { payment: result.row ? toModel(MilestonePayment, result.row) : null, userErrors: result.userErrors };
}

function contractFilter(filter: ContractFilter | undefined): ContractListFilter {
  return {
    providerIds: filter?.providers ? requireIds(filter.providers, 'Organization', ['filter', 'providers']) : undefined,
    projectIds: filter?.projects ? requireIds(filter.projects, 'PurchaseProject', ['filter', 'projects']) : undefined,
    statuses: filter?.statuses ?? undefined,
  };
}

function financeFilter(filter: PurchaseFinanceFilter | undefined): FinanceFilter {
  return {
    fiscalYears: filter?.fiscalYears ?? undefined,
    purchaserIds: filter?.purchasers ? requireIds(filter.purchasers, 'Organization', ['filter', 'purchasers']) : undefined,
  };
}

const figures = (row: FinanceRow) => ({ projects: row.projects, budgetFen: row.budgetFen, committedFen: row.committedFen, paidFen: row.paidFen, pendingFen: row.pendingFen });
const contractsArg = { nullable: true, description: 'Which contracts to list.' } as const;
const financeArg = { nullable: true, description: 'Which projects to count.' } as const;

@Resolver(() => PurchaseContract)
export class PurchaseContractResolver {
  @Query(() => PurchaseContractConnection, { description: 'Purchase contracts the viewer may read in full (purchasers in scope, finance, auditors, the provider its own), oldest first.' })
  async contracts(@Arg('filter', () => ContractFilter, contractsArg) filter: ContractFilter | undefined, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<PurchaseContract>> {
    return toConnection(PurchaseContractConnection, PurchaseContract, await listContracts(ctx.db, ctx.visible.Contract, contractFilter(filter), page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Organization, { description: 'The contracted provider (承接主体).' })
  provider(@Root() contract: PurchaseContract, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, contract.providerId, Organization);
  }

  @FieldResolver(() => [ContractArea], { description: 'Where the service is delivered.' })
  async areas(@Root() contract: PurchaseContract, @Ctx() ctx: HubContext): Promise<ContractArea[]> {
    return toModels(ContractArea, await ctx.loaders.areasOfContract.load(contract.id));
  }

  @FieldResolver(() => [ContractMilestone], { description: 'Its payment milestones, in order.' })
  async milestones(@Root() contract: PurchaseContract, @Ctx() ctx: HubContext): Promise<ContractMilestone[]> {
    return toModels(ContractMilestone, await ctx.loaders.milestonesOfContract.load(contract.id));
  }

  @FieldResolver(() => [Resource], { description: 'Its capacity as supply: the CONTRACT_FUNDED resources of its provider (those the viewer may see).' })
  async resources(@Root() contract: PurchaseContract, @Ctx() ctx: HubContext): Promise<Resource[]> {
    return toModels(Resource, await ctx.loaders.resourcesOfContract.load(contract.id));
  }

  @FieldResolver(() => SafeIntResolver, { description: 'Paid so far: approved milestone payments, in fen.' })
  async paidFen(@Root() contract: PurchaseContract, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.paymentTotalsOfContract.load(contract.id)).approvedFen;
  }

  @FieldResolver(() => SafeIntResolver, { description: 'Requested and waiting for finance, in fen. paidFen + pendingFen never exceeds amountFen.' })
  async pendingFen(@Root() contract: PurchaseContract, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.paymentTotalsOfContract.load(contract.id)).pendingFen;
  }

  @Mutation(() => ContractPayload, {
    description:
      'Signs the contract of an AWARDED project with its awarded provider. Refused with one MISSING_CONTRACT_TERM error per missing required term; on success the project is CONTRACTED and the contract’s capacity becomes CONTRACT_FUNDED resources of the provider in its areas and term.',
  })
  async signContract(@Arg('input', () => SignContractInput, { description: 'The project and the contract’s terms.' }) input: SignContractInput, @Ctx() ctx: HubContext): Promise<ContractPayload> {
    return contractPayload(await signContract(ctx.db, ctx, input));
  }

  @Mutation(() => ContractPayload, { description: "Records that a signed contract's service has begun (项目实施): its project moves from CONTRACTED to IN_PROGRESS." })
  async startContractService(@Arg('input', () => StartContractServiceInput, { description: 'The contract.' }) input: StartContractServiceInput, @Ctx() ctx: HubContext): Promise<ContractPayload> {
    return contractPayload(await startContractService(ctx.db, ctx, input));
  }

  @Mutation(() => ContractPayload, { description: 'Ends an ACTIVE contract (completed or terminated) and closes its resources; refused while referrals to them are live (finish them, or use the takeover plan).' })
  async endContract(@Arg('input', () => EndContractInput, { description: 'The contract, how it ends and why.' }) input: EndContractInput, @Ctx() ctx: HubContext): Promise<ContractPayload> {
    return contractPayload(await endContract(ctx.db, ctx, input));
  }
}

@Resolver(() => ContractDisclosure)
export class ContractDisclosureResolver {
  @Query(() => ContractDisclosureConnection, { description: 'Public disclosure of purchase contracts (§3(6)): provider, subject, amount, term, areas and payments made; open to everyone, no personal data. Oldest first.' })
  async contractDisclosures(@Arg('filter', () => ContractFilter, contractsArg) filter: ContractFilter | undefined, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<ContractDisclosure>> {
    return toConnection(ContractDisclosureConnection, ContractDisclosure, await listContracts(ctx.db, undefined, contractFilter(filter), page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Organization, { description: 'The contracted provider.' })
  provider(@Root() contract: ContractDisclosure, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, contract.providerId, Organization);
  }

  @FieldResolver(() => [ContractArea], { description: 'Where the service is delivered.' })
  async areas(@Root() contract: ContractDisclosure, @Ctx() ctx: HubContext): Promise<ContractArea[]> {
    return toModels(ContractArea, await ctx.loaders.areasOfContract.load(contract.id));
  }

  @FieldResolver(() => [DisclosedMilestone], { description: 'Its payment milestones, in order, with what has been paid of each.' })
  async milestones(@Root() contract: ContractDisclosure, @Ctx() ctx: HubContext): Promise<DisclosedMilestone[]> {
    return toModels(DisclosedMilestone, await ctx.loaders.milestonesOfContract.load(contract.id));
  }

  @FieldResolver(() => SafeIntResolver, { description: 'Paid so far (approved payments), in fen.' })
  async paidFen(@Root() contract: ContractDisclosure, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.paymentTotalsOfContract.load(contract.id)).approvedFen;
  }
}

@Resolver(() => DisclosedMilestone)
export class DisclosedMilestoneResolver {
  @FieldResolver(() => SafeIntResolver, { description: 'Paid of this milestone (approved payments), in fen.' })
  async paidFen(@Root() milestone: DisclosedMilestone, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.paymentTotalsOfMilestone.load(milestone.id)).approvedFen;
  }
}

@Resolver(() => ContractMilestone)
export class ContractMilestoneResolver {
  @FieldResolver(() => PurchaseContract, { nullable: true, description: 'Its contract.' })
  contract(@Root() milestone: ContractMilestone, @Ctx() ctx: HubContext): Promise<PurchaseContract | null> {
    return loadOptional(ctx.loaders.purchaseContract, milestone.contractId, PurchaseContract);
  }

  @FieldResolver(() => [MilestonePayment], { description: 'Payments asked for against it, oldest first.' })
  async payments(@Root() milestone: ContractMilestone, @Ctx() ctx: HubContext): Promise<MilestonePayment[]> {
    return toModels(MilestonePayment, await ctx.loaders.paymentsOfMilestone.load(milestone.id));
  }

  @FieldResolver(() => SafeIntResolver, { description: 'Approved payments of it, in fen.' })
  async paidFen(@Root() milestone: ContractMilestone, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.paymentTotalsOfMilestone.load(milestone.id)).approvedFen;
  }

  @FieldResolver(() => SafeIntResolver, { description: 'Pending payments of it, in fen.' })
  async pendingFen(@Root() milestone: ContractMilestone, @Ctx() ctx: HubContext): Promise<number> {
    return (await ctx.loaders.paymentTotalsOfMilestone.load(milestone.id)).pendingFen;
  }
}

@Resolver(() => MilestonePayment)
export class MilestonePaymentResolver {
  @FieldResolver(() => ContractMilestone, { nullable: true, description: 'The milestone paid.' })
  milestone(@Root() payment: MilestonePayment, @Ctx() ctx: HubContext): Promise<ContractMilestone | null> {
    return loadOptional(ctx.loaders.contractMilestone, payment.milestoneId, ContractMilestone);
  }

  @Mutation(() => MilestonePaymentPayload, { description: 'The purchaser asks for the payment of a milestone; PENDING and APPROVED payments never exceed the milestone nor the contract amount.' })
  async requestMilestonePayment(@Arg('input', () => RequestMilestonePaymentInput, { description: 'The milestone and amount.' }) input: RequestMilestonePaymentInput, @Ctx() ctx: HubContext): Promise<MilestonePaymentPayload> {
    return paymentPayload(await requestMilestonePayment(ctx.db, ctx, input));
  }

  @Mutation(() => MilestonePaymentPayload, { description: 'A finance officer approves a PENDING payment (never one they asked for). Approving again changes nothing.' })
  async approveMilestonePayment(@Arg('input', () => DecideMilestonePaymentInput, { description: 'The payment.' }) input: DecideMilestonePaymentInput, @Ctx() ctx: HubContext): Promise<MilestonePaymentPayload> {
    return paymentPayload(await decideMilestonePayment(ctx.db, ctx, 'APPROVED', input));
  }

  @Mutation(() => MilestonePaymentPayload, { description: 'A finance officer rejects a PENDING payment, with the reason; its amount no longer counts against the contract.' })
  async rejectMilestonePayment(@Arg('input', () => DecideMilestonePaymentInput, { description: 'The payment and why.' }) input: DecideMilestonePaymentInput, @Ctx() ctx: HubContext): Promise<MilestonePaymentPayload> {
    return paymentPayload(await decideMilestonePayment(ctx.db, ctx, 'REJECTED', input));
  }
}

@Resolver(() => ContractArea)
export class ContractAreaResolver {
  @FieldResolver(() => District, { description: 'The district (of the street, for a street entry).' })
  district(@Root() area: ContractArea, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, area.districtId, District);
  }

  @FieldResolver(() => Street, { nullable: true, description: 'The street or town; null when the whole district is served.' })
  street(@Root() area: ContractArea, @Ctx() ctx: HubContext): Promise<Street | null> {
    return loadOptional(ctx.loaders.street, area.streetId, Street);
  }
}

@Resolver()
export class PurchaseFinanceResolver {
  @Query(() => ProjectFinanceConnection, { description: 'Finance view per project (§3(7)): budget, committed and paid, by project ID. Finance and civil affairs in scope.' })
  async purchaseFinanceByProject(@Arg('filter', () => PurchaseFinanceFilter, financeArg) filter: PurchaseFinanceFilter | undefined, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<ProjectFinance>> {
    const visibility = reportVisibility(ctx.viewer, 'PurchaseFinance');
    const request = resolvePageRequest(page, [{ column: purchaseProjects.id }], ctx.config.maxPageSize);
    if (request.backward || request.before) throw badInput(['last'], 'This report pages forward only: use first and after');
    const where = financeFilter(filter);
    const rows = await financeByProject(ctx.db, visibility, where, request.after?.[0] as number | undefined, request.limit + 1);
    const shown = rows.slice(0, request.limit);
    return toConnection(ProjectFinanceConnection, ProjectFinance, {
      rows: shown.map((row) => ({ projectId: row.key, purchaserId: row.project!.purchaserId, title: row.project!.title, fiscalYear: row.project!.fiscalYear, status: row.project!.status, ...figures(row) })),
      cursors: shown.map((row) => encodeCursor([row.key])),
      hasNextPage: rows.length > request.limit,
      hasPreviousPage: request.after !== undefined,
      totalCount: () => countFinanceProjects(ctx.db, visibility, where),
    });
  }

  @Query(() => [PurchaserFinance], { description: 'Finance view per purchasing department (§3(7)): budget, committed and paid. Finance and civil affairs in scope.' })
  async purchaseFinanceByPurchaser(@Arg('filter', () => PurchaseFinanceFilter, financeArg) filter: PurchaseFinanceFilter | undefined, @Ctx() ctx: HubContext): Promise<PurchaserFinance[]> {
    const rows = await financeByPurchaser(ctx.db, reportVisibility(ctx.viewer, 'PurchaseFinance'), financeFilter(filter));
    return toModels(PurchaserFinance, rows.map((row) => ({ purchaserId: row.key, ...figures(row) })));
  }

  @Query(() => [YearFinance], { description: 'Finance view per fiscal year (§3(7)): budget, committed and paid. Finance and civil affairs in scope.' })
  async purchaseFinanceByYear(@Arg('filter', () => PurchaseFinanceFilter, financeArg) filter: PurchaseFinanceFilter | undefined, @Ctx() ctx: HubContext): Promise<YearFinance[]> {
    const rows = await financeByYear(ctx.db, reportVisibility(ctx.viewer, 'PurchaseFinance'), financeFilter(filter));
    return toModels(YearFinance, rows.map((row) => ({ fiscalYear: row.key, ...figures(row) })));
  }
}

@Resolver(() => PurchaserFinance)
export class PurchaserFinanceResolver {
  @FieldResolver(() => Organization, { description: 'The purchasing department.' })
  purchaser(@Root() row: PurchaserFinance, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, row.purchaserId, Organization);
  }
}

@Resolver(() => ProjectFinance)
export class ProjectFinanceResolver {
  @FieldResolver(() => Organization, { description: 'The purchasing department.' })
  purchaser(@Root() row: ProjectFinance, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, row.purchaserId, Organization);
  }
}
