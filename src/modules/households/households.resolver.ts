import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireId } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel } from '../common/node.type';
import { Committee, District, Street } from '../geography/geography.types';
import { Organization, StaffMember } from '../organizations/organizations.types';
import { OpenCaseInput, RegisterHouseholdInput } from './households.inputs';
import { listCases, listHouseholds } from './households.repository';
import { openCase, registerHousehold } from './households.service';
import {
  AssistanceStatus,
  Case,
  CaseConnection,
  CaseStatus,
  Household,
  HouseholdConnection,
  OpenCasePayload,
  Person,
  PersonConnection,
  RegisterHouseholdPayload,
} from './households.types';

const optionalId = (id: string | null | undefined, typeName: string, name: string): number | undefined => (id != null ? requireId(id, typeName, [name]) : undefined);

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => HouseholdConnection, { description: 'Households, by registration order, optionally of one area or with one assistance status.' })
  async households(
    @Arg('district', () => ID, { nullable: true, description: 'Only households living in this District.' }) district: string | undefined,
    @Arg('street', () => ID, { nullable: true, description: 'Only households living in this Street (街道 / 乡镇).' }) street: string | undefined,
    @Arg('committee', () => ID, { nullable: true, description: 'Only households living in this Committee (居委会 / 村委会).' }) committee: string | undefined,
    @Arg('assistanceStatus', () => AssistanceStatus, { nullable: true, description: 'Only households holding this assistance status.' }) assistanceStatus: AssistanceStatus | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Household>> {
    const filter = {
      districtId: optionalId(district, 'District', 'district'),
      streetId: optionalId(street, 'Street', 'street'),
      committeeId: optionalId(committee, 'Committee', 'committee'),
      assistanceStatus: assistanceStatus ?? undefined,
    };
    return toConnection(HouseholdConnection, Household, await listHouseholds(ctx.db, ctx.visible.Household, filter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Committee, { description: 'The committee where the household actually lives (实际居住地); its needs are located here.' })
  committee(@Root() household: Household, @Ctx() ctx: HubContext): Promise<Committee> {
    return loadRequired(ctx.loaders.committee, household.committeeId, Committee);
  }

  @FieldResolver(() => Committee, { description: "The committee of registered residence (户籍地); its street is the household's competent street." })
  registeredCommittee(@Root() household: Household, @Ctx() ctx: HubContext): Promise<Committee> {
    return loadRequired(ctx.loaders.committee, household.registeredCommitteeId, Committee);
  }

  @FieldResolver(() => Street, { description: 'The street or town where the household actually lives.' })
  street(@Root() household: Household, @Ctx() ctx: HubContext): Promise<Street> {
    return loadRequired(ctx.loaders.street, household.streetId, Street);
  }

  @FieldResolver(() => District, { description: 'The district where the household actually lives.' })
  district(@Root() household: Household, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, household.districtId, District);
  }

  @FieldResolver(() => PersonConnection, { description: 'The members of the household (家庭成员), in registration order.' })
  async persons(@Root() household: Household, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Person>> {
    return toConnection(PersonConnection, Person, await ctx.loaders.personsOfHousehold.load({ parentId: household.id, request: page }));
  }

  @FieldResolver(() => CaseConnection, { description: 'The cases (个案) of the household, open and closed, oldest first.' })
  async cases(@Root() household: Household, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Case>> {
    return toConnection(CaseConnection, Case, await ctx.loaders.casesOfHousehold.load({ parentId: household.id, request: page }));
  }

  @FieldResolver(() => Int, { description: 'Number of members (家庭人口数).' })
  async memberCount(@Root() household: Household, @Ctx() ctx: HubContext): Promise<number> {
    // An empty page fetches no rows; the counts of all households in the batch come from one grouped query.
    const page = await ctx.loaders.personsOfHousehold.load({ parentId: household.id, request: { first: 0 } });
    return page.totalCount();
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => Household, { nullable: true, description: 'The household this person belongs to; null when the viewer may not see it.' })
  household(@Root() person: Person, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, person.householdId, Household);
  }
}

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => CaseConnection, { description: 'Cases (个案), oldest first, optionally filtered.' })
  async cases(
    @Arg('status', () => CaseStatus, { nullable: true, description: 'Only cases in this status.' }) status: CaseStatus | undefined,
    @Arg('ownerStreet', () => ID, { nullable: true, description: 'Only cases owned by this Street.' }) ownerStreet: string | undefined,
    @Arg('caseworker', () => ID, { nullable: true, description: 'Only cases owned by this StaffMember.' }) caseworker: string | undefined,
    @Arg('household', () => ID, { nullable: true, description: 'Only cases of this Household.' }) household: string | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Case>> {
    const filter = {
      status: status ?? undefined,
      ownerStreetId: optionalId(ownerStreet, 'Street', 'ownerStreet'),
      caseworkerId: optionalId(caseworker, 'StaffMember', 'caseworker'),
      householdId: optionalId(household, 'Household', 'household'),
    };
    return toConnection(CaseConnection, Case, await listCases(ctx.db, ctx.visible.Case, filter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household being assisted; null when the viewer may not see it.' })
  household(@Root() assistanceCase: Case, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, assistanceCase.householdId, Household);
  }

  @FieldResolver(() => Street, { description: "The competent street that owns the case: the street of the household's registered residence." })
  ownerStreet(@Root() assistanceCase: Case, @Ctx() ctx: HubContext): Promise<Street> {
    return loadRequired(ctx.loaders.street, assistanceCase.ownerStreetId, Street);
  }

  @FieldResolver(() => Organization, { nullable: true, description: "The owner street's street office (街道办事处); null when the hub knows none for that street." })
  ownerOrganization(@Root() assistanceCase: Case, @Ctx() ctx: HubContext): Promise<Organization | null> {
    return loadOptional(ctx.loaders.organization, assistanceCase.ownerOrganizationId, Organization);
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The caseworker (个案社工) who owns the case; null when the viewer may not see staff.' })
  caseworker(@Root() assistanceCase: Case, @Ctx() ctx: HubContext): Promise<StaffMember | null> {
    return loadOptional(ctx.loaders.staffMember, assistanceCase.caseworkerId, StaffMember);
  }
}

@Resolver()
export class HouseholdMutationResolver {
  @Mutation(() => RegisterHouseholdPayload, {
    description: 'Registers a household (家庭) with all its members in one step. Nothing is written when any input is refused; `userErrors` then lists every problem.',
  })
  async registerHousehold(@Arg('input', () => RegisterHouseholdInput, { description: 'The household and its members.' }) input: RegisterHouseholdInput, @Ctx() ctx: HubContext): Promise<RegisterHouseholdPayload> {
    const outcome = await registerHousehold(ctx.db, ctx, input);
    return { household: outcome.household && toModel(Household, outcome.household), userErrors: outcome.userErrors };
  }

  @Mutation(() => OpenCasePayload, {
    description: "Opens a case (个案) for a household, owned by its competent street (户籍地所在街道) and a caseworker there. Nothing is written when any input is refused.",
  })
  async openCase(@Arg('input', () => OpenCaseInput, { description: 'The household and the caseworker.' }) input: OpenCaseInput, @Ctx() ctx: HubContext): Promise<OpenCasePayload> {
    const outcome = await openCase(ctx.db, ctx, input);
    return { case: outcome.case && toModel(Case, outcome.case), userErrors: outcome.userErrors };
  }
}
