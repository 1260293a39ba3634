import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { fromGlobalId } from '../../common/global-id';
import { badInput } from '../../common/errors';
import type { HubContext } from '../../server/context';
import { Node, toModel } from '../common/node.type';
import { NODE_TYPES } from './node.registry';

/** Most IDs one `nodes(ids:)` (or a gateway's `_entities`) call may ask for. */
export const MAX_NODES = 100;

/** An object by its global ID, through the viewer's permission-filtered loaders; null when unknown or not visible. */
export async function loadNode(globalId: string, ctx: HubContext): Promise<Node | null> {
  const decoded = fromGlobalId(globalId);
  const entry = decoded && NODE_TYPES[decoded.typeName];
  if (!decoded || !entry) return null;
  const row = await entry.loader(ctx.loaders).load(decoded.id);
  return row ? (toModel(entry.type, row) as Node) : null;
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Refetches any object by its global ID; null when nothing has that ID.' })
  node(@Arg('id', () => ID, { description: 'A global ID from any `id` field.' }) id: string, @Ctx() ctx: HubContext): Promise<Node | null> {
    return loadNode(id, ctx);
  }

  @Query(() => [Node], { nullable: 'items', description: `Refetches up to ${MAX_NODES} objects at once, in the order given; null for IDs that name nothing.` })
  nodes(@Arg('ids', () => [ID], { description: 'Global IDs from `id` fields.' }) ids: string[], @Ctx() ctx: HubContext): Promise<(Node | null)[]> {
    if (ids.length > MAX_NODES) throw badInput(['ids'], `At most ${MAX_NODES} IDs per request`);
    return Promise.all(ids.map((id) => loadNode(id, ctx)));
  }
}
