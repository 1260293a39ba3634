import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../server/context';
import { ConnectionArgs, toConnection, type Connection } from '../common/connection';
import { requireIds } from '../common/ids';
import { loadOptional, loadRequired } from '../common/load';
import { toModel, toModels } from '../common/node.type';
import type { MutationResult } from '../common/mutation';
import { Committee, District, Street } from '../geography/geography.types';
import { Case, Household, Person } from '../households/households.types';
import { Organization, StaffMember } from '../organizations/organizations.types';
import {
  AnswerObjectionInput,
  ApplicationFilter,
  ApplicationStepInput,
  ApproveApplicationInput,
  CreateMaterialKindInput,
  DiscoveryReportFilter,
  DiscoveryStepInput,
  HandOnApplicationInput,
  NoticeExceptionFilter,
  ProvideMaterialsInput,
  RecordObjectionInput,
  ReportDiscoveryInput,
  RequestMaterialInput,
  ReceiveApplicationInput,
  SetApplicationChecklistInput,
  StartPublicityInput,
  UpdateMaterialKindInput,
} from './applications.inputs';
import { listApplications, listDiscoveryReports, listMaterialKinds, listNoticeExceptions, type ApplicationRow } from './applications.repository';
import { handOnApplication, moveApplication, provideMaterials, receiveApplication, requestMaterial, type MoveApplicationCommand } from './applications.service';
import { ApplicationStatus, ApplicationType } from './applications.transitions';
import {
  Application,
  ApplicationChecklist,
  ApplicationChecklistPayload,
  ApplicationConnection,
  ApplicationEvent,
  ApplicationEventConnection,
  ApplicationHandoff,
  ApplicationHandoffConnection,
  ApplicationMaterial,
  ApplicationPayload,
  DiscoveryReport,
  DiscoveryReportConnection,
  DiscoveryReportPayload,
  MaterialKind,
  MaterialKindPayload,
  NoticeExceptionConnection,
  PublicityObjection,
  PublicityObjectionPayload,
} from './applications.types';
import { createMaterialKind, setApplicationChecklist, updateMaterialKind } from './checklists.service';
import { moveDiscoveryReport, reportDiscovery } from './discovery.service';
import { answerObjection, recordObjection } from './objections.service';

const applicationPayload = (result: MutationResult<ApplicationRow>): ApplicationPayload => ({
  application: result.row ? toModel(Application, result.row) : null,
  userErrors: result.userErrors,
});

const ids = (values: string[] | null | undefined, type: string, field: string[]) => (values ? requireIds(values, type, field) : undefined);

