import { registerEnumType } from 'type-graphql';

/** Roles of the people and systems that use the hub; a principal may hold several. */
export enum Role {
  CITY_CIVIL_AFFAIRS = 'CITY_CIVIL_AFFAIRS',
  DISTRICT_CIVIL_AFFAIRS = 'DISTRICT_CIVIL_AFFAIRS',
  STREET_OFFICER = 'STREET_OFFICER',
  SERVICE_CENTER_OFFICER = 'SERVICE_CENTER_OFFICER',
  CASEWORKER = 'CASEWORKER',
  COMMITTEE_MEMBER = 'COMMITTEE_MEMBER',
  FINANCE_OFFICER = 'FINANCE_OFFICER',
  HR_SOCIAL_SECURITY = 'HR_SOCIAL_SECURITY',
  VERIFICATION_AGENCY = 'VERIFICATION_AGENCY',
  PROVIDER_STAFF = 'PROVIDER_STAFF',
  COMMUNITY_ORGANIZATION = 'COMMUNITY_ORGANIZATION',
  AUDITOR = 'AUDITOR',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'A role a signed-in user holds; it decides which rows and fields they see and what they may change.',
  valuesConfig: {
    CITY_CIVIL_AFFAIRS: { description: 'City civil affairs bureau (市民政局): the whole city; administers the service catalogue.' },
    DISTRICT_CIVIL_AFFAIRS: { description: 'District civil affairs bureau (区民政局): everything in its districts.' },
    STREET_OFFICER: { description: 'Street office or township officer (街道 / 乡镇): everything in its streets.' },
    SERVICE_CENTER_OFFICER: { description: 'Officer of a community affairs acceptance service centre: intake in its streets.' },
    CASEWORKER: { description: 'Assistance caseworker: the households of the cases they own.' },
    COMMITTEE_MEMBER: { description: "Residents' or villagers' committee member: households in its streets, without finances." },
    FINANCE_OFFICER: { description: 'Finance bureau officer (财政): budgets and payments; no personal data.' },
    HR_SOCIAL_SECURITY: { description: 'HR and social security data contributor (人社): aggregate and employment data; no personal data.' },
    VERIFICATION_AGENCY: { description: 'Economic-status verification agency (核对机构): households under verification, for that purpose.' },
    PROVIDER_STAFF: { description: 'Staff of a provider (承接主体): its own resources, and only the households referred to it.' },
    COMMUNITY_ORGANIZATION: { description: 'Community organisation or volunteer group: its own resources.' },
    AUDITOR: { description: 'Auditor: reads the audit log; no personal data in clear.' },
  },
});

/** The roles whose access is bounded by the districts or streets in their token. */
export const GEOGRAPHIC_ROLES: readonly Role[] = [Role.DISTRICT_CIVIL_AFFAIRS, Role.STREET_OFFICER, Role.SERVICE_CENTER_OFFICER, Role.COMMITTEE_MEMBER];
