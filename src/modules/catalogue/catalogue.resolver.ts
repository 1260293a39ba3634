import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { toModel } from '../common/node.type';
import { listServiceCategories } from './catalogue.repository';
import { createServiceCategory, setServiceCategoryRetired, updateServiceCategory, type CatalogueResult } from './catalogue.service';
import {
  CatalogueGroup,
  CreateServiceCategoryInput,
  ServiceCategory,
  ServiceCategoryConnection,
  ServiceCategoryPayload,
  UpdateServiceCategoryInput,
} from './catalogue.types';

function payload(result: CatalogueResult): ServiceCategoryPayload {
  return { serviceCategory: result.row ? toModel(ServiceCategory, result.row) : null, userErrors: result.userErrors };
}

@Resolver(() => ServiceCategory)
export class ServiceCategoryResolver {
  @Query(() => ServiceCategoryConnection, { description: 'The service catalogue (项目目录), in catalogue order. Public.' })
  async serviceCategories(
    @Arg('group', () => CatalogueGroup, { nullable: true, description: 'Only items of this group.' }) group: CatalogueGroup | undefined,
    @Arg('includeRetired', { defaultValue: false, description: 'Also list retired items.' }) includeRetired: boolean,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<ServiceCategory>> {
    return toConnection(ServiceCategoryConnection, ServiceCategory, await listServiceCategories(ctx.db, { group, includeRetired }, page, ctx.config.maxPageSize));
  }

  @Mutation(() => ServiceCategoryPayload, { description: 'Adds an item to the service catalogue (administrators).' })
  async createServiceCategory(@Arg('input', () => CreateServiceCategoryInput, { description: 'The new item.' }) input: CreateServiceCategoryInput, @Ctx() ctx: HubContext): Promise<ServiceCategoryPayload> {
    return payload(await createServiceCategory(ctx.db, ctx, input));
  }

  @Mutation(() => ServiceCategoryPayload, { description: 'Renames or re-describes a catalogue item (administrators).' })
  async updateServiceCategory(@Arg('input', () => UpdateServiceCategoryInput, { description: 'The changes.' }) input: UpdateServiceCategoryInput, @Ctx() ctx: HubContext): Promise<ServiceCategoryPayload> {
    return payload(await updateServiceCategory(ctx.db, ctx, input));
  }

  @Mutation(() => ServiceCategoryPayload, { description: 'Retires a catalogue item: existing needs and resources keep it, new ones cannot use it (administrators).' })
  async retireServiceCategory(@Arg('id', () => ID, { description: 'ID of the ServiceCategory.' }) id: string, @Ctx() ctx: HubContext): Promise<ServiceCategoryPayload> {
    return payload(await setServiceCategoryRetired(ctx.db, ctx, id, true));
  }

  @Mutation(() => ServiceCategoryPayload, { description: 'Brings a retired catalogue item back into use (administrators).' })
  async reinstateServiceCategory(@Arg('id', () => ID, { description: 'ID of the ServiceCategory.' }) id: string, @Ctx() ctx: HubContext): Promise<ServiceCategoryPayload> {
    return payload(await setServiceCategoryRetired(ctx.db, ctx, id, false));
  }
}
