import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { ageOn } from '../households/households.privacy';

/** What the hub knows of a household at intake: enough for every finder, loaded once. */
export interface HouseholdFacts {
  readonly householdId: number;
  readonly registeredCommitteeId: number;
  readonly members: readonly { readonly birthDate: string; readonly attributes: readonly string[]; readonly hasIdNumber: boolean }[];
  /** Today in Shanghai (YYYY-MM-DD), for ages. */
  readonly today: string;
}

/** Where the hub found a material: which data and which department holds it. Never a personal value. */
export interface FoundIn {
  readonly data: string;
  readonly department: string;
}

/**
 * Looks for one kind of material in the hub's own data (数据多跑路、群众少跑腿). A finder may read
 * more from the database (a later module's contributed records); it returns null when the hub
 * does not hold the material and the applicant must bring it.
 */
export type MaterialFinder = (facts: HouseholdFacts, db: Database) => FoundIn | null | Promise<FoundIn | null>;

const ELDERLY_AGE = 60;
const MINOR_AGE = 18;
const CIVIL_AFFAIRS_REGISTER = 'Civil affairs household records in the hub (民政家庭档案)';

const hasAttribute = (facts: HouseholdFacts, attribute: string) => facts.members.some((m) => m.attributes.includes(attribute));
const ageAtLeast = (facts: HouseholdFacts, age: number) => facts.members.some((m) => ageOn(m.birthDate, facts.today) >= age);
const ageBelow = (facts: HouseholdFacts, age: number) => facts.members.some((m) => ageOn(m.birthDate, facts.today) < age);

const found = (data: string, department: string): FoundIn => ({ data, department });

const elderly: MaterialFinder = (facts) =>
  ageAtLeast(facts, ELDERLY_AGE) || hasAttribute(facts, 'ELDERLY_LIVING_ALONE') ? found('Ages from the resident ID numbers of the members on file', 'Public security population register (公安户籍), via civil affairs') : null;
const minor: MaterialFinder = (facts) => (ageBelow(facts, MINOR_AGE) ? found('Ages from the resident ID numbers of the members on file', 'Public security population register (公安户籍), via civil affairs') : null);
const disability: MaterialFinder = (facts) => (hasAttribute(facts, 'DISABILITY') ? found('Disability status of a member on file', "Disabled Persons' Federation (残联) records in the hub") : null);

/** How far back a department's records still prove income: a year. */
const INCOME_RECORDS_MONTHS = 12;

/**
 * Income records HR and social security contributed to the hub for this household within the
 * year, through an economic-status verification: wages, pensions and benefits it pays or records.
 */
const hrIncomeRecords: MaterialFinder = async (facts, db) => {
  const result = await db.execute(sql`
    select 1 from verification_returns r
    join verification_requests q on q.id = r.request_id
    where q.household_id = ${facts.householdId} and r.department = 'HR_SOCIAL_SECURITY'
      and r.submitted_at > now() - make_interval(months => ${INCOME_RECORDS_MONTHS})
    limit 1`);
  return rowsOf(result).length > 0
    ? found(`Wage, pension and benefit records of the members (last ${INCOME_RECORDS_MONTHS} months)`, 'Human resources and social security (人社), contributed through economic-status verification')
    : null;
};

/**
 * Every finder, by the `hub_source` a material kind names. To let the hub find one more material
 * (e.g. social-insurance records contributed by HR through verification), add its finder here and
 * set that source on the material kind; nothing else changes.
 */
export const MATERIAL_FINDERS: Readonly<Record<string, MaterialFinder>> = {
  RESIDENCE: () => found('Registered residence (户籍地) on the household record', 'Public security household register (公安户籍), via civil affairs'),
  IDENTITY: (facts) => (facts.members.length > 0 && facts.members.every((m) => m.hasIdNumber) ? found('Resident ID numbers of every member on file', 'Public security population register (公安户籍), via civil affairs') : null),
  HOUSEHOLD_COMPOSITION: (facts) => (facts.members.length > 0 ? found(`Members and their relations to the head (${facts.members.length} on file)`, CIVIL_AFFAIRS_REGISTER) : null),
  DISABILITY: disability,
  ELDERLY: elderly,
  MINOR: minor,
  // 特困: elderly, disabled or a minor (under 16 in the regulation; the hub's MINOR line is 18, so it checks 16 itself).
  EXTREME_POVERTY_CONDITION: (facts) =>
    ageAtLeast(facts, ELDERLY_AGE) || ageBelow(facts, 16) || hasAttribute(facts, 'DISABILITY')
      ? found('Ages and disability status of the members on file', "Public security population register and Disabled Persons' Federation (残联) records, via civil affairs")
      : null,
  SERIOUS_ILLNESS: (facts) => (hasAttribute(facts, 'SERIOUS_ILLNESS') ? found('Serious-illness status of a member on file', 'Health commission (卫健) records in the hub') : null),
  HR_INCOME_RECORDS: hrIncomeRecords,
  UNEMPLOYMENT: (facts) => (hasAttribute(facts, 'UNEMPLOYED') ? found('Unemployment status of a member on file', 'Human resources and social security (人社) records in the hub') : null),
};

export function isKnownHubSource(source: string): boolean {
  return Object.hasOwn(MATERIAL_FINDERS, source);
}

/** Runs the finder of a material's hub source; null when it has none or finds nothing. */
export async function findInHub(source: string | null, facts: HouseholdFacts, db: Database): Promise<FoundIn | null> {
  const finder = source === null ? undefined : MATERIAL_FINDERS[source];
  return finder ? finder(facts, db) : null;
}
