import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import { fromGlobalId } from '../../common/global-id';
import type { HubContext } from '../../server/context';
import { hubPubSub, TOPICS } from '../../server/pubsub';
import { toModel } from '../common/node.type';
import { Need } from '../needs/needs.types';
import { Referral } from './referrals.types';

export interface ReferralProposedEvent {
  readonly referralId: number;
  readonly providerId: number;
}

export interface NeedStatusEvent {
  readonly needId: number;
}

/** Announces what a committed change did; subscribers see only what their scope lets them. */
export function publishReferralChanges(referrals: readonly { id: number; providerId: number; needId: number }[], proposed: boolean): void {
  for (const referral of referrals) {
    if (proposed) hubPubSub.publish(TOPICS.referralProposed, { referralId: referral.id, providerId: referral.providerId } satisfies ReferralProposedEvent);
  }
  for (const needId of new Set(referrals.map((r) => r.needId))) hubPubSub.publish(TOPICS.needStatusChanged, { needId } satisfies NeedStatusEvent);
}

/** A subscription's loaders live as long as it does: read each event's row afresh. */
async function freshReferral(ctx: HubContext, id: number) {
  ctx.loaders.referral.clear(id);
  return ctx.loaders.referral.load(id);
}

async function freshNeed(ctx: HubContext, id: number) {
  ctx.loaders.need.clear(id);
  return ctx.loaders.need.load(id);
}

@Resolver()
export class ReferralSubscriptionResolver {
  @Subscription(() => Referral, {
    topics: TOPICS.referralProposed,
    description: "New referrals to a provider (its inbox, live), over graphql-ws; only referrals the subscriber may see arrive.",
    filter: async ({ payload, args, context }: SubscriptionHandlerData<ReferralProposedEvent, { provider: string }, HubContext>) =>
      fromGlobalId(args.provider)?.id === payload.providerId && (await freshReferral(context, payload.referralId)) !== undefined,
  })
  async referralProposed(
    @Root() event: ReferralProposedEvent,
    @Arg('provider', () => ID, { description: 'The provider (Organization ID) whose new referrals to receive.' }) _provider: string,
    @Ctx() ctx: HubContext,
  ): Promise<Referral> {
    return toModel(Referral, (await ctx.loaders.referral.load(event.referralId))!);
  }

  @Subscription(() => Need, {
    topics: TOPICS.needStatusChanged,
    description: "A need's status as it changes (matched, fulfilled, open again), over graphql-ws; only for a need the subscriber may see.",
    filter: async ({ payload, args, context }: SubscriptionHandlerData<NeedStatusEvent, { need: string }, HubContext>) =>
      fromGlobalId(args.need)?.id === payload.needId && (await freshNeed(context, payload.needId)) !== undefined,
  })
  async needStatusChanged(@Root() event: NeedStatusEvent, @Arg('need', () => ID, { description: 'The need to follow.' }) _need: string, @Ctx() ctx: HubContext): Promise<Need> {
    return toModel(Need, (await ctx.loaders.need.load(event.needId))!);
  }
}
