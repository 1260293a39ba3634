import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { HubError } from '../../common/errors';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireId, requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel, toModels } from '../common/node.type';
import type { MutationResult } from '../common/mutation';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { District, Street } from '../geography/geography.types';
import { Organization } from '../organizations/organizations.types';
import { submitBid, withdrawBid } from './bids.service';
import { rankBids } from './purchasing.scoring';
import { isPurchasingOfficial, listBids, listExperts, listProjects, listThresholds, managesProject, type BidRow, type ExpertRow, type ProjectRow } from './purchasing.repository';
import { createPurchaseProject, movePurchaseProject, setProcurementThreshold, updatePurchaseProject } from './purchasing.service';
import { AWARDED_STATUSES, PurchaseProjectStatus } from './purchasing.transitions';
import {
  AwardPurchaseProjectInput,
  Bid,
  BidConnection,
  BidPayload,
  BidResult,
  CreatePurchaseProjectInput,
  DeclareExpertLinkInput,
  ExpertLink,
  MovePurchaseProjectInput,
  ProcurementExpert,
  ProcurementExpertConnection,
  ProcurementExpertPayload,
  ProcurementThreshold,
  ProcurementThresholdPayload,
  PurchaseAward,
  PurchaseProject,
  PurchaseProjectConnection,
  PurchaseProjectEvent,
  PurchaseProjectFilter,
  PurchaseProjectPayload,
  RecordExpertScoresInput,
  RegisterExpertInput,
  ScoringCriterion,
  SetExpertPanelInput,
  SetProcurementThresholdInput,
  SetScoringCriteriaInput,
  SubmitBidInput,
  UpdatePurchaseProjectInput,
  WithdrawBidInput,
} from './purchasing.types';
import { awardPurchaseProject, declareExpertLink, recordExpertScores, registerExpert, setExpertPanel, setScoringCriteria } from './review.service';

/** Criteria are published when procurement starts; before that only the purchaser's side sees them. */
const PUBLISHED_STATUSES: readonly string[] = [PurchaseProjectStatus.PROCUREMENT, ...AWARDED_STATUSES];

function projectPayload(result: MutationResult<ProjectRow>): PurchaseProjectPayload {
  return { project: result.row ? toModel(PurchaseProject, result.row) : null, userErrors: result.userErrors };
}
function bidPayload(result: MutationResult<BidRow>): BidPayload {
  return { bid: result.row ? toModel(Bid, result.row) : null, userErrors: result.userErrors };
}
function expertPayload(result: MutationResult<ExpertRow>): ProcurementExpertPayload {
  return { expert: result.row ? toModel(ProcurementExpert, result.row) : null, userErrors: result.userErrors };
}

const manages = (ctx: HubContext, project: PurchaseProject): boolean => managesProject(ctx.visible.PurchaseProject, project);

@Resolver(() => PurchaseProject)
export class PurchaseProjectResolver {
  @Query(() => PurchaseProjectConnection, {
    description: 'Purchase projects, newest first. Open to everyone (信息公开, §3(6)) from approval on, with method, justification, budget, term, award and aggregate scores; the purchaser in scope, the city and finance also see drafts and projects under review.',
  })
  async purchaseProjects(
    @Arg('filter', () => PurchaseProjectFilter, { nullable: true, description: 'Which projects to list.' }) filter: PurchaseProjectFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<PurchaseProject>> {
    const listFilter = {
      fiscalYears: filter?.fiscalYears ?? undefined,
      districtIds: filter?.districts ? requireIds(filter.districts, 'District', ['filter', 'districts']) : undefined,
      statuses: filter?.statuses ?? undefined,
      categoryIds: filter?.categories ? requireIds(filter.categories, 'ServiceCategory', ['filter', 'categories']) : undefined,
      purchaserIds: filter?.purchasers ? requireIds(filter.purchasers, 'Organization', ['filter', 'purchasers']) : undefined,
    };
    return toConnection(PurchaseProjectConnection, PurchaseProject, await listProjects(ctx.db, ctx.visible.PurchaseProject, listFilter, page, ctx.config.maxPageSize));
  }

  @Query(() => [ProcurementThreshold], { description: 'The procurement-method thresholds in force (configuration, public), lowest budget first.' })
  async procurementThresholds(@Ctx() ctx: HubContext): Promise<ProcurementThreshold[]> {
    return toModels(ProcurementThreshold, await listThresholds(ctx.db));
  }

  @FieldResolver(() => Organization, { description: 'The purchaser (购买主体).' })
  purchaser(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, project.purchaserId, Organization);
  }

