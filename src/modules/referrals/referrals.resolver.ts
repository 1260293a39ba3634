import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireIds } from '../common/ids';
import { loadOptional } from '../common/load';
import { toModel } from '../common/node.type';
import { Need } from '../needs/needs.types';
import { Organization } from '../organizations/organizations.types';
import { Resource } from '../resources/resources.types';
import { listReferrals } from './referrals.repository';
import { publishReferralChanges } from './referrals.subscriptions';
import { moveReferral, proposeReferral, type ReferralResult } from './referrals.service';
import { ReferralStatus } from './referrals.transitions';
import {
  CompleteReferralInput,
  ProposeReferralInput,
  Referral,
  ReferralConnection,
  ReferralEvent,
  ReferralEventConnection,
  ReferralFilter,
  ReferralPayload,
  ReferralStepInput,
} from './referrals.types';

function payload(result: ReferralResult, proposed = false): ReferralPayload {
  if (result.row) publishReferralChanges([result.row], proposed);
  return { referral: result.row ? toModel(Referral, result.row) : null, userErrors: result.userErrors };
}

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => ReferralConnection, { description: "Referrals the viewer may see, oldest first; with `providers` and `statuses: [PROPOSED]`, a provider's inbox." })
  async referrals(
    @Arg('filter', () => ReferralFilter, { nullable: true, description: 'Which referrals to list.' }) filter: ReferralFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Referral>> {
    const listFilter = {
      statuses: filter?.statuses ?? undefined,
      providerIds: filter?.providers ? requireIds(filter.providers, 'Organization', ['filter', 'providers']) : undefined,
      resourceIds: filter?.resources ? requireIds(filter.resources, 'Resource', ['filter', 'resources']) : undefined,
      needIds: filter?.needs ? requireIds(filter.needs, 'Need', ['filter', 'needs']) : undefined,
    };
    return toConnection(ReferralConnection, Referral, await listReferrals(ctx.db, ctx.visible.Referral, listFilter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Need, { nullable: true, description: 'The need referred; null when the viewer may not see it.' })
  need(@Root() referral: Referral, @Ctx() ctx: HubContext): Promise<Need | null> {
    return loadOptional(ctx.loaders.need, referral.needId, Need);
  }

  @FieldResolver(() => Resource, { nullable: true, description: 'The resource it was sent to; null when the viewer may not see it.' })
  resource(@Root() referral: Referral, @Ctx() ctx: HubContext): Promise<Resource | null> {
    return loadOptional(ctx.loaders.resource, referral.resourceId, Resource);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The provider of the resource.' })
  provider(@Root() referral: Referral, @Ctx() ctx: HubContext): Promise<Organization | null> {
    return loadOptional(ctx.loaders.organization, referral.providerId, Organization);
  }

  @FieldResolver(() => ReferralEventConnection, { description: 'Every step of the referral, oldest first: who, when, why.' })
  async history(@Root() referral: Referral, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<ReferralEvent>> {
    return toConnection(ReferralEventConnection, ReferralEvent, await ctx.loaders.eventsOfReferral.load({ parentId: referral.id, request: page }));
  }

  @Mutation(() => ReferralPayload, { description: 'Sends a need to a chosen resource by hand, with a reason; its units are reserved at once.' })
  async proposeReferral(@Arg('input', () => ProposeReferralInput, { description: 'The referral.' }) input: ProposeReferralInput, @Ctx() ctx: HubContext): Promise<ReferralPayload> {
    return payload(await proposeReferral(ctx.db, ctx, input, { answerDays: ctx.config.referralAnswerDays }), true);
  }

  @Mutation(() => ReferralPayload, { description: 'The provider accepts a proposed referral.' })
  async acceptReferral(@Arg('input', () => ReferralStepInput, { description: 'The referral.' }) input: ReferralStepInput, @Ctx() ctx: HubContext): Promise<ReferralPayload> {
    return payload(await moveReferral(ctx.db, ctx, { referral: input.id, to: ReferralStatus.ACCEPTED, reason: input.reason }));
  }

  @Mutation(() => ReferralPayload, { description: 'The provider declines a proposed referral, with a reason; its units are released.' })
  async declineReferral(@Arg('input', () => ReferralStepInput, { description: 'The referral and the reason.' }) input: ReferralStepInput, @Ctx() ctx: HubContext): Promise<ReferralPayload> {
    return payload(await moveReferral(ctx.db, ctx, { referral: input.id, to: ReferralStatus.DECLINED, reason: input.reason }));
  }

  @Mutation(() => ReferralPayload, { description: 'The provider starts delivering an accepted referral.' })
  async startReferralService(@Arg('input', () => ReferralStepInput, { description: 'The referral.' }) input: ReferralStepInput, @Ctx() ctx: HubContext): Promise<ReferralPayload> {
    return payload(await moveReferral(ctx.db, ctx, { referral: input.id, to: ReferralStatus.IN_SERVICE, reason: input.reason }));
  }

  @Mutation(() => ReferralPayload, { description: "The provider completes a referral with its outcome and the beneficiary's satisfaction." })
  async completeReferral(@Arg('input', () => CompleteReferralInput, { description: 'The referral and its outcome.' }) input: CompleteReferralInput, @Ctx() ctx: HubContext): Promise<ReferralPayload> {
    return payload(await moveReferral(ctx.db, ctx, { referral: input.id, to: ReferralStatus.COMPLETED, outcome: input.outcome, satisfaction: input.satisfaction }));
  }

  @Mutation(() => ReferralPayload, { description: 'Cancels a live referral, with a reason; its units are released.' })
  async cancelReferral(@Arg('input', () => ReferralStepInput, { description: 'The referral and the reason.' }) input: ReferralStepInput, @Ctx() ctx: HubContext): Promise<ReferralPayload> {
    return payload(await moveReferral(ctx.db, ctx, { referral: input.id, to: ReferralStatus.CANCELLED, reason: input.reason }));
  }
}

@Resolver(() => Need)
export class NeedReferralsResolver {
  @FieldResolver(() => ReferralConnection, { description: 'Referrals of this need, oldest first.' })
  async referrals(@Root() need: Need, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Referral>> {
    return toConnection(ReferralConnection, Referral, await ctx.loaders.referralsOfNeed.load({ parentId: need.id, request: page }));
  }
}

@Resolver(() => Resource)
export class ResourceReferralsResolver {
  @FieldResolver(() => ReferralConnection, { description: 'Referrals to this resource that the viewer may see, oldest first.' })
  async referrals(@Root() resource: Resource, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Referral>> {
    return toConnection(ReferralConnection, Referral, await ctx.loaders.referralsOfResource.load({ parentId: resource.id, request: page }));
  }
}
