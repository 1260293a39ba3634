import { fromGlobalId } from '../../common/global-id';
import { isValidMainlandPhone, normalisePhone } from '../../common/phone';
import { authorizeWrite } from '../../auth/authorize';
import type { Actor } from '../../auth/actor';
import { AuditAction } from '../audit/audit.types';
import type { Database } from '../../db/client';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { inputId } from '../common/ids';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, checkIntRange, checkWindow, optionalText, requiredText } from '../common/validate';
import { effectiveProviderStatus } from '../organizations/provider-status';
import { ProviderStatus } from '../organizations/organizations.types';
import {
  findAreaRef,
  findCategoryRetirement,
  findProviderState,
  insertResource,
  lockResource,
  updateResourceRow,
  type AreaRef,
  type NewResourceRow,
  type NewServiceAreaRow,
  type ResourceRow,
} from './resources.repository';
import { canMoveResource } from './resources.transitions';
import { ResourceStatus, type CloseResourceInput, type CreateResourceInput, type ServiceAreaInput, type UpdateResourceInput } from './resources.types';

export type ResourceResult = MutationResult<ResourceRow>;

const MAX_CAPACITY = 1_000_000;
const MAX_AREA_ENTRIES = 200;
const AREA_LEVELS: Readonly<Record<string, AreaRef['level']>> = { District: 'DISTRICT', Street: 'STREET', Committee: 'COMMITTEE' };

/** Resolves every entry to its place in the geography; duplicates and unknown areas are user errors. */
export async function resolveServiceArea(tx: Database, entries: readonly ServiceAreaInput[], errors: UserErrors): Promise<NewServiceAreaRow[]> {
  const field = ['input', 'serviceArea'] as const;
  if (entries.length === 0) errors.add(field, UserErrorCode.REQUIRED, 'A resource needs at least one district, street or committee it serves');
  if (entries.length > MAX_AREA_ENTRIES) errors.add(field, UserErrorCode.OUT_OF_RANGE, `At most ${MAX_AREA_ENTRIES} service-area entries`);
  const seen = new Set<string>();
  const rows: NewServiceAreaRow[] = [];
  for (const [i, entry] of entries.slice(0, MAX_AREA_ENTRIES).entries()) {
    const decoded = fromGlobalId(entry.area);
    const level = decoded ? AREA_LEVELS[decoded.typeName] : undefined;
    if (!decoded || !level) {
      errors.add([...field, i, 'area'], UserErrorCode.NOT_FOUND, 'Not the ID of a District, Street or Committee');
      continue;
    }
    // Keyed by the decoded ID: one area can be spelled by more than one global-ID string.
    const key = `${level}:${decoded.id}`;
    if (seen.has(key)) {
      errors.add([...field, i, 'area'], UserErrorCode.INVALID, 'This area is listed twice');
      continue;
    }
    seen.add(key);
    const ref = await findAreaRef(tx, level, decoded.id);
    if (!ref) {
      errors.add([...field, i, 'area'], UserErrorCode.NOT_FOUND, `No such ${decoded.typeName}`);
      continue;
    }
    rows.push({
      level: ref.level,
      districtId: ref.districtId,
      streetId: ref.level === 'DISTRICT' ? null : ref.streetId,
      committeeId: ref.level === 'COMMITTEE' ? ref.committeeId : null,
    });
  }
  return rows;
}

async function checkCategory(tx: Database, globalId: string, errors: UserErrors): Promise<number | undefined> {
  const id = inputId(globalId, 'ServiceCategory', ['input', 'category'], errors);
  if (id === undefined) return undefined;
  const category = await findCategoryRetirement(tx, id);
  if (!category) errors.add(['input', 'category'], UserErrorCode.NOT_FOUND, 'No such catalogue item');
  else if (category.retiredAt !== null) errors.add(['input', 'category'], UserErrorCode.INACTIVE, 'The catalogue item is retired');
  return id;
}

function checkPhone(errors: UserErrors, value: string | null | undefined): string | null | undefined {
  if (value == null || value.trim() === '') return value == null ? value : null;
  if (!isValidMainlandPhone(value)) {
    errors.add(['input', 'contactPhone'], UserErrorCode.INVALID, 'contactPhone must be a mainland mobile number or a fixed line with its area code');
    return undefined;
  }
  return normalisePhone(value);
}

