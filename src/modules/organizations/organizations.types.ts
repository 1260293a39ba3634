import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { maskPhone } from '../../common/phone';
import { Node } from '../common/node.type';
import { ConnectionType } from '../common/connection';
import { AssistanceRole } from '../capacity/capacity.enums';

export enum OrganizationKind {
  GOVERNMENT_DEPARTMENT = 'GOVERNMENT_DEPARTMENT',
  STREET_OFFICE = 'STREET_OFFICE',
  SERVICE_CENTER = 'SERVICE_CENTER',
  COMMUNITY_COMMITTEE = 'COMMUNITY_COMMITTEE',
  SOCIAL_ORGANIZATION = 'SOCIAL_ORGANIZATION',
  PUBLIC_INSTITUTION = 'PUBLIC_INSTITUTION',
  ENTERPRISE = 'ENTERPRISE',
  VERIFICATION_AGENCY = 'VERIFICATION_AGENCY',
}
registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'What kind of party an organization is.',
  valuesConfig: {
    GOVERNMENT_DEPARTMENT: { description: 'A government department (civil affairs 民政, finance 财政, HR and social security 人社, establishment 编办, …).' },
    STREET_OFFICE: { description: 'A street office (街道办事处) or township government (乡镇人民政府).' },
    SERVICE_CENTER: { description: 'A community affairs acceptance service centre (社区事务受理服务中心) or sub-centre: the one window.' },
    COMMUNITY_COMMITTEE: { description: "A residents' or villagers' committee acting as an organization." },
    SOCIAL_ORGANIZATION: { description: 'A registered social organization (社会组织).' },
    PUBLIC_INSTITUTION: { description: 'A public institution of class II (公益二类事业单位).' },
    ENTERPRISE: { description: 'An enterprise registered with market regulation (企业).' },
    VERIFICATION_AGENCY: { description: 'An economic-status verification agency (居民经济状况核对机构).' },
  },
});

export enum DepartmentFunction {
  CIVIL_AFFAIRS = 'CIVIL_AFFAIRS',
  FINANCE = 'FINANCE',
  HR_SOCIAL_SECURITY = 'HR_SOCIAL_SECURITY',
  ESTABLISHMENT = 'ESTABLISHMENT',
  HEALTH = 'HEALTH',
  EDUCATION = 'EDUCATION',
  HOUSING = 'HOUSING',
  OTHER = 'OTHER',
}
registerEnumType(DepartmentFunction, {
  name: 'DepartmentFunction',
  description: 'The function of a government department.',
  valuesConfig: {
    CIVIL_AFFAIRS: { description: 'Civil affairs (民政): owns social assistance.' },
    FINANCE: { description: 'Finance (财政): budgets and payments.' },
    HR_SOCIAL_SECURITY: { description: 'Human resources and social security (人力资源和社会保障).' },
    ESTABLISHMENT: { description: 'Establishment office (编办): staffing.' },
    HEALTH: { description: 'Health (卫生健康).' },
    EDUCATION: { description: 'Education (教育).' },
    HOUSING: { description: 'Housing (住房).' },
    OTHER: { description: 'Any other function.' },
  },
});

export enum GovernmentLevel {
  CITY = 'CITY',
  DISTRICT = 'DISTRICT',
  STREET = 'STREET',
  COMMUNITY = 'COMMUNITY',
}
registerEnumType(GovernmentLevel, {
  name: 'GovernmentLevel',
  description: 'The administrative level an organization works at.',
  valuesConfig: {
    CITY: { description: 'City (市).' },
    DISTRICT: { description: 'District (区).' },
    STREET: { description: 'Street or town (街道 / 乡镇).' },
    COMMUNITY: { description: 'Community (居委会 / 村委会).' },
  },
});

