import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { optionalText, requiredText } from '../common/validate';
import {
  checklistsOfTypes,
  findMaterialKindByCode,
  findMaterialKindById,
  insertMaterialKind,
  lockChecklistOfType,
  replaceChecklist,
  updateMaterialKindRow,
  type MaterialKindRow,
} from './applications.repository';
import type { CreateMaterialKindInput, SetApplicationChecklistInput, UpdateMaterialKindInput } from './applications.inputs';
import { ApplicationType } from './applications.transitions';
import { isKnownHubSource, MATERIAL_FINDERS } from './material-finders';

const CODE = /^[A-Z][A-Z0-9_]{2,39}$/;

function checkHubSource(errors: UserErrors, source: string | null | undefined): void {
  if (source != null && source !== '' && !isKnownHubSource(source)) {
    errors.add(['input', 'hubSource'], UserErrorCode.INVALID, `hubSource must be one of ${Object.keys(MATERIAL_FINDERS).join(', ')}`);
  }
}

export function createMaterialKind(db: Database, actor: Actor, input: CreateMaterialKindInput): Promise<MutationResult<MaterialKindRow>> {
  authorizeWrite(actor.viewer, 'administerChecklists');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'MaterialKind', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    if (!CODE.test(input.code)) errors.add(['input', 'code'], UserErrorCode.INVALID, 'code must be 3–40 upper-case letters, digits or underscores, starting with a letter');
    else if (await findMaterialKindByCode(tx, input.code)) errors.add(['input', 'code'], UserErrorCode.CONFLICT, 'A material kind with this code exists');
    const nameZh = requiredText(errors, ['input', 'nameZh'], input.nameZh, 50);
    const nameEn = requiredText(errors, ['input', 'nameEn'], input.nameEn, 100);
    const description = optionalText(errors, ['input', 'description'], input.description, 1000);
    checkHubSource(errors, input.hubSource);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertMaterialKind(tx, { code: input.code, nameZh: nameZh!, nameEn: nameEn!, description: description ?? null, hubSource: input.hubSource || null });
  });
}

export function updateMaterialKind(db: Database, actor: Actor, input: UpdateMaterialKindInput): Promise<MutationResult<MaterialKindRow>> {
  authorizeWrite(actor.viewer, 'administerChecklists');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'MaterialKind', fields: () => givenFields(input).filter((f) => f !== 'id') }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.id, 'MaterialKind', ['input', 'id'], errors);
    if (id !== undefined && !(await findMaterialKindById(tx, id))) errors.add(['input', 'id'], UserErrorCode.NOT_FOUND, 'No such material kind');
    const changes: Partial<MaterialKindRow> = {};
    if (input.nameZh != null) changes.nameZh = requiredText(errors, ['input', 'nameZh'], input.nameZh, 50);
    if (input.nameEn != null) changes.nameEn = requiredText(errors, ['input', 'nameEn'], input.nameEn, 100);
    if (input.description !== undefined) changes.description = optionalText(errors, ['input', 'description'], input.description, 1000) ?? null;
    if (input.hubSource !== undefined) {
      checkHubSource(errors, input.hubSource);
      changes.hubSource = input.hubSource || null;
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return updateMaterialKindRow(tx, id!, changes);
  });
}

/** A checklist as a row for the audit log: the type's position in the enum stands for its id. */
export interface ChecklistRow {
  readonly id: number;
  readonly type: ApplicationType;
  readonly materials: MaterialKindRow[];
}

/** Replaces the checklist of a type. Applications already received keep the notice they were given. */
export function setApplicationChecklist(db: Database, actor: Actor, input: SetApplicationChecklistInput): Promise<MutationResult<ChecklistRow>> {
  authorizeWrite(actor.viewer, 'administerChecklists');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'ApplicationChecklist', fields: () => ['materialKinds'] }, async (tx) => {
    const errors = new UserErrors();
    const ids: number[] = [];
    for (const [i, globalId] of input.materialKinds.entries()) {
      const field = ['input', 'materialKinds', i];
      const id = inputId(globalId, 'MaterialKind', field, errors);
      if (id === undefined) continue;
      if (ids.includes(id)) errors.add(field, UserErrorCode.CONFLICT, 'The same material is listed twice');
      else if (!(await findMaterialKindById(tx, id))) errors.add(field, UserErrorCode.NOT_FOUND, 'No such material kind');
      else ids.push(id);
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    await lockChecklistOfType(tx, input.type);
    await replaceChecklist(tx, input.type, ids);
    const [materials] = await checklistsOfTypes(tx, [input.type]);
    return { id: Object.values(ApplicationType).indexOf(input.type) + 1, type: input.type, materials: materials! };
  });
}
