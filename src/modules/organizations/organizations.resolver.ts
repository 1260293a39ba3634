import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireId } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { Committee, District, Street } from '../geography/geography.types';
import { Organization, OrganizationConnection, OrganizationKind, ProviderStatus, StaffMember, StaffMemberConnection } from './organizations.types';
import { listOrganizations } from './organizations.repository';
import { effectiveProviderStatus } from './provider-status';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => OrganizationConnection, { description: 'Organizations of every kind, filtered; providers with `isProvider: true`.' })
  async organizations(
    @Arg('kinds', () => [OrganizationKind], { nullable: true, description: 'Only these kinds.' }) kinds: OrganizationKind[] | undefined,
    @Arg('district', () => ID, { nullable: true, description: 'Only organizations anchored in this district.' }) district: string | undefined,
    @Arg('street', () => ID, { nullable: true, description: 'Only organizations anchored in this street or town.' }) street: string | undefined,
    @Arg('isProvider', () => Boolean, { nullable: true, description: 'Only providers (true) or only non-providers (false).' }) isProvider: boolean | undefined,
    @Arg('providerStatuses', () => [ProviderStatus], { nullable: true, description: 'Only providers with one of these stored statuses.' }) providerStatuses: ProviderStatus[] | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Organization>> {
    const filter = {
      kinds,
      districtId: district != null ? requireId(district, 'District', ['district']) : undefined,
      streetId: street != null ? requireId(street, 'Street', ['street']) : undefined,
      isProvider: isProvider ?? undefined,
      providerStatuses,
    };
    return toConnection(OrganizationConnection, Organization, await listOrganizations(ctx.db, filter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => ProviderStatus, { nullable: true, description: 'Provider status in force today (a ban past its last day counts as ACTIVE); null for non-providers.' })
  providerStatus(@Root() organization: Organization): ProviderStatus | null {
    return effectiveProviderStatus(organization.providerStatus, organization.bannedUntil);
  }

  @FieldResolver(() => District, { nullable: true, description: 'District the organization belongs to; null for city-level bodies.' })
  district(@Root() organization: Organization, @Ctx() ctx: HubContext): Promise<District | null> {
    return loadOptional(ctx.loaders.district, organization.districtId, District);
  }

  @FieldResolver(() => Street, { nullable: true, description: 'Street or town the organization belongs to, if any.' })
  street(@Root() organization: Organization, @Ctx() ctx: HubContext): Promise<Street | null> {
    return loadOptional(ctx.loaders.street, organization.streetId, Street);
  }

  @FieldResolver(() => Committee, { nullable: true, description: 'Committee the organization belongs to, if any.' })
  committee(@Root() organization: Organization, @Ctx() ctx: HubContext): Promise<Committee | null> {
    return loadOptional(ctx.loaders.committee, organization.committeeId, Committee);
  }

  @FieldResolver(() => Organization, { nullable: true, description: "The parent body: a sub-centre's centre, a district bureau's city bureau." })
  parent(@Root() organization: Organization, @Ctx() ctx: HubContext): Promise<Organization | null> {
    return loadOptional(ctx.loaders.organization, organization.parentId, Organization);
  }

  @FieldResolver(() => OrganizationConnection, { description: "Bodies under this one: a centre's sub-centres (分中心), a city bureau's district bureaus." })
  async children(@Root() organization: Organization, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Organization>> {
    return toConnection(OrganizationConnection, Organization, await ctx.loaders.subOrganizations.load({ parentId: organization.id, request: page }));
  }

  @FieldResolver(() => StaffMemberConnection, { description: 'People working for this organization.' })
  async staff(@Root() organization: Organization, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<StaffMember>> {
    return toConnection(StaffMemberConnection, StaffMember, await ctx.loaders.staffOfOrganization.load({ parentId: organization.id, request: page }));
  }
}

@Resolver(() => StaffMember)
export class StaffMemberResolver {
  @FieldResolver(() => Organization, { description: 'The organization this person works for.' })
  organization(@Root() staff: StaffMember, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, staff.organizationId, Organization);
  }

  @FieldResolver(() => Committee, { nullable: true, description: 'The committee a committee member serves; null for other staff.' })
  committee(@Root() staff: StaffMember, @Ctx() ctx: HubContext): Promise<Committee | null> {
    return loadOptional(ctx.loaders.committee, staff.committeeId, Committee);
  }
}

@Resolver(() => Street)
export class StreetServiceCentersResolver {
  @FieldResolver(() => OrganizationConnection, { description: 'Community affairs acceptance service centres and sub-centres (社区事务受理服务中心) in this street or town.' })
  async serviceCenters(@Root() street: Street, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Organization>> {
    return toConnection(OrganizationConnection, Organization, await ctx.loaders.serviceCentersOfStreet.load({ parentId: street.id, request: page }));
  }
}
