import { pgEnum } from 'drizzle-orm/pg-core';

export const subdistrictKind = pgEnum('subdistrict_kind', ['STREET', 'TOWN']);
export const committeeKind = pgEnum('committee_kind', ['RESIDENTS', 'VILLAGERS']);
export const organizationKind = pgEnum('organization_kind', [
  'GOVERNMENT_DEPARTMENT',
  'STREET_OFFICE',
  'SERVICE_CENTER',
  'COMMUNITY_COMMITTEE',
  'SOCIAL_ORGANIZATION',
  'PUBLIC_INSTITUTION',
  'ENTERPRISE',
  'VERIFICATION_AGENCY',
]);
export const departmentFunction = pgEnum('department_function', [
  'CIVIL_AFFAIRS',
  'FINANCE',
  'HR_SOCIAL_SECURITY',
  'ESTABLISHMENT',
  'HEALTH',
  'EDUCATION',
  'HOUSING',
  'OTHER',
]);
export const governmentLevel = pgEnum('government_level', ['CITY', 'DISTRICT', 'STREET', 'COMMUNITY']);
export const providerStatus = pgEnum('provider_status', ['ACTIVE', 'SUSPENDED', 'BANNED']);
export const catalogueGroup = pgEnum('catalogue_group', ['ADMINISTRATIVE', 'DIRECT_SERVICE']);
export const assistanceStatus = pgEnum('assistance_status', [
  'MINIMUM_LIVING_ALLOWANCE',
  'LOW_INCOME',
  'EXTREME_POVERTY_SUPPORT',
  'EXPENDITURE_POVERTY',
]);
export const personAttribute = pgEnum('person_attribute', [
  'DISABILITY',
  'ELDERLY_LIVING_ALONE',
  'MINOR',
  'SERIOUS_ILLNESS',
  'UNEMPLOYED',
]);
export const sex = pgEnum('sex', ['MALE', 'FEMALE']);
export const householdRelation = pgEnum('household_relation', ['HEAD', 'SPOUSE', 'CHILD', 'PARENT', 'GRANDCHILD', 'SIBLING', 'OTHER']);
export const staffPosition = pgEnum('staff_position', ['CASEWORKER', 'OFFICER', 'COMMITTEE_MEMBER', 'SOCIAL_WORKER', 'MANAGER']);
export const caseStatus = pgEnum('case_status', ['OPEN', 'CLOSED']);
export const urgency = pgEnum('urgency', ['CRITICAL', 'HIGH', 'NORMAL', 'LOW']);
export const needStatus = pgEnum('need_status', ['OPEN', 'MATCHED', 'FULFILLED', 'WITHDRAWN']);
export const resourceStatus = pgEnum('resource_status', ['ACTIVE', 'PAUSED', 'CLOSED']);
export const capacityPeriod = pgEnum('capacity_period', ['ONCE', 'DAY', 'WEEK', 'MONTH', 'YEAR']);
export const resourceCost = pgEnum('resource_cost', ['FREE', 'CONTRACT_FUNDED', 'SUBSIDISED']);
export const areaLevel = pgEnum('area_level', ['DISTRICT', 'STREET', 'COMMITTEE']);
export const referralStatus = pgEnum('referral_status', ['PROPOSED', 'ACCEPTED', 'IN_SERVICE', 'COMPLETED', 'DECLINED', 'EXPIRED', 'CANCELLED', 'TRANSFERRED']);