function checkAges(errors: UserErrors, minAge: number | null | undefined, maxAge: number | null | undefined): void {
  const minOk = minAge == null || checkIntRange(errors, ['input', 'minAge'], minAge, 0, 150);
  const maxOk = maxAge == null || checkIntRange(errors, ['input', 'maxAge'], maxAge, 0, 150);
  if (minOk && maxOk && minAge != null && maxAge != null && maxAge < minAge) {
    errors.add(['input', 'maxAge'], UserErrorCode.OUT_OF_RANGE, 'maxAge must not be below minAge');
  }
}

/**
 * The provider a new resource is posted for: it must exist, be a provider in good standing, and
 * be one the viewer may post for (FORBIDDEN otherwise). Bulk imports check it once up front.
 */
export async function checkProvider(tx: Database, viewer: Actor['viewer'], globalId: string, errors: UserErrors): Promise<number | undefined> {
  const providerId = inputId(globalId, 'Organization', ['input', 'provider'], errors);
  const provider = providerId === undefined ? undefined : await findProviderState(tx, providerId);
  if (provider) authorizeWrite(viewer, 'createResource', { organizationId: provider.id });
  if (providerId !== undefined && !provider) errors.add(['input', 'provider'], UserErrorCode.NOT_FOUND, 'No such organization');
  else if (provider && !provider.isProvider) errors.add(['input', 'provider'], UserErrorCode.INVALID, 'The organization is not registered as a provider');
  else if (provider && effectiveProviderStatus(provider.providerStatus as ProviderStatus, provider.bannedUntil) !== ProviderStatus.ACTIVE) {
    errors.add(['input', 'provider'], UserErrorCode.INACTIVE, 'The provider is suspended or banned and cannot post resources');
  }
  return providerId;
}

export function createResource(db: Database, actor: Actor, input: CreateResourceInput): Promise<ResourceResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'createResource');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'Resource', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    const providerId = await checkProvider(tx, viewer, input.provider, errors);
    const categoryId = await checkCategory(tx, input.category, errors);
    const title = requiredText(errors, ['input', 'title'], input.title, 100);
    const description = optionalText(errors, ['input', 'description'], input.description, 2000);
    checkIntRange(errors, ['input', 'capacity'], input.capacity, 0, MAX_CAPACITY);
    checkAges(errors, input.minAge, input.maxAge);
    if (checkDate(errors, ['input', 'availableFrom'], input.availableFrom) && checkDate(errors, ['input', 'availableUntil'], input.availableUntil)) {
      checkWindow(errors, ['input', 'availableUntil'], input.availableFrom, input.availableUntil);
    }
    const contactName = optionalText(errors, ['input', 'contactName'], input.contactName, 50);
    const contactPhone = checkPhone(errors, input.contactPhone);
    const area = await resolveServiceArea(tx, input.serviceArea, errors);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertResource(
      tx,
      {
        providerId: providerId!,
        categoryId: categoryId!,
        title: title!,
        description: description ?? null,
        capacity: input.capacity,
        capacityPeriod: input.capacityPeriod,
        eligibleStatuses: [...new Set(input.eligibleStatuses)],
        minAge: input.minAge ?? null,
        maxAge: input.maxAge ?? null,
        availableFrom: input.availableFrom,
        availableUntil: input.availableUntil ?? null,
        cost: input.cost,
        contactName: contactName ?? null,
        contactPhone: contactPhone ?? null,
        isPublic: input.isPublic,
      },
      area,
    );
  });
}

async function lockForChange(tx: Database, viewer: Actor['viewer'], operation: 'updateResource' | 'closeResource', globalId: string, errors: UserErrors): Promise<ResourceRow | undefined> {
  const id = inputId(globalId, 'Resource', ['input', 'id'], errors);
  const resource = id === undefined ? undefined : await lockResource(tx, id);
  if (id !== undefined && !resource) errors.add(['input', 'id'], UserErrorCode.NOT_FOUND, 'No such resource');
  if (resource) authorizeWrite(viewer, operation, { organizationId: resource.providerId });
  return resource;
}

/** What a contract fixes of its resources (provider, item, capacity, area, term, funding): changed only through the contract. */
const CONTRACT_FIXED_FIELDS = ['category', 'capacity', 'capacityPeriod', 'availableFrom', 'availableUntil', 'cost', 'serviceArea'] as const;

