import 'reflect-metadata';
import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import { guardPersonalFields } from '../auth/personal-data.middleware';
import { ApplicationHandoffResolver, ApplicationMaterialResolver, ApplicationResolver, DiscoveryReportResolver, HouseholdApplicationsResolver, MaterialKindResolver, PublicityObjectionResolver } from '../modules/applications/applications.resolver';
import { AuditResolver } from '../modules/audit/audit.resolver';
import { WorkingCalendarResolver } from '../modules/calendar/calendar.resolver';
import {
  CapacityReportResolver,
  GraduateHireCountResolver,
  HouseholdReviewResolver,
  HouseholdReviewScheduleFieldResolver,
  HouseholdReviewScheduleResolver,
  StaffCapacityResolver,
  TrainingAttendanceResolver,
  TrainingSessionResolver,
} from '../modules/capacity/capacity.resolver';
import { ServiceCategoryResolver } from '../modules/catalogue/catalogue.resolver';
import { ApplicationDeadlineGroupResolver, ApplicationEscalationResolver, ApplicationStepLimitResolver, ApplicationStepResolver, ApplicationStepsResolver } from '../modules/deadlines/deadlines.resolver';
import {
  ContractAreaResolver,
  ContractDisclosureResolver,
  ContractMilestoneResolver,
  DisclosedMilestoneResolver,
  MilestonePaymentResolver,
  ProjectFinanceResolver,
  PurchaseContractResolver,
  PurchaseFinanceResolver,
  PurchaserFinanceResolver,
} from '../modules/contracts/contracts.resolver';
import { CommitteeResolver, DistrictResolver, StreetResolver } from '../modules/geography/geography.resolver';
import { CaseResolver, HouseholdMutationResolver, HouseholdResolver, PersonResolver } from '../modules/households/households.resolver';
import { CaseNeedsResolver, HouseholdNeedsResolver, NeedResolver } from '../modules/needs/needs.resolver';
import { NodeResolver } from '../modules/node/node.resolver';
import { AllowanceResolver, DisbursementBatchResolver, DisbursementLineResolver, DisbursementReconciliationResolver } from '../modules/payments/payments.resolver';
import { OrganizationResolver, StaffMemberResolver, StreetServiceCentersResolver } from '../modules/organizations/organizations.resolver';
import { CandidateCheckResolver, MatchCandidateResolver, MatchingResolver, NeedCandidateCheckResolver, NeedCandidatesResolver, ReferralScoreResolver } from '../modules/matching/matching.resolver';
import { NeedReferralsResolver, ReferralResolver, ResourceReferralsResolver } from '../modules/referrals/referrals.resolver';
import { ReferralSubscriptionResolver } from '../modules/referrals/referrals.subscriptions';
import { ApplicationVerificationResolver, VerificationFigureResolver, VerificationRequestResolver, VerificationResultResolver, VerificationStandardResolver } from '../modules/verification/verification.resolver';
import { BidResolver, BidResultResolver, ExpertLinkResolver, ProcurementExpertResolver, PurchaseAwardResolver, PurchaseProjectResolver } from '../modules/purchasing/purchasing.resolver';
import {
  ContractEvaluationResolver,
  OrganizationEvaluationsResolver,
  OversightResolver,
  ProviderBanResolver,
  ServiceRecordResolver,
  TakeoverActivationResolver,
  TakeoverPlanResolver,
  TakeoverPlanResourceResolver,
} from '../modules/oversight/oversight.resolver';
import { DashboardResolver, DistrictScorecardResolver, OpenNeedCountResolver, ReferralStateCountResolver } from '../modules/dashboard/dashboard.resolver';
import { hubPubSub } from './pubsub';
import { ProviderResourcesResolver, ResourceResolver, ServiceAreaEntryResolver } from '../modules/resources/resources.resolver';
import { ResourceImportResolver } from '../modules/resource-import/resource-import.resolver';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  DistrictResolver,
  StreetResolver,
  CommitteeResolver,
  StreetServiceCentersResolver,
  OrganizationResolver,
  StaffMemberResolver,
  ServiceCategoryResolver,
  WorkingCalendarResolver,
  HouseholdResolver,
  PersonResolver,
  CaseResolver,
  HouseholdMutationResolver,
  HouseholdNeedsResolver,
  CaseNeedsResolver,
  NeedResolver,
  ResourceResolver,
  ServiceAreaEntryResolver,
  ProviderResourcesResolver,
  ResourceImportResolver,
  ReferralResolver,
  NeedReferralsResolver,
  ResourceReferralsResolver,
  MatchingResolver,
  ReferralSubscriptionResolver,
  NeedCandidatesResolver,
  MatchCandidateResolver,
  NeedCandidateCheckResolver,
  CandidateCheckResolver,
  ReferralScoreResolver,
  AuditResolver,
  AllowanceResolver,
  DisbursementBatchResolver,
  DisbursementLineResolver,
  DisbursementReconciliationResolver,
  ApplicationResolver,
  ApplicationMaterialResolver,
  PublicityObjectionResolver,
  MaterialKindResolver,
  DiscoveryReportResolver,
  HouseholdApplicationsResolver,
  ApplicationHandoffResolver,
  ApplicationStepsResolver,
  ApplicationStepResolver,
  ApplicationEscalationResolver,
  ApplicationDeadlineGroupResolver,
  ApplicationStepLimitResolver,
  VerificationRequestResolver,
  ApplicationVerificationResolver,
  VerificationFigureResolver,
  VerificationResultResolver,
  VerificationStandardResolver,
  CapacityReportResolver,
  TrainingSessionResolver,
  TrainingAttendanceResolver,
  StaffCapacityResolver,
  HouseholdReviewScheduleResolver,
  HouseholdReviewResolver,
  HouseholdReviewScheduleFieldResolver,
  GraduateHireCountResolver,
  PurchaseProjectResolver,
  BidResolver,
  BidResultResolver,
  PurchaseAwardResolver,
  ProcurementExpertResolver,
  ExpertLinkResolver,
  PurchaseContractResolver,
  ContractDisclosureResolver,
  DisclosedMilestoneResolver,
  ContractMilestoneResolver,
  MilestonePaymentResolver,
  ContractAreaResolver,
  PurchaseFinanceResolver,
  PurchaserFinanceResolver,
  ProjectFinanceResolver,
  OversightResolver,
  ContractEvaluationResolver,
  ServiceRecordResolver,
  TakeoverPlanResolver,
  TakeoverPlanResourceResolver,
  TakeoverActivationResolver,
  ProviderBanResolver,
  OrganizationEvaluationsResolver,
  DashboardResolver,
  DistrictScorecardResolver,
  OpenNeedCountResolver,
  ReferralStateCountResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The hub's executable schema; built once per process (type-graphql metadata is global). */
