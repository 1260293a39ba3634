import { authorizeWrite } from '../../auth/authorize';
import type { Actor } from '../../auth/actor';
import { AuditAction } from '../audit/audit.types';
import type { Database } from '../../db/client';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { inputId } from '../common/ids';
import { optionalText, requiredText } from '../common/validate';
import type { CreateServiceCategoryInput, UpdateServiceCategoryInput } from './catalogue.types';
import {
  findServiceCategoryByCode,
  findServiceCategoryById,
  insertServiceCategory,
  nextSortOrder,
  updateServiceCategoryRow,
  type ServiceCategoryRow,
} from './catalogue.repository';

export type CatalogueResult = MutationResult<ServiceCategoryRow>;

const CODE = /^[A-Z][A-Z0-9_]{2,39}$/;

export function createServiceCategory(db: Database, actor: Actor, input: CreateServiceCategoryInput): Promise<CatalogueResult> {
  authorizeWrite(actor.viewer, 'administerCatalogue');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'ServiceCategory', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    if (!CODE.test(input.code)) errors.add(['input', 'code'], UserErrorCode.INVALID, 'code must be 3–40 upper-case letters, digits or underscores, starting with a letter');
    const nameZh = requiredText(errors, ['input', 'nameZh'], input.nameZh, 50);
    const nameEn = requiredText(errors, ['input', 'nameEn'], input.nameEn, 100);
    const description = optionalText(errors, ['input', 'description'], input.description, 1000);
    if (!errors.any && (await findServiceCategoryByCode(tx, input.code))) {
      errors.add(['input', 'code'], UserErrorCode.CONFLICT, 'A catalogue item with this code exists');
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertServiceCategory(tx, {
      code: input.code,
      group: input.group,
      nameZh: nameZh!,
      nameEn: nameEn!,
      description: description ?? null,
      sortOrder: await nextSortOrder(tx, input.group),
    });
  });
}

export function updateServiceCategory(db: Database, actor: Actor, input: UpdateServiceCategoryInput): Promise<CatalogueResult> {
  authorizeWrite(actor.viewer, 'administerCatalogue');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'ServiceCategory', fields: () => givenFields(input).filter((f) => f !== 'id') }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.id, 'ServiceCategory', ['input', 'id'], errors);
    const current = id === undefined ? undefined : await findServiceCategoryById(tx, id);
    if (id !== undefined && !current) errors.add(['input', 'id'], UserErrorCode.NOT_FOUND, 'No such catalogue item');
    const changes: Partial<ServiceCategoryRow> = {};
    if (input.nameZh != null) changes.nameZh = requiredText(errors, ['input', 'nameZh'], input.nameZh, 50);
    if (input.nameEn != null) changes.nameEn = requiredText(errors, ['input', 'nameEn'], input.nameEn, 100);
    if (input.description !== undefined) changes.description = optionalText(errors, ['input', 'description'], input.description, 1000) ?? null;
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return updateServiceCategoryRow(tx, id!, changes);
  });
}

/** Retiring keeps the item for history; reinstating undoes it. */
export function setServiceCategoryRetired(db: Database, actor: Actor, globalId: string, retired: boolean): Promise<CatalogueResult> {
  authorizeWrite(actor.viewer, 'administerCatalogue');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'ServiceCategory', fields: () => ['retiredAt'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(globalId, 'ServiceCategory', ['id'], errors);
    const current = id === undefined ? undefined : await findServiceCategoryById(tx, id);
    if (id !== undefined && !current) errors.add(['id'], UserErrorCode.NOT_FOUND, 'No such catalogue item');
    if (current && (current.retiredAt !== null) === retired) {
      errors.add(['id'], UserErrorCode.INVALID_STATE, retired ? 'The item is already retired' : 'The item is not retired');
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return updateServiceCategoryRow(tx, id!, { retiredAt: retired ? new Date() : null });
  });
}
