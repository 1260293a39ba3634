import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { todayInShanghai } from '../../common/dates';
import type { HubContext } from '../../server/context';
import { hubPubSub, TOPICS } from '../../server/pubsub';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel } from '../common/node.type';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { Committee, District, Street } from '../geography/geography.types';
import { Case, Household } from '../households/households.types';
import { findNeedsByIds, listNeeds, type NeedListFilter, type NeedOrdering } from './needs.repository';
import { matchNeedNow } from '../matching/matching.service';
import { publishReferralChanges } from '../referrals/referrals.subscriptions';
import { createNeed, updateNeed, withdrawNeed, type NeedResult } from './needs.service';
import { CreateNeedInput, Need, NeedConnection, NeedFilter, NeedOrder, NeedOrderField, NeedPayload, OrderDirection, UpdateNeedInput, WithdrawNeedInput } from './needs.types';

export function toListFilter(filter: NeedFilter | undefined): NeedListFilter {
  if (!filter) return {};
  const ids = (values: string[] | null | undefined, type: string, name: string) => (values ? requireIds(values, type, ['filter', name]) : undefined);
  return {
    districtIds: ids(filter.districts, 'District', 'districts'),
    streetIds: ids(filter.streets, 'Street', 'streets'),
    committeeIds: ids(filter.committees, 'Committee', 'committees'),
    categoryIds: ids(filter.categories, 'ServiceCategory', 'categories'),
    urgencies: filter.urgencies ?? undefined,
    statuses: filter.statuses ?? undefined,
    createdFrom: filter.createdFrom ?? undefined,
    createdBefore: filter.createdBefore ?? undefined,
    wantedFrom: filter.wantedFrom ?? undefined,
    wantedUntil: filter.wantedUntil ?? undefined,
  };
}

/** The list order that `needs(orderBy:)` asks for: oldest first by default. */
export function toOrdering(orderBy: NeedOrder | undefined): NeedOrdering {
  return { by: orderBy?.field ?? NeedOrderField.CREATED_AT, descending: orderBy?.direction === OrderDirection.DESC };
}

function payload(result: NeedResult): NeedPayload {
  return { need: result.row ? toModel(Need, result.row) : null, userErrors: result.userErrors };
}

const DAY_MS = 86_400_000;

@Resolver(() => Need)
export class NeedResolver {
  @Query(() => NeedConnection, { description: 'Needs across the city, filtered by place, category, urgency, status and dates; oldest first unless ordered otherwise.' })
  async needs(
    @Arg('filter', () => NeedFilter, { nullable: true, description: 'Which needs to list.' }) filter: NeedFilter | undefined,
    @Arg('orderBy', () => NeedOrder, { nullable: true, description: 'Ordering; default oldest first.' }) orderBy: NeedOrder | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Need>> {
    return toConnection(NeedConnection, Need, await listNeeds(ctx.db, ctx.visible.Need, toListFilter(filter), toOrdering(orderBy), page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household in need; null when the viewer may not see it.' })
  household(@Root() need: Need, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, need.householdId, Household);
  }

  @FieldResolver(() => Case, { nullable: true, description: 'The case the need is filed under, if any.' })
  case(@Root() need: Need, @Ctx() ctx: HubContext): Promise<Case | null> {
    return loadOptional(ctx.loaders.caseById, need.caseId, Case);
  }

  @FieldResolver(() => ServiceCategory, { description: 'What is needed: an item of the service catalogue.' })
  category(@Root() need: Need, @Ctx() ctx: HubContext): Promise<ServiceCategory> {
    return loadRequired(ctx.loaders.serviceCategory, need.categoryId, ServiceCategory);
  }

  @FieldResolver(() => Committee, { description: "Where the need is: the household's community when it was recorded." })
  committee(@Root() need: Need, @Ctx() ctx: HubContext): Promise<Committee> {
    return loadRequired(ctx.loaders.committee, need.committeeId, Committee);
  }

  @FieldResolver(() => Street, { description: 'Street or town of the need.' })
  street(@Root() need: Need, @Ctx() ctx: HubContext): Promise<Street> {
    return loadRequired(ctx.loaders.street, need.streetId, Street);
  }

  @FieldResolver(() => District, { description: 'District of the need.' })
  district(@Root() need: Need, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, need.districtId, District);
  }

  @FieldResolver(() => Int, { description: 'Whole days since the need was recorded.' })
  waitingDays(@Root() need: Need): number {
    return Math.max(0, Math.floor((Date.now() - need.createdAt.getTime()) / DAY_MS));
  }

  @FieldResolver(() => Boolean, { description: "True when the deadline has passed (Shanghai calendar) and the need is still OPEN." })
  overdue(@Root() need: Need): boolean {
    return need.status === 'OPEN' && need.deadline !== null && need.deadline < todayInShanghai();
  }

  @Mutation(() => NeedPayload, { description: 'Records a new need of a household.' })
  async createNeed(@Arg('input', () => CreateNeedInput, { description: 'The need.' }) input: CreateNeedInput, @Ctx() ctx: HubContext): Promise<NeedPayload> {
    const result = await createNeed(ctx.db, ctx, input);
    if (!result.row || !input.matchNow) return payload(result);
    // The need is committed first: a failed match leaves it recorded and OPEN.
    const run = await matchNeedNow(ctx.db, ctx, result.row, ctx.config.referralAnswerDays);
    publishReferralChanges(run.written, true);
    const [row] = await findNeedsByIds(ctx.db, ctx.visible.Need, [result.row.id]);
    return payload({ row: row ?? result.row, userErrors: [] });
  }

  @Mutation(() => NeedPayload, { description: 'Changes an OPEN need.' })
  async updateNeed(@Arg('input', () => UpdateNeedInput, { description: 'The changes.' }) input: UpdateNeedInput, @Ctx() ctx: HubContext): Promise<NeedPayload> {
    return payload(await updateNeed(ctx.db, ctx, input));
  }

  @Mutation(() => NeedPayload, { description: 'Withdraws an OPEN or MATCHED need, with a reason.' })
  async withdrawNeed(@Arg('input', () => WithdrawNeedInput, { description: 'The need and the reason.' }) input: WithdrawNeedInput, @Ctx() ctx: HubContext): Promise<NeedPayload> {
    const result = await withdrawNeed(ctx.db, ctx, input);
    if (result.row) hubPubSub.publish(TOPICS.needStatusChanged, { needId: result.row.id });
    return payload(result);
  }
}

@Resolver(() => Household)
export class HouseholdNeedsResolver {
  @FieldResolver(() => NeedConnection, { description: 'Needs of this household, oldest first.' })
  async needs(@Root() household: Household, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Need>> {
    return toConnection(NeedConnection, Need, await ctx.loaders.needsOfHousehold.load({ parentId: household.id, request: page }));
  }
}

@Resolver(() => Case)
export class CaseNeedsResolver {
  @FieldResolver(() => NeedConnection, { description: 'Needs filed under this case, oldest first.' })
  async needs(@Root() householdCase: Case, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Need>> {
    return toConnection(NeedConnection, Need, await ctx.loaders.needsOfCase.load({ parentId: householdCase.id, request: page }));
  }
}
