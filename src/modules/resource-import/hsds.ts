import { createHash } from 'node:crypto';
import { groupBy } from '../../common/collections';
import { todayInShanghai } from '../../common/dates';
import { toGlobalId } from '../../common/global-id';
import { AssistanceStatus } from '../households/households.types';
import { CapacityPeriod, ResourceCost, type CreateResourceInput } from '../resources/resources.types';
import type { ReferenceIndex } from './reference-index';
import { CAPACITY_PERIOD_LABELS, COST_LABELS, STATUS_LABELS } from './resource-columns';
import { ImportIssueCode } from './resource-import.codes';
import type { DirectoryRows } from './resource-import.repository';

/**
 * The resource directory in Open Referral's Human Services Data Specification 3.0 (HSDS), JSON
 * form: organizations with their services nested, as the HSDS API's
 * `GET /organizations?full_service=true` answers, in one page. The mapping is in README.md.
 */
export const HSDS_VERSION = '3.0';

/** Taxonomies the export classifies services with (attribute → taxonomy_term → taxonomy). */
export const TAXONOMY = {
  CATALOGUE: 'shanghai-social-assistance-service-catalogue',
  STATUS: 'shanghai-social-assistance-status',
  RESOURCE: 'shanghai-assistance-hub-resource',
} as const;

/** The identifier scheme of the unified social credit code (统一社会信用代码) in organization_identifiers. */
export const CREDIT_CODE_SCHEME = 'CN-USCC';

const NAMESPACE = Buffer.from('8d3f6a2e5b1c4e7fa0d9c8b7e6f5a4d3', 'hex');

/** A name-based (version 5) UUID: HSDS wants UUIDs; the same hub row always gets the same one. */
export function hsdsUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type HsdsObject = { [key: string]: Json };

export interface HsdsPage {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: HsdsObject[];
}

const ORGANIZATION_KIND_LABELS: Readonly<Record<string, string>> = {
  GOVERNMENT_DEPARTMENT: '政府部门',
  STREET_OFFICE: '街道办事处',
  SERVICE_CENTER: '社区事务受理服务中心',
  COMMUNITY_COMMITTEE: '居（村）民委员会',
  SOCIAL_ORGANIZATION: '社会组织',
  PUBLIC_INSTITUTION: '事业单位',
  ENTERPRISE: '企业',
  VERIFICATION_AGENCY: '经济状况核对机构',
};

const AREA_LEVEL_LABELS: Readonly<Record<string, string>> = { DISTRICT: '区', STREET: '街道（镇）', COMMITTEE: '居（村）委会' };

const SERVICE_STATUS: Readonly<Record<string, string>> = { ACTIVE: 'active', PAUSED: 'temporarily closed' };

function term(taxonomy: string, code: string, name: string, description: string): HsdsObject {
  return { id: hsdsUuid(`taxonomy_term/${taxonomy}/${code}`), code, name, description, taxonomy, taxonomy_id: hsdsUuid(`taxonomy/${taxonomy}`), language: 'zh' };
}

function attribute(serviceId: string, n: number, linkType: string, taxonomyTerm: HsdsObject, value?: string): HsdsObject {
  const result: HsdsObject = { id: hsdsUuid(`${serviceId}/attribute/${n}`), link_id: serviceId, link_type: linkType, link_entity: 'service', taxonomy_term_id: taxonomyTerm.id!, taxonomy_term: taxonomyTerm };
  if (value !== undefined) result.value = value;
  return result;
}

const STATUS_DESCRIPTIONS: Readonly<Record<AssistanceStatus, string>> = {
  MINIMUM_LIVING_ALLOWANCE: 'Minimum living allowance (最低生活保障)',
  LOW_INCOME: 'Low-income household (低收入家庭)',
  EXTREME_POVERTY_SUPPORT: 'Support for people in extreme poverty (特困人员供养)',
  EXPENDITURE_POVERTY: 'Expenditure-type poverty (支出型贫困)',
};

function eligibilityText(statuses: readonly string[], minAge: number | null, maxAge: number | null): string {
  const who = statuses.length === 0 ? '所有家庭' : statuses.map((s) => STATUS_LABELS[s as AssistanceStatus] ?? s).join('、');
  const ages = minAge !== null && maxAge !== null ? `，${minAge}至${maxAge}岁` : minAge !== null ? `，${minAge}岁及以上` : maxAge !== null ? `，${maxAge}岁及以下` : '';
  return `${who}${ages}`;
}

