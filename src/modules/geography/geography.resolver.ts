import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireId } from '../common/ids';
import { loadRequired } from '../common/load';
import { toModel } from '../common/node.type';
import { Committee, CommitteeConnection, District, DistrictConnection, Street, StreetConnection } from './geography.types';
import { findDistrictByCode, listCommittees, listDistricts, listStreets } from './geography.repository';

@Resolver(() => District)
export class DistrictResolver {
  @Query(() => DistrictConnection, { description: 'The districts of Shanghai, by code.' })
  async districts(@Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<District>> {
    return toConnection(DistrictConnection, District, await listDistricts(ctx.db, page, ctx.config.maxPageSize));
  }

  @Query(() => District, { nullable: true, description: 'A district by its six-digit administrative code, e.g. "310101".' })
  async districtByCode(@Arg('code', { description: 'Administrative division code.' }) code: string, @Ctx() ctx: HubContext): Promise<District | null> {
    const row = await findDistrictByCode(ctx.db, code);
    return row ? toModel(District, row) : null;
  }

  @FieldResolver(() => StreetConnection, { description: 'Streets and towns of this district.' })
  async streets(@Root() district: District, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Street>> {
    return toConnection(StreetConnection, Street, await ctx.loaders.streetsOfDistrict.load({ parentId: district.id, request: page }));
  }
}

@Resolver(() => Street)
export class StreetResolver {
  @Query(() => StreetConnection, { description: 'Streets and towns, optionally of one district.' })
  async streets(
    @Arg('district', () => ID, { nullable: true, description: 'Only the streets and towns of this district.' }) district: string | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Street>> {
    const districtId = district != null ? requireId(district, 'District', ['district']) : undefined;
    return toConnection(StreetConnection, Street, await listStreets(ctx.db, { districtId }, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => District, { description: 'The district this street or town belongs to.' })
  district(@Root() street: Street, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, street.districtId, District);
  }

  @FieldResolver(() => CommitteeConnection, { description: 'Committees of this street or town.' })
  async committees(@Root() street: Street, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Committee>> {
    return toConnection(CommitteeConnection, Committee, await ctx.loaders.committeesOfStreet.load({ parentId: street.id, request: page }));
  }
}

@Resolver(() => Committee)
export class CommitteeResolver {
  @Query(() => CommitteeConnection, { description: 'Committees, optionally of one district or street.' })
  async committees(
    @Arg('district', () => ID, { nullable: true, description: 'Only committees in this district.' }) district: string | undefined,
    @Arg('street', () => ID, { nullable: true, description: 'Only committees of this street or town.' }) street: string | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Committee>> {
    const filter = {
      districtId: district != null ? requireId(district, 'District', ['district']) : undefined,
      streetId: street != null ? requireId(street, 'Street', ['street']) : undefined,
    };
    return toConnection(CommitteeConnection, Committee, await listCommittees(ctx.db, filter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Street, { description: 'The street or town of this committee.' })
  street(@Root() committee: Committee, @Ctx() ctx: HubContext): Promise<Street> {
    return loadRequired(ctx.loaders.street, committee.streetId, Street);
  }

  @FieldResolver(() => District, { description: 'The district of this committee.' })
  district(@Root() committee: Committee, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, committee.districtId, District);
  }
}
