import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { fromGlobalId } from '../../common/global-id';
import { badInput } from '../../common/errors';
import type { Database } from '../../db/client';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel, toModels } from '../common/node.type';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { Committee, District, Street } from '../geography/geography.types';
import { Organization } from '../organizations/organizations.types';
import { findAreaRef, listResources, type AreaRef, type ResourceListFilter } from './resources.repository';
import { closeResource, createResource, updateResource, type ResourceResult } from './resources.service';
import { CloseResourceInput, CreateResourceInput, Resource, ResourceConnection, ResourceFilter, ResourcePayload, ServiceAreaEntry, UpdateResourceInput } from './resources.types';

const AREA_LEVELS: Readonly<Record<string, AreaRef['level']>> = { District: 'DISTRICT', Street: 'STREET', Committee: 'COMMITTEE' };

async function areaFilter(db: Database, globalId: string): Promise<AreaRef> {
  const decoded = fromGlobalId(globalId);
  const level = decoded ? AREA_LEVELS[decoded.typeName] : undefined;
  const area = decoded && level ? await findAreaRef(db, level, decoded.id) : undefined;
  if (!area) throw badInput(['filter', 'servesArea'], 'servesArea must be the ID of an existing District, Street or Committee');
  return area;
}

async function toListFilter(db: Database, filter: ResourceFilter | undefined): Promise<ResourceListFilter> {
  if (!filter) return {};
  return {
    categoryIds: filter.categories ? requireIds(filter.categories, 'ServiceCategory', ['filter', 'categories']) : undefined,
    providerIds: filter.providers ? requireIds(filter.providers, 'Organization', ['filter', 'providers']) : undefined,
    statuses: filter.statuses ?? undefined,
    servesArea: filter.servesArea ? await areaFilter(db, filter.servesArea) : undefined,
    availableOn: filter.availableOn ?? undefined,
    eligibleFor: filter.eligibleFor ?? undefined,
    isPublic: filter.isPublic ?? undefined,
  };
}

function payload(result: ResourceResult): ResourcePayload {
  return { resource: result.row ? toModel(Resource, result.row) : null, userErrors: result.userErrors };
}

@Resolver(() => Resource)
export class ResourceResolver {
  @Query(() => ResourceConnection, { description: 'Resources across the city, filtered by category, status, provider, the area they serve, availability and eligibility.' })
  async resources(
    @Arg('filter', () => ResourceFilter, { nullable: true, description: 'Which resources to list.' }) filter: ResourceFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Resource>> {
    return toConnection(ResourceConnection, Resource, await listResources(ctx.db, ctx.visible.Resource, await toListFilter(ctx.db, filter), page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Organization, { description: 'The provider or community organisation offering it.' })
  provider(@Root() resource: Resource, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, resource.providerId, Organization);
  }

  @FieldResolver(() => ServiceCategory, { description: 'What it offers: an item of the service catalogue.' })
  category(@Root() resource: Resource, @Ctx() ctx: HubContext): Promise<ServiceCategory> {
    return loadRequired(ctx.loaders.serviceCategory, resource.categoryId, ServiceCategory);
  }

  @FieldResolver(() => [ServiceAreaEntry], { description: 'Where it is offered: districts, streets or towns, and committees.' })
  async serviceArea(@Root() resource: Resource, @Ctx() ctx: HubContext): Promise<ServiceAreaEntry[]> {
    return toModels(ServiceAreaEntry, await ctx.loaders.serviceAreaOfResource.load(resource.id));
  }

  @Mutation(() => ResourcePayload, { description: 'Posts a new resource for matching.' })
  async createResource(@Arg('input', () => CreateResourceInput, { description: 'The resource.' }) input: CreateResourceInput, @Ctx() ctx: HubContext): Promise<ResourcePayload> {
    return payload(await createResource(ctx.db, ctx, input));
  }

  @Mutation(() => ResourcePayload, { description: 'Changes a resource that is not closed.' })
  async updateResource(@Arg('input', () => UpdateResourceInput, { description: 'The changes.' }) input: UpdateResourceInput, @Ctx() ctx: HubContext): Promise<ResourcePayload> {
    return payload(await updateResource(ctx.db, ctx, input));
  }

  @Mutation(() => ResourcePayload, { description: 'Closes a resource for good, with a reason.' })
  async closeResource(@Arg('input', () => CloseResourceInput, { description: 'The resource and the reason.' }) input: CloseResourceInput, @Ctx() ctx: HubContext): Promise<ResourcePayload> {
    return payload(await closeResource(ctx.db, ctx, input));
  }
}

@Resolver(() => ServiceAreaEntry)
export class ServiceAreaEntryResolver {
  @FieldResolver(() => District, { description: 'The district covered, or containing the street or committee covered.' })
  district(@Root() entry: ServiceAreaEntry, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, entry.districtId, District);
  }

  @FieldResolver(() => Street, { nullable: true, description: 'The street or town covered, or containing the committee covered; null for a whole district.' })
  street(@Root() entry: ServiceAreaEntry, @Ctx() ctx: HubContext): Promise<Street | null> {
    return loadOptional(ctx.loaders.street, entry.streetId, Street);
  }

  @FieldResolver(() => Committee, { nullable: true, description: 'The committee covered; null for a whole street or district.' })
  committee(@Root() entry: ServiceAreaEntry, @Ctx() ctx: HubContext): Promise<Committee | null> {
    return loadOptional(ctx.loaders.committee, entry.committeeId, Committee);
  }
}

@Resolver(() => Organization)
export class ProviderResourcesResolver {
  @FieldResolver(() => ResourceConnection, { description: 'Resources this organization offers, oldest first.' })
  async resources(@Root() organization: Organization, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Resource>> {
    return toConnection(ResourceConnection, Resource, await ctx.loaders.resourcesOfProvider.load({ parentId: organization.id, request: page }));
  }
}