export function hubSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    pubSub: hubPubSub,
    validate: false,
  })
    .then(plainFieldsResolveByDefault)
    .then(guardPersonalFields)
    .then(describeRootTypes);
  return built;
}

/**
 * type-graphql gives every plain field a resolver of its own, which reads the model's property
 * through its middleware machinery: an object and a closure per field of every item, with no
 * middleware to run (the hub has none). A field that is the model's property of the same name
 * reads the same value through graphql's default resolver without them. Left as they are: fields
 * whose property has another name (a Node's `id` is its `globalId` getter), fields with
 * middlewares or roles, and every field name that has a field resolver anywhere. Runs before
 * guardPersonalFields, which wraps whatever resolver a personal field then has.
 */
function plainFieldsResolveByDefault(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const resolved = new Set(storage.fieldResolvers.map((resolver) => resolver.schemaName));
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    const chain: unknown[] = [];
    for (let target: unknown = objectType.target; typeof target === 'function' && target !== Function.prototype; target = Object.getPrototypeOf(target)) chain.push(target);
    for (const field of storage.fields) {
      if (!chain.includes(field.target) || field.name !== field.schemaName || resolved.has(field.schemaName)) continue;
      if ((field.middlewares?.length ?? 0) > 0 || (field.roles?.length ?? 0) > 0) continue;
      const graphqlField = fields[field.schemaName];
      if (graphqlField) graphqlField.resolve = undefined;
    }
  }
  return schema;
}

/** type-graphql has no option for root-type descriptions; the schema is documentation, so add them. */
function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = 'Reads of the hub: one graph of needs, resources, providers and cases across Shanghai.';
  if (mutation) mutation.description = 'Changes to the graph. Validation failures come back as `userErrors` in the payload, and nothing is written.';
  const subscription = schema.getSubscriptionType();
  if (subscription) subscription.description = 'Live events over graphql-ws at the same /graphql path; the token goes in the connection parameters.';
  return schema;
}

/** The SDL committed in schema/schema.graphql: sorted so diffs show real changes only. */
export async function printHubSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await hubSchema()))}\n`;
}