/** Builds the directory document from the public directory's rows; ids are name-based UUIDs of hub rows. */
export function buildHsdsDirectory(rows: DirectoryRows, index: ReferenceIndex): HsdsObject[] {
  const areasOf = groupBy(rows.areas, (area) => area.resourceId);
  const resourcesOf = groupBy(rows.resources, (resource) => resource.providerId);
  const districtName = new Map(index.data.districts.map((d) => [d.id, d.nameZh]));
  return rows.organizations.map((organization) => {
    const organizationId = hsdsUuid(`Organization/${organization.id}`);
    const services = (resourcesOf.get(organization.id) ?? []).map((resource): HsdsObject => {
      const id = hsdsUuid(`Resource/${resource.id}`);
      const category = index.categoryById(resource.categoryId);
      const attributes: HsdsObject[] = [];
      if (category) attributes.push(attribute(id, attributes.length, 'service_category', term(TAXONOMY.CATALOGUE, category.code, category.nameZh, category.nameEn)));
      for (const status of resource.eligibleStatuses) {
        attributes.push(attribute(id, attributes.length, 'eligibility', term(TAXONOMY.STATUS, status, STATUS_LABELS[status as AssistanceStatus], STATUS_DESCRIPTIONS[status as AssistanceStatus])));
      }
      attributes.push(attribute(id, attributes.length, 'capacity', term(TAXONOMY.RESOURCE, 'capacity', '容量', 'Units per capacity period'), String(resource.capacity)));
      attributes.push(
        attribute(id, attributes.length, 'capacity_period', term(TAXONOMY.RESOURCE, 'capacity_period', '容量周期', 'ONCE, DAY, WEEK, MONTH or YEAR'), resource.capacityPeriod),
      );
      attributes.push(attribute(id, attributes.length, 'cost', term(TAXONOMY.RESOURCE, 'cost', '费用', 'FREE, CONTRACT_FUNDED or SUBSIDISED'), resource.cost));
      const service: HsdsObject = {
        id,
        organization_id: organizationId,
        name: resource.title,
        status: SERVICE_STATUS[resource.status] ?? 'inactive',
        eligibility_description: eligibilityText(resource.eligibleStatuses, resource.minAge, resource.maxAge),
        fees_description: COST_LABELS[resource.cost as ResourceCost],
      };
      if (resource.description !== null) service.description = resource.description;
      if (resource.minAge !== null) service.minimum_age = resource.minAge;
      if (resource.maxAge !== null) service.maximum_age = resource.maxAge;
      const schedule: HsdsObject = { id: hsdsUuid(`${id}/schedule/0`), service_id: id, valid_from: resource.availableFrom, description: `${CAPACITY_PERIOD_LABELS[resource.capacityPeriod as CapacityPeriod]}容量 ${resource.capacity}` };
      if (resource.availableUntil !== null) schedule.valid_to = resource.availableUntil;
      service.schedules = [schedule];
      service.phones = resource.contactPhone === null ? [] : [{ id: hsdsUuid(`${id}/phone/0`), service_id: id, number: resource.contactPhone }];
      service.contacts = resource.contactName === null ? [] : [{ id: hsdsUuid(`${id}/contact/0`), service_id: id, name: resource.contactName }];
      service.service_areas = (areasOf.get(resource.id) ?? []).map((area) => ({
        id: hsdsUuid(`ResourceServiceArea/${area.id}`),
        service_id: id,
        name: index.areaPath(area),
        description: AREA_LEVEL_LABELS[area.level] ?? area.level,
        extent_type: 'text',
      }));
      // A resource names no site of its own: where it is offered is its service area.
      service.service_at_locations = [];
      service.attributes = attributes;
      return service;
    });
    const result: HsdsObject = { id: organizationId, name: organization.nameZh, description: ORGANIZATION_KIND_LABELS[organization.kind] ?? organization.kind };
    if (organization.nameEn) result.alternate_name = organization.nameEn;
    result.organization_identifiers = organization.creditCode
      ? [{ id: hsdsUuid(`${organizationId}/identifier/0`), organization_id: organizationId, identifier_scheme: CREDIT_CODE_SCHEME, identifier_type: '统一社会信用代码', identifier: organization.creditCode }]
      : [];
    result.phones = organization.contactPhone ? [{ id: hsdsUuid(`${organizationId}/phone/0`), organization_id: organizationId, number: organization.contactPhone }] : [];
    result.locations = organization.address
      ? [
          {
            id: hsdsUuid(`${organizationId}/location/0`),
            location_type: 'physical',
            organization_id: organizationId,
            name: organization.nameZh,
            addresses: [
              {
                id: hsdsUuid(`${organizationId}/address/0`),
                location_id: hsdsUuid(`${organizationId}/location/0`),
                address_1: organization.address,
                city: '上海市',
                region: organization.districtId !== null ? (districtName.get(organization.districtId) ?? '') : '',
                state_province: '上海市',
                country: 'CN',
                address_type: 'physical',
              },
            ],
          },
        ]
      : [];
    result.services = services;
    return result;
  });
}