export enum ProviderStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  BANNED = 'BANNED',
}
registerEnumType(ProviderStatus, {
  name: 'ProviderStatus',
  description: 'Whether a provider may take referrals and contracts.',
  valuesConfig: {
    ACTIVE: { description: 'May take referrals and bid.' },
    SUSPENDED: { description: 'Temporarily stopped; takes no new referrals.' },
    BANNED: { description: 'Banned from government purchase of services until `bannedUntil` (§3(6)).' },
  },
});

export enum StaffPosition {
  CASEWORKER = 'CASEWORKER',
  OFFICER = 'OFFICER',
  COMMITTEE_MEMBER = 'COMMITTEE_MEMBER',
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  MANAGER = 'MANAGER',
}
registerEnumType(StaffPosition, {
  name: 'StaffPosition',
  description: 'What a staff member does.',
  valuesConfig: {
    CASEWORKER: { description: 'Assistance caseworker (社会救助经办人员) who owns cases.' },
    OFFICER: { description: 'Window or back-office officer.' },
    COMMITTEE_MEMBER: { description: "Committee member doing assistance work in a residents' or villagers' committee." },
    SOCIAL_WORKER: { description: "Social worker (社会工作者) of a provider." },
    MANAGER: { description: 'Manager.' },
  },
});

@ObjectType({ implements: Node, description: 'Any party that acts in the graph: departments, street offices, service centres, committees, providers, verification agencies.' })
export class Organization extends Node {
  districtId!: number | null;
  streetId!: number | null;
  committeeId!: number | null;
  parentId!: number | null;
  providerStatus!: ProviderStatus | null;

  @Field(() => OrganizationKind, { description: 'Kind of organization.' })
  kind!: OrganizationKind;

  @Field({ name: 'name', description: 'Registered Chinese name.' })
  nameZh!: string;

  @Field(() => String, { nullable: true, description: 'English name, where one is registered.' })
  nameEn!: string | null;

  @Field(() => String, { nullable: true, description: 'Unified social credit code (统一社会信用代码).' })
  creditCode!: string | null;

  @Field(() => DepartmentFunction, { nullable: true, description: 'Function, for government departments.' })
  departmentFunction!: DepartmentFunction | null;

  @Field(() => GovernmentLevel, { nullable: true, description: 'Administrative level, for public bodies.' })
  level!: GovernmentLevel | null;

  @Field({ description: 'True when the organization can take referrals and contracts (承接主体).' })
  isProvider!: boolean;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day of a ban; null unless banned.' })
  bannedUntil!: string | null;

  @Field(() => String, { nullable: true, description: 'Office address.' })
  address!: string | null;

  @Field(() => String, { nullable: true, description: 'Office telephone.' })
  contactPhone!: string | null;

  @Field({ description: 'When the organization was registered in the hub.' })
  createdAt!: Date;
}

@ObjectType({ implements: Node, description: 'A person working for an organization: caseworker, officer, committee member, social worker.' })
export class StaffMember extends Node {
  organizationId!: number;
  committeeId!: number | null;
  phone!: string | null;

  @Field(() => StaffPosition, { description: 'What this person does.' })
  position!: StaffPosition;

  @Field({ description: 'Full name (a work identity, not a beneficiary).' })
  name!: string;

  @Field({ description: 'False once the person has left the post.' })
  active!: boolean;

  @Field(() => AssistanceRole, { nullable: true, description: 'Assistance work assigned to the person (助理员 / 协理员); null when they do none.' })
  assistanceRole!: AssistanceRole | null;

  @Field({ description: 'True when the person was hired as a recent university graduate (高校毕业生), which HR and social security follows.' })
  graduateHire!: boolean;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Day the person was hired, where recorded; always given for graduate hires.' })
  hiredOn!: string | null;

  @Field(() => String, { name: 'phone', nullable: true, description: 'Work phone, masked (e.g. 138****5678).' })
  get maskedPhone(): string | null {
    return this.phone ? maskPhone(this.phone) : null;
  }
}

export const OrganizationConnection = ConnectionType(Organization, 'Organization', 'organizations');
export const StaffMemberConnection = ConnectionType(StaffMember, 'StaffMember', 'staff members');
