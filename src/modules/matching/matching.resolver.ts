import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, HubError } from '../../common/errors';
import { toGlobalId } from '../../common/global-id';
import type { HubContext } from '../../server/context';
import { requireId, requireIds } from '../common/ids';
import { loadOptional } from '../common/load';
import { toModel } from '../common/node.type';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { District } from '../geography/geography.types';
import { Need } from '../needs/needs.types';
import { Referral } from '../referrals/referrals.types';
import { AreaLevel, Resource } from '../resources/resources.types';
import { publishReferralChanges } from '../referrals/referrals.subscriptions';
import { findNearbyResourceFacts, supplyDemandBalance } from './matching.repository';
import { todayInShanghai } from '../../common/dates';
import { balanceRequest, matchNeedNow, runMatching, type MatchingRunResult, type ScoredEdge } from './matching.service';
import { CandidateCheck, IncompatibilityReason, MatchCandidate, MatchingRunPayload, RunMatchingInput, ScoreBreakdown, SupplyDemandCell } from './matching.types';

const COVERED_AT: readonly AreaLevel[] = [AreaLevel.COMMITTEE, AreaLevel.STREET, AreaLevel.DISTRICT];
const MAX_CANDIDATES = 50;

function payload(result: MatchingRunResult): MatchingRunPayload {
  publishReferralChanges(result.written, true);
  const { written: _written, ...counts } = result;
  return { ...counts, referralIds: result.referralIds.map((id) => toGlobalId('Referral', id)) };
}

function toCandidate(edge: ScoredEdge): MatchCandidate {
  return { resourceId: edge.resourceId, coveredAt: COVERED_AT[edge.nearness]!, freeUnits: edge.freeUnits, continuing: edge.continuing, score: edge.score };
}

@Resolver()
export class MatchingResolver {
  @Mutation(() => MatchingRunPayload, { description: 'Runs the matcher over the city, some districts or some catalogue items: the exact optimum over every compatible pair, proposed as referrals with their scores (city and district bureaus).' })
  async runMatching(@Arg('input', () => RunMatchingInput, { description: 'Where to look.' }) input: RunMatchingInput, @Ctx() ctx: HubContext): Promise<MatchingRunPayload> {
    const scope = {
      districtIds: input.districts ? requireIds(input.districts, 'District', ['input', 'districts']) : undefined,
      categoryIds: input.categories ? requireIds(input.categories, 'ServiceCategory', ['input', 'categories']) : undefined,
    };
    return payload(await runMatching(ctx.db, ctx, scope, ctx.config.referralAnswerDays));
  }

  @Mutation(() => MatchingRunPayload, { description: 'Matches one need now: its best compatible resources with room get referrals at once.' })
  async matchNeedNow(@Arg('id', () => ID, { description: 'The OPEN or MATCHED need.' }) id: string, @Ctx() ctx: HubContext): Promise<MatchingRunPayload> {
    const need = await ctx.loaders.need.load(requireId(id, 'Need', ['id']));
    if (!need) throw new HubError('NOT_FOUND', 'No need with this ID is visible to you');
    return payload(await matchNeedNow(ctx.db, ctx, need, ctx.config.referralAnswerDays));
  }

  @Query(() => [SupplyDemandCell], { description: 'Open units of need against free units of supply, per district and catalogue item: where supply is short (signed-in users).' })
  async supplyDemandBalance(
    @Arg('districts', () => [ID], { nullable: true, description: 'Only these districts.' }) districts: string[] | undefined,
    @Arg('categories', () => [ID], { nullable: true, description: 'Only these catalogue items.' }) categories: string[] | undefined,
    @Ctx() ctx: HubContext,
  ): Promise<SupplyDemandCell[]> {
    const rows = await supplyDemandBalance(ctx.reportingDb, balanceRequest({ districts, categories }, ctx.viewer));
    // The cells' districts and catalogue items came with them: showing them costs no statement.
    // On a replica they are the replica's rows, reference data that lags its primary by a moment at most.
    return rows.map(({ district, category, ...cell }) => toModel(SupplyDemandCell, { ...cell, district: toModel(District, district), category: toModel(ServiceCategory, category) }));
  }
}