  @FieldResolver(() => District, { nullable: true, description: 'The purchaser’s district; null for the city bureau.' })
  district(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<District | null> {
    return loadOptional(ctx.loaders.district, project.districtId, District);
  }

  @FieldResolver(() => Street, { nullable: true, description: 'The purchaser’s street; null unless a street office or township buys.' })
  street(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<Street | null> {
    return loadOptional(ctx.loaders.street, project.streetId, Street);
  }

  @FieldResolver(() => [ServiceCategory], { description: 'The catalogue items (项目目录) bought.' })
  async categories(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<ServiceCategory[]> {
    return toModels(ServiceCategory, await ctx.loaders.projectCategories.load(project.id));
  }

  @FieldResolver(() => [ScoringCriterion], { description: 'The scoring criteria, in published order: public once procurement starts; before that only the purchaser’s side sees them (empty otherwise).' })
  async criteria(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<ScoringCriterion[]> {
    if (!PUBLISHED_STATUSES.includes(project.status) && !manages(ctx, project)) return [];
    return toModels(ScoringCriterion, await ctx.loaders.projectCriteria.load(project.id));
  }

  @FieldResolver(() => [ProcurementExpert], { nullable: true, description: 'The review panel: public with the award; before it, only the purchaser’s side sees it (null otherwise).' })
  async panel(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<ProcurementExpert[] | null> {
    if (!AWARDED_STATUSES.includes(project.status) && !manages(ctx, project)) return null;
    return toModels(ProcurementExpert, await ctx.loaders.projectPanel.load(project.id));
  }

  @FieldResolver(() => [Bid], { description: 'The bids the viewer may see: a provider its own, the purchaser’s side all; none for the public (see bidResults).' })
  async bids(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<Bid[]> {
    return toModels(Bid, await ctx.loaders.projectVisibleBids.load(project.id));
  }

  @FieldResolver(() => [BidResult], { nullable: true, description: 'Every bid not withdrawn with its provider, price and the experts’ aggregate, best first: public with the award, to the purchaser’s side during review; null otherwise. Proposals are never disclosed here.' })
  async bidResults(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<BidResult[] | null> {
    if (!AWARDED_STATUSES.includes(project.status) && !(manages(ctx, project) && project.status === PurchaseProjectStatus.PROCUREMENT)) return null;
    return resultsOf(project, ctx);
  }

  @FieldResolver(() => PurchaseAward, { nullable: true, description: 'The award (winning provider and price); null before it.' })
  async award(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<PurchaseAward | null> {
    if (project.awardedBidId === null) return null;
    const result = (await resultsOf(project, ctx)).find((r) => r.bidId === project.awardedBidId);
    return result ? toModel(PurchaseAward, { bidId: result.bidId, providerId: result.providerId, priceFen: result.priceFen, aggregateScore: result.aggregateScore }) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why finance last returned the project: for the purchaser’s side, the city and finance; null if never returned, and for others.' })
  returnReason(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): string | null {
    return manages(ctx, project) ? project.returnReason : null;
  }

  @FieldResolver(() => [PurchaseProjectEvent], { nullable: true, description: 'Every step, oldest first, with who, when and why: for the purchaser’s side, the city and finance; null for others.' })
  async history(@Root() project: PurchaseProject, @Ctx() ctx: HubContext): Promise<PurchaseProjectEvent[] | null> {
    if (!manages(ctx, project)) return null;
    return toModels(PurchaseProjectEvent, await ctx.loaders.projectEvents.load(project.id));
  }

  @Mutation(() => PurchaseProjectPayload, { description: 'Creates a DRAFT purchase project for a purchaser in the viewer’s scope.' })
  async createPurchaseProject(@Arg('input', () => CreatePurchaseProjectInput, { description: 'The project.' }) input: CreatePurchaseProjectInput, @Ctx() ctx: HubContext): Promise<PurchaseProjectPayload> {
    return projectPayload(await createPurchaseProject(ctx.db, ctx, input));
  }

  @Mutation(() => PurchaseProjectPayload, { description: 'Edits a DRAFT or RETURNED project.' })
  async updatePurchaseProject(@Arg('input', () => UpdatePurchaseProjectInput, { description: 'The changes.' }) input: UpdatePurchaseProjectInput, @Ctx() ctx: HubContext): Promise<PurchaseProjectPayload> {
    return projectPayload(await updatePurchaseProject(ctx.db, ctx, input));
  }

  @Mutation(() => PurchaseProjectPayload, { description: 'Takes a lifecycle step: the purchaser submits, takes back, starts procurement (publishing the criteria) and closes; finance takes up, approves (立项) or returns with a reason. Awards go through awardPurchaseProject; contract and evaluation steps through their modules.' })
  async movePurchaseProject(@Arg('input', () => MovePurchaseProjectInput, { description: 'The project, the status to move to and why.' }) input: MovePurchaseProjectInput, @Ctx() ctx: HubContext): Promise<PurchaseProjectPayload> {
    return projectPayload(await movePurchaseProject(ctx.db, ctx, input));
  }

  @Mutation(() => PurchaseProjectPayload, { description: 'Sets the scoring criteria of a project until procurement starts.' })
  async setScoringCriteria(@Arg('input', () => SetScoringCriteriaInput, { description: 'The project and its criteria.' }) input: SetScoringCriteriaInput, @Ctx() ctx: HubContext): Promise<PurchaseProjectPayload> {
    return projectPayload(await setScoringCriteria(ctx.db, ctx, input));
  }

  @Mutation(() => PurchaseProjectPayload, { description: 'Sets the review panel of an APPROVED project or one in PROCUREMENT, until scoring begins.' })
  async setExpertPanel(@Arg('input', () => SetExpertPanelInput, { description: 'The project and its experts.' }) input: SetExpertPanelInput, @Ctx() ctx: HubContext): Promise<PurchaseProjectPayload> {
    return projectPayload(await setExpertPanel(ctx.db, ctx, input));
  }

  @Mutation(() => PurchaseProjectPayload, { description: 'Awards a project in procurement to the bid the experts’ aggregate ranks first; any other bid is refused.' })
  async awardPurchaseProject(@Arg('input', () => AwardPurchaseProjectInput, { description: 'The project and the bid.' }) input: AwardPurchaseProjectInput, @Ctx() ctx: HubContext): Promise<PurchaseProjectPayload> {
    return projectPayload(await awardPurchaseProject(ctx.db, ctx, input));
  }

  @Mutation(() => ProcurementThresholdPayload, { description: 'Adds or changes a procurement-method threshold (the city).' })
  async setProcurementThreshold(@Arg('input', () => SetProcurementThresholdInput, { description: 'The threshold.' }) input: SetProcurementThresholdInput, @Ctx() ctx: HubContext): Promise<ProcurementThresholdPayload> {
    const result = await setProcurementThreshold(ctx.db, ctx, input);
    return { threshold: result.row ? toModel(ProcurementThreshold, result.row) : null, userErrors: result.userErrors };
  }
}

/** The ranked results of a project's bids (withdrawn ones left out): one batched load per level. */
async function resultsOf(project: PurchaseProject, ctx: HubContext): Promise<BidResult[]> {
  const [allBids, criteria, scores] = await Promise.all([ctx.loaders.projectAllBids.load(project.id), ctx.loaders.projectCriteria.load(project.id), ctx.loaders.projectScores.load(project.id)]);
  const live = allBids.filter((b) => b.status !== 'WITHDRAWN');
  const byId = new Map(live.map((b) => [b.id, b]));
  return rankBids(criteria, scores, live).map((r) => {
    const bid = byId.get(r.bidId)!;
    return toModel(BidResult, { bidId: bid.id, providerId: bid.providerId, priceFen: bid.priceFen, aggregateScore: r.aggregate, expertCount: r.experts, rank: r.rank, status: bid.status });
  });
}

@Resolver(() => BidResult)
export class BidResultResolver {
  @FieldResolver(() => Organization, { description: 'The bidding provider (provider names are public).' })
  provider(@Root() result: BidResult, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, result.providerId, Organization);
  }
}

@Resolver(() => PurchaseAward)
export class PurchaseAwardResolver {
  @FieldResolver(() => Organization, { description: 'The winning provider.' })
  provider(@Root() award: PurchaseAward, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, award.providerId, Organization);
  }

  @FieldResolver(() => Bid, { nullable: true, description: 'The winning bid, for viewers who may see it (the purchaser’s side, the winner).' })
  bid(@Root() award: PurchaseAward, @Ctx() ctx: HubContext): Promise<Bid | null> {
    return loadOptional(ctx.loaders.bid, award.bidId, Bid);
  }
}

@Resolver(() => Bid)
export class BidResolver {
  @Query(() => BidConnection, { description: 'Bids the viewer may see, newest first: a provider its own; the purchaser in scope those of its projects.' })
  async bids(
    @Arg('project', () => ID, { nullable: true, description: 'Only the bids of this PurchaseProject.' }) project: string | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Bid>> {
    const filter = { projectIds: project ? [requireId(project, 'PurchaseProject', ['project'])] : undefined };
    return toConnection(BidConnection, Bid, await listBids(ctx.db, ctx.visible.Bid, filter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => PurchaseProject, { nullable: true, description: 'The project bid for.' })
  project(@Root() bid: Bid, @Ctx() ctx: HubContext): Promise<PurchaseProject | null> {
    return loadOptional(ctx.loaders.purchaseProject, bid.projectId, PurchaseProject);
  }

  @FieldResolver(() => Organization, { description: 'The bidding provider.' })
  provider(@Root() bid: Bid, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, bid.providerId, Organization);
  }

  @Mutation(() => BidPayload, { description: 'A provider bids for a project in procurement, for itself; suspended and banned providers cannot.' })
  async submitBid(@Arg('input', () => SubmitBidInput, { description: 'The project, price and proposal.' }) input: SubmitBidInput, @Ctx() ctx: HubContext): Promise<BidPayload> {
    return bidPayload(await submitBid(ctx.db, ctx, input));
  }

  @Mutation(() => BidPayload, { description: 'A provider withdraws its bid while procurement runs.' })
  async withdrawBid(@Arg('input', () => WithdrawBidInput, { description: 'The bid.' }) input: WithdrawBidInput, @Ctx() ctx: HubContext): Promise<BidPayload> {
    return bidPayload(await withdrawBid(ctx.db, ctx, input));
  }

  @Mutation(() => BidPayload, { description: 'Records one expert’s score sheet for a bid (entered by the purchaser from the panel’s signed sheet); an expert linked to the bidder is refused.' })
  async recordExpertScores(@Arg('input', () => RecordExpertScoresInput, { description: 'The bid, the expert and the scores.' }) input: RecordExpertScoresInput, @Ctx() ctx: HubContext): Promise<BidPayload> {
    return bidPayload(await recordExpertScores(ctx.db, ctx, input));
  }
}

@Resolver(() => ProcurementExpert)
export class ProcurementExpertResolver {
  @Query(() => ProcurementExpertConnection, { description: 'The expert pool, oldest first: for purchasing officials (the purchasers, the city, finance).' })
  async procurementExperts(@Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<ProcurementExpert>> {
    if (!isPurchasingOfficial(ctx.visible.PurchaseProject)) throw new HubError('FORBIDDEN', 'Your roles do not allow reading the expert pool');
    return toConnection(ProcurementExpertConnection, ProcurementExpert, await listExperts(ctx.db, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization the expert works for, if any: for purchasing officials; null for others.' })
  async affiliation(@Root() expert: ProcurementExpert, @Ctx() ctx: HubContext): Promise<Organization | null> {
    if (!isPurchasingOfficial(ctx.visible.PurchaseProject)) return null;
    return loadOptional(ctx.loaders.organization, expert.affiliationId, Organization);
  }

  @FieldResolver(() => [ExpertLink], { nullable: true, description: 'Declared links to organizations (conflicts of interest): for purchasing officials; null for others.' })
  async links(@Root() expert: ProcurementExpert, @Ctx() ctx: HubContext): Promise<ExpertLink[] | null> {
    if (!isPurchasingOfficial(ctx.visible.PurchaseProject)) return null;
    return toModels(ExpertLink, await ctx.loaders.expertLinks.load(expert.id));
  }

  @Mutation(() => ProcurementExpertPayload, { description: 'Registers a review expert in the pool.' })
  async registerExpert(@Arg('input', () => RegisterExpertInput, { description: 'The expert.' }) input: RegisterExpertInput, @Ctx() ctx: HubContext): Promise<ProcurementExpertPayload> {
    return expertPayload(await registerExpert(ctx.db, ctx, input));
  }

  @Mutation(() => ProcurementExpertPayload, { description: 'Declares a link between an expert and an organization: the expert will not score its bids.' })
  async declareExpertLink(@Arg('input', () => DeclareExpertLinkInput, { description: 'The expert, the organization and the link.' }) input: DeclareExpertLinkInput, @Ctx() ctx: HubContext): Promise<ProcurementExpertPayload> {
    return expertPayload(await declareExpertLink(ctx.db, ctx, input));
  }
}

@Resolver(() => ExpertLink)
export class ExpertLinkResolver {
  @FieldResolver(() => Organization, { description: 'The organization linked.' })
  organization(@Root() link: ExpertLink, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, link.organizationId, Organization);
  }
}
