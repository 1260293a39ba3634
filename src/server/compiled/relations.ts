import type { SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Visibilities } from '../../auth/visibility';
import type { ChildList, RowList } from '../../db/paginate';
import { committees, districts, households, needs, organizations, persons, referrals, resources, streets } from '../../db/schema';
import { Committee, District, Street } from '../../modules/geography/geography.types';
import { householdScope, personScope, personsOfHousehold } from '../../modules/households/households.repository';
import { Household, Person } from '../../modules/households/households.types';
import { needList, needScope } from '../../modules/needs/needs.repository';
import { toListFilter, toOrdering } from '../../modules/needs/needs.resolver';
import { Need } from '../../modules/needs/needs.types';
import { Organization } from '../../modules/organizations/organizations.types';
import { referralScope, referralsOfNeed, referralsOfResource } from '../../modules/referrals/referrals.repository';
import { Referral } from '../../modules/referrals/referrals.types';
import { resourceScope, resourcesOfProvider } from '../../modules/resources/resources.repository';
import { Resource } from '../../modules/resources/resources.types';

type Constructor = abstract new (...args: never[]) => object;

/**
 * A GraphQL object type that compiled queries can read: its model class (whose getters give the
 * derived and masked fields, exactly as in a resolved query), its table, and its row scope: the
 * same condition its loader applies, so `node(id:)` and every reference to it see what the
 * principal's loaders would see.
 */
export interface Entity {
  readonly type: Constructor;
  readonly table: PgTable & { id: PgColumn };
  readonly scope?: (visible: Visibilities) => SQL | undefined;
}

export const ENTITIES: Readonly<Record<string, Entity>> = {
  District: { type: District, table: districts },
  Street: { type: Street, table: streets },
  Committee: { type: Committee, table: committees },
  Organization: { type: Organization, table: organizations },
  Household: { type: Household, table: households, scope: (v) => householdScope(v.Household) },
  Person: { type: Person, table: persons, scope: (v) => personScope(v.Person) },
  Need: { type: Need, table: needs, scope: (v) => needScope(v.Need) },
  Resource: { type: Resource, table: resources, scope: (v) => resourceScope(v.Resource) },
  Referral: { type: Referral, table: referrals, scope: (v) => referralScope(v.Referral) },
};

/**
 * A field that names one object by a foreign key, resolved in the hub by `loadOptional` (null
 * when the row is out of scope) or `loadRequired` (an error when it is missing).
 */
export interface Reference {
  readonly kind: 'reference';
  readonly target: string;
  readonly foreignKey: PgColumn;
  readonly required: boolean;
}

/** A connection field resolved through a child-page loader: the same list, filter and order. */
export interface Children {
  readonly kind: 'children';
  readonly target: string;
  readonly list: (visible: Visibilities) => ChildList;
}

const optional = (target: string, foreignKey: PgColumn): Reference => ({ kind: 'reference', target, foreignKey, required: false });
const required = (target: string, foreignKey: PgColumn): Reference => ({ kind: 'reference', target, foreignKey, required: true });

/** The relations compiled queries can follow, by `Type.field`; each mirrors its field resolver. */
export const RELATIONS: Readonly<Record<string, Reference | Children>> = {
  'Street.district': required('District', streets.districtId),
  'Committee.street': required('Street', committees.streetId),
  'Committee.district': required('District', committees.districtId),
  'Household.committee': required('Committee', households.committeeId),
  'Household.registeredCommittee': required('Committee', households.registeredCommitteeId),
  'Household.street': required('Street', households.streetId),
  'Household.district': required('District', households.districtId),
  'Household.persons': { kind: 'children', target: 'Person', list: (v) => personsOfHousehold(v.Person) },
  'Person.household': optional('Household', persons.householdId),
  'Need.household': optional('Household', needs.householdId),
  'Need.committee': required('Committee', needs.committeeId),
  'Need.street': required('Street', needs.streetId),
  'Need.district': required('District', needs.districtId),
  'Need.referrals': { kind: 'children', target: 'Referral', list: (v) => referralsOfNeed(v.Referral) },
  'Referral.need': optional('Need', referrals.needId),
  'Referral.resource': optional('Resource', referrals.resourceId),
  'Referral.provider': optional('Organization', referrals.providerId),
  'Resource.provider': required('Organization', resources.providerId),
  'Resource.referrals': { kind: 'children', target: 'Referral', list: (v) => referralsOfResource(v.Referral) },
  'Organization.resources': { kind: 'children', target: 'Resource', list: (v) => resourcesOfProvider(v.Resource) },
};

/** A root list field: its list from the field's arguments, as its resolver builds it. */
export interface RootList {
  readonly target: string;
  readonly list: (args: Record<string, unknown>, visible: Visibilities) => RowList;
}

export const ROOT_LISTS: Readonly<Record<string, RootList>> = {
  needs: {
    target: 'Need',
    list: (args, v) => needList(v.Need, toListFilter(args.filter as Parameters<typeof toListFilter>[0]), toOrdering(args.orderBy as Parameters<typeof toOrdering>[0])),
  },
};