/** One page of a list, in the HSDS API's page form. */
export function hsdsPage(items: readonly HsdsObject[], page: number, perPage: number): HsdsPage {
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const contents = items.slice((page - 1) * perPage, page * perPage);
  return { total_items: items.length, total_pages: totalPages, page_number: page, size: contents.length, first_page: page === 1, last_page: page >= totalPages, empty: contents.length === 0, contents };
}

/* ---------------------------------------------------------------- import */

export interface HsdsIssue {
  readonly line: number | null;
  readonly column: string | null;
  readonly code: ImportIssueCode;
  readonly message: string;
}

/** A service of the document, with the organization it belongs to. */
export interface HsdsServiceEntry {
  readonly line: number;
  readonly path: string;
  readonly service: HsdsObject;
  readonly organization: HsdsObject | undefined;
  readonly organizationPath: string | undefined;
}

const isObject = (value: unknown): value is HsdsObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
const asText = (value: Json | undefined): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/**
 * The services of a document: a page (`contents`) or a list of organizations with nested services,
 * a page or list of services (each with `organization` or `organization_id`), or one organization.
 */
export function servicesOfDocument(document: unknown): { entries: HsdsServiceEntry[]; organizations: Map<string, { organization: HsdsObject; path: string }> } | { error: string } {
  const organizations = new Map<string, { organization: HsdsObject; path: string }>();
  let items: unknown[];
  let base: string;
  if (Array.isArray(document)) {
    items = document;
    base = '';
  } else if (isObject(document) && Array.isArray(document.contents)) {
    items = document.contents;
    base = 'contents';
  } else if (isObject(document) && Array.isArray(document.organizations)) {
    items = document.organizations;
    base = 'organizations';
  } else if (isObject(document) && (Array.isArray(document.services) || typeof document.name === 'string')) {
    items = [document];
    base = '';
  } else {
    return { error: 'The document is neither an HSDS organization or service, a list of them, nor a page of them (contents)' };
  }
  const entries: HsdsServiceEntry[] = [];
  const at = (i: number): string => (base === '' ? (Array.isArray(document) ? `[${i}]` : '') : `${base}[${i}]`);
  items.forEach((item, i) => {
    if (!isObject(item)) return;
    const path = at(i);
    const isOrganization = Array.isArray(item.services) || Array.isArray(item.organization_identifiers) || (!('status' in item) && !('organization_id' in item) && !('service_areas' in item));
    if (isOrganization) {
      const id = asText(item.id);
      if (id) organizations.set(id, { organization: item, path });
      asArray(item.services).forEach((service, j) => {
        if (isObject(service)) entries.push({ line: entries.length + 1, path: `${path}${path ? '.' : ''}services[${j}]`, service, organization: item, organizationPath: path });
      });
    } else {
      const nested = isObject(item.organization) ? item.organization : undefined;
      if (nested && asText(nested.id)) organizations.set(asText(nested.id)!, { organization: nested, path: `${path}.organization` });
      entries.push({ line: entries.length + 1, path, service: item, organization: nested, organizationPath: nested ? `${path}.organization` : undefined });
    }
  });
  // Services that name their organization only by id find it among the document's organizations.
  return {
    entries: entries.map((entry) => {
      if (entry.organization) return entry;
      const found = organizations.get(asText(entry.service.organization_id) ?? '');
      return found ? { ...entry, organization: found.organization, organizationPath: found.path } : entry;
    }),
    organizations,
  };
}

/** How the hub recognises an organization of the document: its credit code, else its name. */
export function organizationKeys(organization: HsdsObject | undefined): { creditCode: string | undefined; name: string | undefined } {
  if (!organization) return { creditCode: undefined, name: undefined };
  const identifier = asArray(organization.organization_identifiers)
    .filter(isObject)
    .find((entry) => asText(entry.identifier_scheme) === CREDIT_CODE_SCHEME || asText(entry.identifier_type) === '统一社会信用代码');
  return { creditCode: identifier ? asText(identifier.identifier) : undefined, name: asText(organization.name)?.trim() };
}