@Resolver(() => Need)
export class NeedCandidatesResolver {
  @FieldResolver(() => [MatchCandidate], { description: 'Compatible resources with free units for this need, best first, each with its score; empty when the need wants no more units.' })
  async candidates(@Root() need: Need, @Arg('first', () => Int, { defaultValue: 10, description: `How many, at most ${MAX_CANDIDATES}.` }) first: number, @Ctx() ctx: HubContext): Promise<MatchCandidate[]> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_CANDIDATES) throw badInput(['first'], `first must be an integer from 0 to ${MAX_CANDIDATES}`);
    return (await ctx.loaders.candidatesOfNeed.load(need.id)).slice(0, first).map(toCandidate);
  }
}

@Resolver(() => Need)
export class NeedCandidateCheckResolver {
  @FieldResolver(() => [CandidateCheck], {
    description: "Every resource of the need's catalogue item with any area in its district, with why each is or is not a candidate. Two statements per need: ask it of one need at a time.",
  })
  async candidateChecks(@Root() need: Need, @Arg('first', () => Int, { defaultValue: 20, description: `How many, at most ${MAX_CANDIDATES}.` }) first: number, @Ctx() ctx: HubContext): Promise<CandidateCheck[]> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_CANDIDATES) throw badInput(['first'], `first must be an integer from 0 to ${MAX_CANDIDATES}`);
    const facts = await findNearbyResourceFacts(ctx.db, need.id, todayInShanghai(), first);
    return facts.map((f) => {
      const reasons: IncompatibilityReason[] = [];
      if (f.nearness === null) reasons.push(IncompatibilityReason.OUTSIDE_AREA);
      if (!f.eligible) reasons.push(IncompatibilityReason.NOT_ELIGIBLE);
      if (f.freeUnits <= 0) reasons.push(IncompatibilityReason.NO_FREE_UNITS);
      if (f.status !== 'ACTIVE') reasons.push(IncompatibilityReason.RESOURCE_NOT_ACTIVE);
      if (!f.providerActive) reasons.push(IncompatibilityReason.PROVIDER_NOT_ACTIVE);
      if (!f.inWindow) reasons.push(IncompatibilityReason.OUTSIDE_WINDOW);
      if (f.declinedBefore) reasons.push(IncompatibilityReason.DECLINED_BEFORE);
      return { resourceId: f.resourceId, compatible: reasons.length === 0, reasons, freeUnits: Math.max(0, f.freeUnits) };
    });
  }
}

@Resolver(() => CandidateCheck)
export class CandidateCheckResolver {
  @FieldResolver(() => Resource, { nullable: true, description: 'The resource; null when the viewer may not see it.' })
  resource(@Root() check: CandidateCheck, @Ctx() ctx: HubContext): Promise<Resource | null> {
    return loadOptional(ctx.loaders.resource, check.resourceId, Resource);
  }
}

@Resolver(() => MatchCandidate)
export class MatchCandidateResolver {
  @FieldResolver(() => Resource, { nullable: true, description: 'The resource; null when the viewer may not see it.' })
  resource(@Root() candidate: MatchCandidate, @Ctx() ctx: HubContext): Promise<Resource | null> {
    return loadOptional(ctx.loaders.resource, candidate.resourceId, Resource);
  }
}

@Resolver(() => Referral)
export class ReferralScoreResolver {
  @FieldResolver(() => ScoreBreakdown, { nullable: true, description: "The matcher's score of this pair and its parts; null for a manual referral." })
  scoreBreakdown(@Root() referral: Referral & { score: number | null; scoreParts: Record<string, number> | null }): ScoreBreakdown | null {
    if (referral.score === null || !referral.scoreParts) return null;
    const p = referral.scoreParts;
    return { urgency: p.urgency ?? 0, nearness: p.nearness ?? 0, quality: p.quality ?? 0, continuity: p.continuity ?? 0, waiting: p.waiting ?? 0, total: referral.score };
  }
}