@Resolver(() => Application)
export class ApplicationResolver {
  @Query(() => ApplicationConnection, { description: 'Applications the viewer may see, oldest first, optionally filtered.' })
  async applications(
    @Arg('filter', () => ApplicationFilter, { nullable: true, description: 'Which applications to list.' }) filter: ApplicationFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<Application>> {
    const listFilter = {
      statuses: filter?.statuses ?? undefined,
      types: filter?.types ?? undefined,
      districtIds: ids(filter?.districts, 'District', ['filter', 'districts']),
      streetIds: ids(filter?.streets, 'Street', ['filter', 'streets']),
      receivingOrganizationIds: ids(filter?.receivingCenters, 'Organization', ['filter', 'receivingCenters']),
      householdIds: ids(filter?.households, 'Household', ['filter', 'households']),
    };
    return toConnection(ApplicationConnection, Application, await listApplications(ctx.db, ctx.visible.Application, listFilter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household applying; null when the viewer may not see it.' })
  household(@Root() application: Application, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, application.householdId, Household);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The member who applies; null when none was named or the viewer may not see them.' })
  applicant(@Root() application: Application, @Ctx() ctx: HubContext): Promise<Person | null> {
    return loadOptional(ctx.loaders.person, application.applicantId, Person);
  }

  @FieldResolver(() => Organization, { description: 'The service centre or sub-centre that received it (首问负责).' })
  receivingCenter(@Root() application: Application, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, application.receivingOrganizationId, Organization);
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The officer who received it; null when unknown or the viewer may not see staff.' })
  receivingOfficer(@Root() application: Application, @Ctx() ctx: HubContext): Promise<StaffMember | null> {
    return loadOptional(ctx.loaders.staffMember, application.receivingOfficerId, StaffMember);
  }

  @FieldResolver(() => Organization, { description: 'The organization that owns it now: the receiving centre until a hand-on.' })
  ownerOrganization(@Root() application: Application, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, application.ownerOrganizationId, Organization);
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The officer who owns it now; null for an organization as a whole or when the viewer may not see staff.' })
  ownerOfficer(@Root() application: Application, @Ctx() ctx: HubContext): Promise<StaffMember | null> {
    return loadOptional(ctx.loaders.staffMember, application.ownerOfficerId, StaffMember);
  }

  @FieldResolver(() => Street, { description: "The competent street: the street of the household's registered residence (户籍地), which handles it." })
  competentStreet(@Root() application: Application, @Ctx() ctx: HubContext): Promise<Street> {
    return loadRequired(ctx.loaders.street, application.competentStreetId, Street);
  }

  @FieldResolver(() => District, { description: 'The district of the competent street.' })
  competentDistrict(@Root() application: Application, @Ctx() ctx: HubContext): Promise<District> {
    return loadRequired(ctx.loaders.district, application.competentDistrictId, District);
  }

  @FieldResolver(() => Case, { nullable: true, description: "The household's case, linked on approval; null before, or when the viewer may not see it." })
  case(@Root() application: Application, @Ctx() ctx: HubContext): Promise<Case | null> {
    return loadOptional(ctx.loaders.caseById, application.caseId, Case);
  }

  @FieldResolver(() => [ApplicationMaterial], { description: 'Every material of the application, in notice order: the one-time notice, and any asked for later.' })
  async materials(@Root() application: Application, @Ctx() ctx: HubContext): Promise<ApplicationMaterial[]> {
    return toModels(ApplicationMaterial, await ctx.loaders.materialsOfApplication.load(application.id));
  }

  @FieldResolver(() => [ApplicationMaterial], { description: 'What is still missing: the materials in state MISSING.' })
  async missingMaterials(@Root() application: Application, @Ctx() ctx: HubContext): Promise<ApplicationMaterial[]> {
    return toModels(ApplicationMaterial, (await ctx.loaders.materialsOfApplication.load(application.id)).filter((m) => m.state === 'MISSING'));
  }

  @FieldResolver(() => [PublicityObjection], { description: 'Objections raised during publicity, oldest first; empty for viewers who may not read them.' })
  async objections(@Root() application: Application, @Ctx() ctx: HubContext): Promise<PublicityObjection[]> {
    return toModels(PublicityObjection, await ctx.loaders.objectionsOfApplication.load(application.id));
  }

  @FieldResolver(() => DiscoveryReport, { nullable: true, description: 'The discovery report it came from; null when none, or the viewer may not see it.' })
  async discoveryReport(@Root() application: Application, @Ctx() ctx: HubContext): Promise<DiscoveryReport | null> {
    const row = await ctx.loaders.discoveryReportOfApplication.load(application.id);
    return row ? toModel(DiscoveryReport, row) : null;
  }

  @FieldResolver(() => ApplicationEventConnection, { description: 'Every step of the application, oldest first: who, when, why.' })
  async events(@Root() application: Application, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<ApplicationEvent>> {
    return toConnection(ApplicationEventConnection, ApplicationEvent, await ctx.loaders.eventsOfApplication.load({ parentId: application.id, request: page }));
  }

  @FieldResolver(() => ApplicationHandoffConnection, { description: 'Every hand-on of the application, oldest first: from, to, when.' })
  async handoffs(@Root() application: Application, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<ApplicationHandoff>> {
    return toConnection(ApplicationHandoffConnection, ApplicationHandoff, await ctx.loaders.handoffsOfApplication.load({ parentId: application.id, request: page }));
  }

  @Mutation(() => ApplicationPayload, { description: 'Receives an application at a service centre for a household anywhere in the city, routes it to the competent street and issues the one-time notice.' })
  async receiveApplication(@Arg('input', () => ReceiveApplicationInput, { description: 'The application.' }) input: ReceiveApplicationInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return applicationPayload(await receiveApplication(ctx.db, ctx, input));
  }

  @Mutation(() => ApplicationPayload, { description: 'Hands an application on (移交) to another organization or officer; the hand-on is recorded.' })
  async handOnApplication(@Arg('input', () => HandOnApplicationInput, { description: 'The application and who takes it over.' }) input: HandOnApplicationInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return applicationPayload(await handOnApplication(ctx.db, ctx, input));
  }

  @Mutation(() => ApplicationPayload, { description: 'Records materials the applicant brought.' })
  async provideApplicationMaterials(@Arg('input', () => ProvideMaterialsInput, { description: 'The application and the materials.' }) input: ProvideMaterialsInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return applicationPayload(await provideMaterials(ctx.db, ctx, input));
  }

  @Mutation(() => ApplicationPayload, {
    description: 'Asks the applicant for a material after intake. One the first notice did not list as missing is refused (NOT_IN_NOTICE) unless given as a recorded exception with a reason.',
  })
  async requestApplicationMaterial(@Arg('input', () => RequestMaterialInput, { description: 'The application and the material.' }) input: RequestMaterialInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return applicationPayload(await requestMaterial(ctx.db, ctx, input));
  }

  private move(ctx: HubContext, command: MoveApplicationCommand) {
    return moveApplication(ctx.db, ctx, command, { publicityDays: ctx.config.publicityDays }).then(applicationPayload);
  }

  @Mutation(() => ApplicationPayload, { description: 'Accepts a received application (受理); every material must be in hand.' })
  acceptApplication(@Arg('input', () => ApplicationStepInput, { description: 'The application.' }) input: ApplicationStepInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return this.move(ctx, { ...input, to: ApplicationStatus.ACCEPTED });
  }

  @Mutation(() => ApplicationPayload, { description: 'Starts the economic-status verification of an accepted application: a PENDING verification request is opened for it.' })
  startApplicationVerification(@Arg('input', () => ApplicationStepInput, { description: 'The application.' }) input: ApplicationStepInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return this.move(ctx, { ...input, to: ApplicationStatus.UNDER_VERIFICATION });
  }

  @Mutation(() => ApplicationPayload, {
    description: 'Moves an application to review: after a COMPLETED verification, or straight from ACCEPTED for types that need none (all but minimum living allowance and extreme-poverty support).',
  })
  reviewApplication(@Arg('input', () => ApplicationStepInput, { description: 'The application.' }) input: ApplicationStepInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return this.move(ctx, { ...input, to: ApplicationStatus.REVIEW });
  }

  @Mutation(() => ApplicationPayload, { description: 'Posts an application under review for publicity (公示) at a place for a period.' })
  startApplicationPublicity(@Arg('input', () => StartPublicityInput, { description: 'The application, place and period.' }) input: StartPublicityInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return this.move(ctx, { id: input.id, to: ApplicationStatus.PUBLICITY, publicity: input });
  }

  @Mutation(() => ApplicationPayload, {
    description:
      "Approves an application once its publicity period has ended and every objection is answered: the household's assistance status, its case and the given needs are updated in the same step.",
  })
  approveApplication(@Arg('input', () => ApproveApplicationInput, { description: 'The application and what to record on its case.' }) input: ApproveApplicationInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return this.move(ctx, { id: input.id, reason: input.reason, to: ApplicationStatus.APPROVED, approval: input });
  }

  @Mutation(() => ApplicationPayload, { description: 'Rejects an application under review or publicity, with the reason.' })
  rejectApplication(@Arg('input', () => ApplicationStepInput, { description: 'The application and the reason.' }) input: ApplicationStepInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return this.move(ctx, { ...input, to: ApplicationStatus.REJECTED });
  }

  @Mutation(() => ApplicationPayload, { description: 'Withdraws an application that is not decided yet, with the reason; a pending verification is cancelled with it.' })
  withdrawApplication(@Arg('input', () => ApplicationStepInput, { description: 'The application and the reason.' }) input: ApplicationStepInput, @Ctx() ctx: HubContext): Promise<ApplicationPayload> {
    return this.move(ctx, { ...input, to: ApplicationStatus.WITHDRAWN });
  }
}

@Resolver(() => PublicityObjection)
export class PublicityObjectionResolver {
  @FieldResolver(() => Application, { nullable: true, description: 'The application objected to; null when the viewer may not see it.' })
  application(@Root() objection: PublicityObjection, @Ctx() ctx: HubContext): Promise<Application | null> {
    return loadOptional(ctx.loaders.application, objection.applicationId, Application);
  }

  @Mutation(() => PublicityObjectionPayload, { description: 'Records an objection (异议) to an application under publicity; it may be anonymous.' })
  async recordPublicityObjection(@Arg('input', () => RecordObjectionInput, { description: 'The objection.' }) input: RecordObjectionInput, @Ctx() ctx: HubContext): Promise<PublicityObjectionPayload> {
    const result = await recordObjection(ctx.db, ctx, input);
    return { objection: result.row && toModel(PublicityObjection, result.row), userErrors: result.userErrors };
  }

  @Mutation(() => PublicityObjectionPayload, { description: 'Answers an objection; approval waits until every objection is answered.' })
  async answerPublicityObjection(@Arg('input', () => AnswerObjectionInput, { description: 'The objection and the answer.' }) input: AnswerObjectionInput, @Ctx() ctx: HubContext): Promise<PublicityObjectionPayload> {
    const result = await answerObjection(ctx.db, ctx, input);
    return { objection: result.row && toModel(PublicityObjection, result.row), userErrors: result.userErrors };
  }
}

@Resolver(() => ApplicationMaterial)
export class ApplicationMaterialResolver {
  @FieldResolver(() => MaterialKind, { description: 'Which material.' })
  materialKind(@Root() material: ApplicationMaterial, @Ctx() ctx: HubContext): Promise<MaterialKind> {
    return loadRequired(ctx.loaders.materialKind, material.materialKindId, MaterialKind);
  }

  @FieldResolver(() => Application, { nullable: true, description: 'The application it belongs to; null when the viewer may not see it.' })
  application(@Root() material: ApplicationMaterial, @Ctx() ctx: HubContext): Promise<Application | null> {
    return loadOptional(ctx.loaders.application, material.applicationId, Application);
  }

  @Query(() => NoticeExceptionConnection, {
    description: 'Materials asked of applicants after the first notice without being listed in it (recorded exceptions to 一次性告知), oldest first, of applications the viewer may see.',
  })
  async noticeExceptions(
    @Arg('filter', () => NoticeExceptionFilter, { nullable: true, description: 'Which exceptions to list.' }) filter: NoticeExceptionFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<ApplicationMaterial>> {
    const listFilter = {
      districtIds: ids(filter?.districts, 'District', ['filter', 'districts']),
      streetIds: ids(filter?.streets, 'Street', ['filter', 'streets']),
      receivingOrganizationIds: ids(filter?.receivingCenters, 'Organization', ['filter', 'receivingCenters']),
    };
    return toConnection(NoticeExceptionConnection, ApplicationMaterial, await listNoticeExceptions(ctx.db, ctx.visible.Application, listFilter, page, ctx.config.maxPageSize));
  }
}

@Resolver(() => MaterialKind)
export class MaterialKindResolver {
  @Query(() => [MaterialKind], { description: 'Every kind of material an application may need (public: it is what the notice lists).' })
  async materialKinds(@Ctx() ctx: HubContext): Promise<MaterialKind[]> {
    return toModels(MaterialKind, await listMaterialKinds(ctx.db));
  }

  @Query(() => [ApplicationChecklist], { description: 'The checklists of the one-time notice, one per application type (public).' })
  async applicationChecklists(
    @Arg('types', () => [ApplicationType], { nullable: true, description: 'Only these types; default all.' }) types: ApplicationType[] | undefined,
    @Ctx() ctx: HubContext,
  ): Promise<ApplicationChecklist[]> {
    const wanted = types ?? Object.values(ApplicationType);
    const lists = await ctx.loaders.checklistOfType.loadMany(wanted);
    return wanted.map((type, i) => ({ type, materials: toModels(MaterialKind, lists[i] as object[]) }));
  }

  @Mutation(() => MaterialKindPayload, { description: 'Adds a kind of material (administrators).' })
  async createMaterialKind(@Arg('input', () => CreateMaterialKindInput, { description: 'The material kind.' }) input: CreateMaterialKindInput, @Ctx() ctx: HubContext): Promise<MaterialKindPayload> {
    const result = await createMaterialKind(ctx.db, ctx, input);
    return { materialKind: result.row && toModel(MaterialKind, result.row), userErrors: result.userErrors };
  }

  @Mutation(() => MaterialKindPayload, { description: 'Renames or re-describes a kind of material, or changes where the hub finds it (administrators).' })
  async updateMaterialKind(@Arg('input', () => UpdateMaterialKindInput, { description: 'The changes.' }) input: UpdateMaterialKindInput, @Ctx() ctx: HubContext): Promise<MaterialKindPayload> {
    const result = await updateMaterialKind(ctx.db, ctx, input);
    return { materialKind: result.row && toModel(MaterialKind, result.row), userErrors: result.userErrors };
  }

  @Mutation(() => ApplicationChecklistPayload, { description: "Replaces an application type's checklist (administrators); applications already received keep their notice." })
  async setApplicationChecklist(@Arg('input', () => SetApplicationChecklistInput, { description: 'The type and its materials.' }) input: SetApplicationChecklistInput, @Ctx() ctx: HubContext): Promise<ApplicationChecklistPayload> {
    const result = await setApplicationChecklist(ctx.db, ctx, input);
    return { checklist: result.row && { type: result.row.type, materials: toModels(MaterialKind, result.row.materials) }, userErrors: result.userErrors };
  }
}

@Resolver(() => DiscoveryReport)
export class DiscoveryReportResolver {
  @Query(() => DiscoveryReportConnection, { description: 'Discovery reports (发现报告) the viewer may see, oldest first.' })
  async discoveryReports(
    @Arg('filter', () => DiscoveryReportFilter, { nullable: true, description: 'Which reports to list.' }) filter: DiscoveryReportFilter | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: HubContext,
  ): Promise<Connection<DiscoveryReport>> {
    const listFilter = {
      statuses: filter?.statuses ?? undefined,
      districtIds: ids(filter?.districts, 'District', ['filter', 'districts']),
      streetIds: ids(filter?.streets, 'Street', ['filter', 'streets']),
    };
    return toConnection(DiscoveryReportConnection, DiscoveryReport, await listDiscoveryReports(ctx.db, ctx.visible.DiscoveryReport, listFilter, page, ctx.config.maxPageSize));
  }

  @FieldResolver(() => Committee, { description: 'The committee that reported it, where the household lives.' })
  committee(@Root() report: DiscoveryReport, @Ctx() ctx: HubContext): Promise<Committee> {
    return loadRequired(ctx.loaders.committee, report.committeeId, Committee);
  }

  @FieldResolver(() => Street, { description: "The committee's street, which investigates it." })
  street(@Root() report: DiscoveryReport, @Ctx() ctx: HubContext): Promise<Street> {
    return loadRequired(ctx.loaders.street, report.streetId, Street);
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household, when registered in the hub and visible to the viewer.' })
  household(@Root() report: DiscoveryReport, @Ctx() ctx: HubContext): Promise<Household | null> {
    return loadOptional(ctx.loaders.household, report.householdId, Household);
  }

  @FieldResolver(() => Application, { nullable: true, description: 'The application it turned into; null until CONVERTED, or when the viewer may not see it.' })
  application(@Root() report: DiscoveryReport, @Ctx() ctx: HubContext): Promise<Application | null> {
    return loadOptional(ctx.loaders.application, report.applicationId, Application);
  }

  @Mutation(() => DiscoveryReportPayload, { description: 'A committee member reports a household that may be in difficulty (发现报告).' })
  async reportDiscovery(@Arg('input', () => ReportDiscoveryInput, { description: 'The report.' }) input: ReportDiscoveryInput, @Ctx() ctx: HubContext): Promise<DiscoveryReportPayload> {
    const result = await reportDiscovery(ctx.db, ctx, input);
    return { discoveryReport: result.row && toModel(DiscoveryReport, result.row), userErrors: result.userErrors };
  }

  @Mutation(() => DiscoveryReportPayload, { description: 'A street officer takes a discovery report up (INVESTIGATING). It turns into an application through receiveApplication(discoveryReport:).' })
  async investigateDiscoveryReport(@Arg('input', () => DiscoveryStepInput, { description: 'The report.' }) input: DiscoveryStepInput, @Ctx() ctx: HubContext): Promise<DiscoveryReportPayload> {
    const result = await moveDiscoveryReport(ctx.db, ctx, input, 'INVESTIGATING');
    return { discoveryReport: result.row && toModel(DiscoveryReport, result.row), userErrors: result.userErrors };
  }

  @Mutation(() => DiscoveryReportPayload, { description: 'Closes a discovery report without an application, with the reason.' })
  async closeDiscoveryReport(@Arg('input', () => DiscoveryStepInput, { description: 'The report and the reason.' }) input: DiscoveryStepInput, @Ctx() ctx: HubContext): Promise<DiscoveryReportPayload> {
    const result = await moveDiscoveryReport(ctx.db, ctx, input, 'CLOSED');
    return { discoveryReport: result.row && toModel(DiscoveryReport, result.row), userErrors: result.userErrors };
  }
}

@Resolver(() => Household)
export class HouseholdApplicationsResolver {
  @FieldResolver(() => ApplicationConnection, { description: 'Applications of the household that the viewer may see, oldest first.' })
  async applications(@Root() household: Household, @Args() page: ConnectionArgs, @Ctx() ctx: HubContext): Promise<Connection<Application>> {
    return toConnection(ApplicationConnection, Application, await ctx.loaders.applicationsOfHousehold.load({ parentId: household.id, request: page }));
  }
}

@Resolver(() => ApplicationHandoff)
export class ApplicationHandoffResolver {
  @FieldResolver(() => Organization, { description: 'The organization that handed it on.' })
  fromOrganization(@Root() handoff: ApplicationHandoff, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, handoff.fromOrganizationId, Organization);
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The officer who handed it on; null when none or the viewer may not see staff.' })
  fromOfficer(@Root() handoff: ApplicationHandoff, @Ctx() ctx: HubContext): Promise<StaffMember | null> {
    return loadOptional(ctx.loaders.staffMember, handoff.fromOfficerId, StaffMember);
  }

  @FieldResolver(() => Organization, { description: 'The organization that took it over.' })
  toOrganization(@Root() handoff: ApplicationHandoff, @Ctx() ctx: HubContext): Promise<Organization> {
    return loadRequired(ctx.loaders.organization, handoff.toOrganizationId, Organization);
  }

  @FieldResolver(() => StaffMember, { nullable: true, description: 'The officer who took it over; null for the organization as a whole or when the viewer may not see staff.' })
  toOfficer(@Root() handoff: ApplicationHandoff, @Ctx() ctx: HubContext): Promise<StaffMember | null> {
    return loadOptional(ctx.loaders.staffMember, handoff.toOfficerId, StaffMember);
  }
}
