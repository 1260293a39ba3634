import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Visibilities } from '../../auth/visibility';
import type { ChildList, RowList } from '../../db/paginate';
import type { Database } from '../../db/client';
import { committees, districts, households, needs, organizations, persons, referrals, resources, serviceCategories, streets } from '../../db/schema';
import { ServiceCategory } from '../../modules/catalogue/catalogue.types';
import { Committee, District, Street } from '../../modules/geography/geography.types';
import { householdScope, personScope, personsOfHousehold } from '../../modules/households/households.repository';
import { Household, Person } from '../../modules/households/households.types';
import { needList, needScope } from '../../modules/needs/needs.repository';
import { balanceStatement } from '../../modules/matching/matching.repository';
import { balanceRequest } from '../../modules/matching/matching.service';
import { toListFilter, toOrdering } from '../../modules/needs/needs.resolver';
import { Need } from '../../modules/needs/needs.types';
import { Organization } from '../../modules/organizations/organizations.types';
import { referralScope, referralsOfNeed, referralsOfResource } from '../../modules/referrals/referrals.repository';
import { Referral } from '../../modules/referrals/referrals.types';
import { resourceScope, resourcesOfProvider } from '../../modules/resources/resources.repository';
import { Resource } from '../../modules/resources/resources.types';
import type { HubContext } from '../context';
import { intText, type RowText } from './text';

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
  ServiceCategory: { type: ServiceCategory, table: serviceCategories },
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

/** A leaf of a report's rows: the GraphQL type it is written as, and its JSON text from the row's columns. */
export interface ReportLeaf {
  readonly type: string;
  readonly text: (row: RowText) => SQL;
}

/**
 * A root list of a report's rows: the cells of one statement (an aggregate), not rows of a table.
 * Compiled on the text path only: on the model path the resolver does no more than shape the rows.
 */
export interface ReportRoot {
  /** The GraphQL type of its rows. */
  readonly type: string;
  /** The rows for the field's arguments, as its resolver reads them; throws where the resolver refuses. */
  readonly statement: (args: Record<string, unknown>, ctx: HubContext) => { readonly key: string; readonly rows: () => SQL; readonly values: Record<string, unknown>; readonly db: Database };
  /** The rows' column that orders them. */
  readonly order: string;
  /** Its leaves by property, each as SQL writes it. */
  readonly leaves: Readonly<Record<string, ReportLeaf>>;
  /** Its objects by property: a type of ENTITIES, by the rows' column of its id. */
  readonly references: Readonly<Record<string, { readonly target: string; readonly column: string }>>;
}

const intColumn = (column: string): ReportLeaf => ({ type: 'Int!', text: (row) => intText(row.column(column)) });

export const REPORT_ROOTS: Readonly<Record<string, ReportRoot>> = {
  supplyDemandBalance: {
    type: 'SupplyDemandCell',
    statement: (args, ctx) => ({ ...balanceStatement(balanceRequest(args as Parameters<typeof balanceRequest>[0], ctx.viewer)), db: ctx.reportingDb }),
    order: 'position',
    leaves: {
      openUnits: intColumn('open_units'),
      freeUnits: intColumn('free_units'),
      // The getter's Math.max(0, open - free).
      shortfall: { type: 'Int!', text: (row) => intText(sql`greatest(${row.column('open_units')} - ${row.column('free_units')}, 0)`) },
    },
    references: { district: { target: 'District', column: 'district_id' }, category: { target: 'ServiceCategory', column: 'category_id' } },
  },
};
