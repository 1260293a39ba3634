import type DataLoader from 'dataloader';
import type { Loaders } from '../../server/loaders';
import { Application, DiscoveryReport, MaterialKind, PublicityObjection } from '../applications/applications.types';
import { TrainingSession } from '../capacity/capacity.types';
import { ApplicationStep } from '../deadlines/deadlines.types';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { ContractMilestone, MilestonePayment, PurchaseContract } from '../contracts/contracts.types';
import { Committee, District, Street } from '../geography/geography.types';
import { Case, Household, Person } from '../households/households.types';
import { Need } from '../needs/needs.types';
import { Organization, StaffMember } from '../organizations/organizations.types';
import { ContractEvaluation, EvaluationFormula } from '../oversight/oversight.types';
import { Allowance, DisbursementBatch, DisbursementLine } from '../payments/payments.types';
import { Bid, ProcurementExpert, PurchaseProject } from '../purchasing/purchasing.types';
import { Referral } from '../referrals/referrals.types';
import { Resource } from '../resources/resources.types';
import { VerificationFigure, VerificationRequest, VerificationStandard } from '../verification/verification.types';

type Constructor = abstract new (...args: never[]) => object;

interface NodeEntry {
  readonly type: Constructor;
  readonly loader: (loaders: Loaders) => DataLoader<number, object | undefined>;
}

/** Every type that `node(id:)` can refetch, by GraphQL type name. */
export const NODE_TYPES: Readonly<Record<string, NodeEntry>> = {
  District: { type: District, loader: (l) => l.district },
  Street: { type: Street, loader: (l) => l.street },
  Committee: { type: Committee, loader: (l) => l.committee },
  Organization: { type: Organization, loader: (l) => l.organization },
  StaffMember: { type: StaffMember, loader: (l) => l.staffMember },
  ServiceCategory: { type: ServiceCategory, loader: (l) => l.serviceCategory },
  Household: { type: Household, loader: (l) => l.household },
  Person: { type: Person, loader: (l) => l.person },
  Case: { type: Case, loader: (l) => l.caseById },
  Need: { type: Need, loader: (l) => l.need },
  Resource: { type: Resource, loader: (l) => l.resource },
  Referral: { type: Referral, loader: (l) => l.referral },
  Allowance: { type: Allowance, loader: (l) => l.allowance },
  DisbursementBatch: { type: DisbursementBatch, loader: (l) => l.disbursementBatch },
  DisbursementLine: { type: DisbursementLine, loader: (l) => l.disbursementLine },
  Application: { type: Application, loader: (l) => l.application },
  PublicityObjection: { type: PublicityObjection, loader: (l) => l.publicityObjection },
  DiscoveryReport: { type: DiscoveryReport, loader: (l) => l.discoveryReport },
  ApplicationStep: { type: ApplicationStep, loader: (l) => l.applicationStep },
  MaterialKind: { type: MaterialKind, loader: (l) => l.materialKind },
  VerificationRequest: { type: VerificationRequest, loader: (l) => l.verificationRequest },
  VerificationFigure: { type: VerificationFigure, loader: (l) => l.verificationFigure },
  VerificationStandard: { type: VerificationStandard, loader: (l) => l.verificationStandard },
  TrainingSession: { type: TrainingSession, loader: (l) => l.trainingSession },
  PurchaseProject: { type: PurchaseProject, loader: (l) => l.purchaseProject },
  Bid: { type: Bid, loader: (l) => l.bid },
  ProcurementExpert: { type: ProcurementExpert, loader: (l) => l.procurementExpert },
  PurchaseContract: { type: PurchaseContract, loader: (l) => l.purchaseContract },
  ContractMilestone: { type: ContractMilestone, loader: (l) => l.contractMilestone },
  MilestonePayment: { type: MilestonePayment, loader: (l) => l.milestonePayment },
  EvaluationFormula: { type: EvaluationFormula, loader: (l) => l.evaluationFormula },
  ContractEvaluation: { type: ContractEvaluation, loader: (l) => l.contractEvaluation },
};