/** Service fields the import reads; any other non-empty field is reported as unmapped. */
const MAPPED_SERVICE_FIELDS = new Set([
  'id',
  'organization_id',
  'organization',
  'name',
  'description',
  'status',
  'minimum_age',
  'maximum_age',
  'schedules',
  'phones',
  'contacts',
  'service_areas',
  'attributes',
  // Written from mapped fields by the export, and so not lost: the text forms of eligibility and cost.
  'eligibility_description',
  'fees_description',
]);

function isEmpty(value: Json | undefined): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

function termOf(attributeValue: HsdsObject): { taxonomy: string | undefined; code: string | undefined; name: string | undefined } {
  const t = isObject(attributeValue.taxonomy_term) ? attributeValue.taxonomy_term : {};
  return { taxonomy: asText(t.taxonomy), code: asText(t.code), name: asText(t.name) };
}

/**
 * Maps one HSDS service to `CreateResourceInput`. `issues` refuse the service; `warnings` list
 * what was ignored or assumed. Fields the resource's own validation checks (lengths, ranges,
 * the phone number, the window) are left to it.
 */
export function serviceToInput(
  entry: HsdsServiceEntry,
  provider: string,
  index: ReferenceIndex,
  today: string = todayInShanghai(),
): { input: CreateResourceInput; issues: { field: string; code: ImportIssueCode; message: string }[]; warnings: HsdsIssue[]; columns: Record<string, string> } {
  const { service, path } = entry;
  const issues: { field: string; code: ImportIssueCode; message: string }[] = [];
  const warnings: HsdsIssue[] = [];
  const columns: Record<string, string> = {};
  const at = (suffix: string): string => `${path}${path ? '.' : ''}${suffix}`;
  const warn = (suffix: string, code: ImportIssueCode, message: string): void => {
    warnings.push({ line: entry.line, column: at(suffix), code, message });
  };
  for (const [field, value] of Object.entries(service)) {
    if (!MAPPED_SERVICE_FIELDS.has(field) && !isEmpty(value)) warn(field, ImportIssueCode.UNMAPPED_FIELD, `The hub has no place for a service's ${field}; it is not imported`);
  }
  const status = asText(service.status) ?? 'active';
  if (status !== 'active') issues.push({ field: 'status', code: ImportIssueCode.INVALID_STATE, message: `Only active services are imported; this one is "${status}"` });
  columns.status = at('status');

  columns.title = at('name');
  columns.description = at('description');
  const attributes = asArray(service.attributes).filter(isObject);
  const hubValue = (code: string): { value: string | undefined; path: string } => {
    const i = attributes.findIndex((a) => termOf(a).taxonomy === TAXONOMY.RESOURCE && termOf(a).code === code);
    return { value: i >= 0 ? asText(attributes[i]!.value) : undefined, path: at(i >= 0 ? `attributes[${i}].value` : 'attributes') };
  };

  // The catalogue item: a term of the catalogue taxonomy, else any term whose code or name is a catalogue item.
  let category = '';
  const categoryIndex = attributes.findIndex((a) => termOf(a).taxonomy === TAXONOMY.CATALOGUE);
  const candidates = categoryIndex >= 0 ? [categoryIndex] : attributes.map((_, i) => i);
  columns.category = at(categoryIndex >= 0 ? `attributes[${categoryIndex}].taxonomy_term` : 'attributes');
  for (const i of candidates) {
    const t = termOf(attributes[i]!);
    const found = [t.code, t.name].filter((v): v is string => v !== undefined).map((v) => index.category(v)).find((lookup) => 'found' in lookup);
    if (found && 'found' in found) {
      category = toGlobalId('ServiceCategory', found.found.id);
      break;
    }
  }
  if (category === '') issues.push({ field: 'category', code: ImportIssueCode.NOT_FOUND, message: 'No attribute names an item of the hub catalogue (taxonomy term code such as CARE_NURSING)' });

  const eligibleStatuses: AssistanceStatus[] = [];
  attributes.forEach((a, i) => {
    const t = termOf(a);
    if (t.taxonomy !== TAXONOMY.STATUS) return;
    const value = Object.values(AssistanceStatus).find((s) => s === t.code);
    if (value) eligibleStatuses.push(value);
    else issues.push({ field: `eligibleStatuses`, code: ImportIssueCode.INVALID, message: `"${t.code}" is not an assistance status` });
    columns.eligibleStatuses = at(`attributes[${i}].taxonomy_term`);
  });

  const capacity = hubValue('capacity');
  columns.capacity = capacity.path;
  let capacityValue = 0;
  if (capacity.value === undefined) warn('attributes', ImportIssueCode.DEFAULTED, 'No capacity attribute: capacity 0 (none free at the moment) is assumed');
  else if (/^\d{1,9}$/.test(capacity.value)) capacityValue = Number(capacity.value);
  else issues.push({ field: 'capacity', code: ImportIssueCode.INVALID, message: `"${capacity.value}" is not a whole number` });

  const period = hubValue('capacity_period');
  columns.capacityPeriod = period.path;
  let capacityPeriod = CapacityPeriod.ONCE;
  if (period.value === undefined) warn('attributes', ImportIssueCode.DEFAULTED, 'No capacity_period attribute: ONCE is assumed');
  else if ((Object.values(CapacityPeriod) as string[]).includes(period.value)) capacityPeriod = period.value as CapacityPeriod;
  else issues.push({ field: 'capacityPeriod', code: ImportIssueCode.INVALID, message: `"${period.value}" is not ONCE, DAY, WEEK, MONTH or YEAR` });

  const cost = hubValue('cost');
  columns.cost = cost.path;
  let costValue = ResourceCost.FREE;
  if (cost.value === undefined) warn('attributes', ImportIssueCode.DEFAULTED, 'No cost attribute: FREE is assumed');
  else if ((Object.values(ResourceCost) as string[]).includes(cost.value)) costValue = cost.value as ResourceCost;
  else issues.push({ field: 'cost', code: ImportIssueCode.INVALID, message: `"${cost.value}" is not FREE, CONTRACT_FUNDED or SUBSIDISED` });

  const age = (field: 'minimum_age' | 'maximum_age', key: 'minAge' | 'maxAge'): number | null => {
    columns[key] = at(field);
    const value = service[field];
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    issues.push({ field: key, code: ImportIssueCode.INVALID, message: `${field} must be a whole number` });
    return null;
  };
  const minAge = age('minimum_age', 'minAge');
  const maxAge = age('maximum_age', 'maxAge');

  const schedules = asArray(service.schedules).filter(isObject);
  const schedule = schedules[0];
  columns.availableFrom = at('schedules[0].valid_from');
  columns.availableUntil = at('schedules[0].valid_to');
  let availableFrom = asText(schedule?.valid_from)?.slice(0, 10);
  if (!availableFrom) {
    availableFrom = today;
    warn('schedules', ImportIssueCode.DEFAULTED, `No schedule with valid_from: available from today (${today}) is assumed`);
  }
  const availableUntil = asText(schedule?.valid_to)?.slice(0, 10) ?? null;
  if (schedules.length > 1) warn('schedules', ImportIssueCode.UNMAPPED_FIELD, 'Only the first schedule is imported (its valid_from and valid_to)');

  const phones = asArray(service.phones).filter(isObject);
  columns.contactPhone = at('phones[0].number');
  if (phones.length > 1) warn('phones', ImportIssueCode.UNMAPPED_FIELD, 'Only the first phone is imported');
  const contacts = asArray(service.contacts).filter(isObject);
  columns.contactName = at('contacts[0].name');
  if (contacts.length > 1) warn('contacts', ImportIssueCode.UNMAPPED_FIELD, 'Only the first contact is imported');

  const serviceArea: { area: string }[] = [];
  columns.serviceArea = at('service_areas');
  asArray(service.service_areas)
    .filter(isObject)
    .forEach((area, i) => {
      const name = asText(area.name) ?? '';
      const found = index.area(name);
      if ('found' in found) serviceArea.push({ area: found.found });
      else issues.push({ field: 'serviceArea', code: ImportIssueCode[found.missing], message: `service_areas[${i}]: ${found.message}` });
    });

  const input: CreateResourceInput = {
    provider,
    category,
    title: asText(service.name) ?? '',
    description: asText(service.description) ?? null,
    capacity: capacityValue,
    capacityPeriod,
    eligibleStatuses,
    minAge,
    maxAge,
    availableFrom,
    availableUntil,
    cost: costValue,
    contactName: asText(contacts[0]?.name) ?? null,
    contactPhone: asText(phones[0]?.number) ?? null,
    isPublic: true,
    serviceArea,
  };
  return { input, issues, warnings, columns };
}
