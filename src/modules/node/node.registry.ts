import type DataLoader from 'dataloader';
import type { Loaders } from '../../server/loaders';
import { TrainingSession } from '../capacity/capacity.types';
import { ServiceCategory } from '../catalogue/catalogue.types';
import { Committee, District, Street } from '../geography/geography.types';
import { Case, Household, Person } from '../households/households.types';
import { Need } from '../needs/needs.types';
import { Organization, StaffMember } from '../organizations/organizations.types';
import { Referral } from '../referrals/referrals.types';
import { Resource } from '../resources/resources.types';

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
  TrainingSession: { type: TrainingSession, loader: (l) => l.trainingSession },
};