function refuseContractTerms(input: UpdateResourceInput, errors: UserErrors): void {
  for (const name of CONTRACT_FIXED_FIELDS) {
    if (input[name] !== undefined) errors.add(['input', name], UserErrorCode.INVALID_STATE, `${name} of a contract's resource is set by the contract`);
  }
}

export function updateResource(db: Database, actor: Actor, input: UpdateResourceInput): Promise<ResourceResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'updateResource');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'Resource', fields: () => givenFields(input).filter((f) => f !== 'id') }, async (tx) => {
    const errors = new UserErrors();
    const resource = await lockForChange(tx, viewer, 'updateResource', input.id, errors);
    if (resource?.status === ResourceStatus.CLOSED) errors.add(['input', 'id'], UserErrorCode.INVALID_STATE, 'A closed resource cannot be changed');
    if (resource?.contractId != null) refuseContractTerms(input, errors);
    const changes: Partial<NewResourceRow> = {};
    if (input.category != null) changes.categoryId = await checkCategory(tx, input.category, errors);
    if (input.title != null) changes.title = requiredText(errors, ['input', 'title'], input.title, 100);
    if (input.description != null) changes.description = optionalText(errors, ['input', 'description'], input.description, 2000) ?? null;
    if (input.capacity != null && checkIntRange(errors, ['input', 'capacity'], input.capacity, 0, MAX_CAPACITY)) {
      // The row is locked: no referral can take units between this check and the update.
      if (resource && input.capacity < resource.heldUnits) {
        errors.add(['input', 'capacity'], UserErrorCode.CONFLICT, `${resource.heldUnits} units are held by live referrals; capacity cannot go below that`);
      }
      changes.capacity = input.capacity;
    }
    if (input.capacityPeriod != null) changes.capacityPeriod = input.capacityPeriod;
    if (input.eligibleStatuses != null) changes.eligibleStatuses = [...new Set(input.eligibleStatuses)];
    if (input.minAge !== undefined) changes.minAge = input.minAge;
    if (input.maxAge !== undefined) changes.maxAge = input.maxAge;
    if (resource) checkAges(errors, changes.minAge !== undefined ? changes.minAge : resource.minAge, changes.maxAge !== undefined ? changes.maxAge : resource.maxAge);
    if (checkDate(errors, ['input', 'availableFrom'], input.availableFrom) && checkDate(errors, ['input', 'availableUntil'], input.availableUntil) && resource) {
      if (input.availableFrom != null) changes.availableFrom = input.availableFrom;
      if (input.availableUntil !== undefined) changes.availableUntil = input.availableUntil;
      const until = changes.availableUntil !== undefined ? changes.availableUntil : resource.availableUntil;
      checkWindow(errors, ['input', input.availableUntil != null ? 'availableUntil' : 'availableFrom'], changes.availableFrom ?? resource.availableFrom, until);
    }
    if (input.cost != null) changes.cost = input.cost;
    if (input.contactName !== undefined) changes.contactName = optionalText(errors, ['input', 'contactName'], input.contactName, 50) ?? null;
    if (input.contactPhone !== undefined) changes.contactPhone = checkPhone(errors, input.contactPhone) ?? null;
    if (input.isPublic != null) changes.isPublic = input.isPublic;
    const area = input.serviceArea != null ? await resolveServiceArea(tx, input.serviceArea, errors) : undefined;
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return updateResourceRow(tx, resource!.id, changes, area);
  });
}

export function closeResource(db: Database, actor: Actor, input: CloseResourceInput): Promise<ResourceResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'closeResource');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'Resource', fields: () => ['status', 'closedAt', 'closureReason'] }, async (tx) => {
    const errors = new UserErrors();
    const resource = await lockForChange(tx, viewer, 'closeResource', input.id, errors);
    if (resource && !canMoveResource(resource.status as ResourceStatus, ResourceStatus.CLOSED)) {
      errors.add(['input', 'id'], UserErrorCode.INVALID_STATE, 'The resource is already closed');
    }
    const reason = requiredText(errors, ['input', 'reason'], input.reason, 500);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return updateResourceRow(tx, resource!.id, { status: ResourceStatus.CLOSED, closedAt: new Date(), closureReason: reason! });
  });
}
