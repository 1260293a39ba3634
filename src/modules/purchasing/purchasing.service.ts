import type { Actor } from '../../auth/actor';
import { authorizeWrite, mayWrite, type WriteTarget } from '../../auth/authorize';
import type { WriteOperation } from '../../auth/policy';
import { isAuthenticated } from '../../auth/principal';
import { HubError } from '../../common/errors';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, checkIntRange, checkWindow, optionalText, requiredText } from '../common/validate';
import { methodNeedsJustification, type ProcurementMethod } from './purchasing.methods';
import {
  criteriaOfProjects,
  hasActiveContract,
  findCategoryStates,
  findOrganizationFacts,
  insertProject,
  insertProjectEvent,
  listThresholds,
  lockProject,
  replaceProjectItems,
  updateProjectRow,
  upsertThreshold,
  type NewProjectRow,
  type ProjectRow,
  type ThresholdRow,
} from './purchasing.repository';
import { EDITABLE_STATUSES, projectStep, PurchaseProjectStatus, type ProjectSide } from './purchasing.transitions';
import type { CreatePurchaseProjectInput, MovePurchaseProjectInput, SetProcurementThresholdInput, UpdatePurchaseProjectInput } from './purchasing.types';

export type ProjectResult = MutationResult<ProjectRow>;

export const MAX_TITLE = 200;
export const MAX_TEXT = 5000;
export const MAX_REASON = 2000;
const MAX_QUANTITY = 10_000_000;
const INPUT = (...path: (string | number)[]) => ['input', ...path];

/** Where a project lies for the purchaser's write scope. */
export function projectTarget(project: Pick<ProjectRow, 'districtId' | 'streetId'>): WriteTarget {
  return { districtIds: project.districtId === null ? [] : [project.districtId], streetIds: project.streetId === null ? [] : [project.streetId] };
}

/** Refuses a write on a project the viewer's roles do not reach (FORBIDDEN, nothing written). */
export function authorizeOnProject(actor: Actor, operation: WriteOperation, project: Pick<ProjectRow, 'districtId' | 'streetId'>, what: string): void {
  if (mayWrite(actor.viewer, operation, projectTarget(project))) return;
  if (!isAuthenticated(actor.viewer)) throw new HubError('UNAUTHENTICATED', 'Sign in to change data: send a bearer token');
  throw new HubError('FORBIDDEN', `Your roles do not allow ${what} here`);
}

/** The project named by an input, locked; a NOT_FOUND user error otherwise. */
export async function lockProjectInput(tx: Database, globalId: string, field: readonly (string | number)[], errors: UserErrors): Promise<ProjectRow> {
  const id = inputId(globalId, 'PurchaseProject', field, errors);
  const project = id === undefined ? undefined : await lockProject(tx, id);
  if (id !== undefined && !project) errors.add(field, UserErrorCode.NOT_FOUND, 'No such purchase project');
  if (!project) throw new UserErrorsAbort(errors.list);
  return project;
}

/** §3(1): purchasers are civil-affairs departments, street offices and township governments. */
function isPurchaser(org: { kind: string; departmentFunction: string | null }): boolean {
  return org.kind === 'STREET_OFFICE' || (org.kind === 'GOVERNMENT_DEPARTMENT' && org.departmentFunction === 'CIVIL_AFFAIRS');
}

/** The fields shared by create and update, checked as they will be stored. */
interface ProjectFields {
  title?: string | null;
  needsStudy?: string | null;
  serviceStandard?: string | null;
  quantity?: number | null;
  budgetFen?: number | null;
  fiscalYear?: number | null;
  termStart?: string | null;
  termEnd?: string | null;
  categories?: string[] | null;
  method?: ProcurementMethod | null;
  methodJustification?: string | null;
}

async function checkProjectFields(tx: Database, input: ProjectFields, current: Partial<ProjectRow>, errors: UserErrors): Promise<{ changes: Partial<NewProjectRow>; categoryIds?: number[] }> {
  const changes: Partial<NewProjectRow> = {};
  const text = (name: 'title' | 'needsStudy' | 'serviceStandard', max: number) => {
    if (input[name] == null) return;
    const value = requiredText(errors, INPUT(name), input[name]!, max);
    if (value !== undefined) changes[name] = value;
  };
  text('title', MAX_TITLE);
  text('needsStudy', MAX_TEXT);
  text('serviceStandard', MAX_TEXT);
  if (input.quantity != null && checkIntRange(errors, INPUT('quantity'), input.quantity, 1, MAX_QUANTITY)) changes.quantity = input.quantity;
  if (input.budgetFen != null) {
    if (!Number.isSafeInteger(input.budgetFen) || input.budgetFen <= 0) errors.add(INPUT('budgetFen'), UserErrorCode.OUT_OF_RANGE, 'budgetFen must be a whole number of fen above 0');
    else changes.budgetFen = input.budgetFen;
  }
  if (input.fiscalYear != null && checkIntRange(errors, INPUT('fiscalYear'), input.fiscalYear, 2000, 2100)) changes.fiscalYear = input.fiscalYear;
  const datesValid = checkDate(errors, INPUT('termStart'), input.termStart) && checkDate(errors, INPUT('termEnd'), input.termEnd);
  if (datesValid) {
    const start = input.termStart ?? current.termStart;
    const end = input.termEnd ?? current.termEnd;
    if (checkWindow(errors, INPUT('termEnd'), start, end)) {
      if (input.termStart != null) changes.termStart = input.termStart;
      if (input.termEnd != null) changes.termEnd = input.termEnd;
    }
  }
  let categoryIds: number[] | undefined;
  if (input.categories != null) {
    if (input.categories.length === 0) errors.add(INPUT('categories'), UserErrorCode.REQUIRED, 'Name at least one catalogue item');
    const ids = input.categories.map((globalId, i) => inputId(globalId, 'ServiceCategory', INPUT('categories', i), errors));
    const known = ids.some((id) => id !== undefined) ? await findCategoryStates(tx, ids.filter((id): id is number => id !== undefined)) : [];
    ids.forEach((id, i) => {
      if (id === undefined) return;
      const category = known.find((c) => c.id === id);
      if (!category) errors.add(INPUT('categories', i), UserErrorCode.NOT_FOUND, 'No such catalogue item');
      else if (category.retiredAt !== null) errors.add(INPUT('categories', i), UserErrorCode.INACTIVE, 'The catalogue item is retired');
    });
    categoryIds = [...new Set(ids.filter((id): id is number => id !== undefined))];
  }
  if (input.method !== undefined) changes.method = input.method;
  if (input.methodJustification !== undefined) {
    const justification = optionalText(errors, INPUT('methodJustification'), input.methodJustification, MAX_REASON);
    if (justification !== undefined) changes.methodJustification = justification;
  }
  return { changes, categoryIds };
}

/**
 * Refuses a method the thresholds in force do not allow for the budget, unless a justification is
 * recorded; single source always needs one. The error names the field and states the threshold.
 */
export async function checkMethod(tx: Database, project: Pick<ProjectRow, 'budgetFen' | 'method' | 'methodJustification'>, errors: UserErrors, required: boolean): Promise<void> {
  if (project.method === null) {
    if (required) errors.add(INPUT('method'), UserErrorCode.REQUIRED, 'Choose a procurement method first');
    return;
  }
  const reason = methodNeedsJustification(await listThresholds(tx), project.budgetFen, project.method as ProcurementMethod);
  if (reason !== null && !project.methodJustification) errors.add(INPUT('method'), UserErrorCode.OUT_OF_RANGE, reason);
}

export function createPurchaseProject(db: Database, actor: Actor, input: CreatePurchaseProjectInput): Promise<ProjectResult> {
  authorizeWrite(actor.viewer, 'managePurchaseProject');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'PurchaseProject', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    const purchaserId = inputId(input.purchaser, 'Organization', INPUT('purchaser'), errors);
    const purchaser = purchaserId === undefined ? undefined : await findOrganizationFacts(tx, purchaserId);
    if (purchaserId !== undefined && !purchaser) errors.add(INPUT('purchaser'), UserErrorCode.NOT_FOUND, 'No such organization');
    else if (purchaser && !isPurchaser(purchaser)) errors.add(INPUT('purchaser'), UserErrorCode.INVALID, 'Purchasers are civil-affairs departments, street offices and township governments (§3(1))');
    if (purchaser && isPurchaser(purchaser)) authorizeOnProject(actor, 'managePurchaseProject', purchaser, 'purchasing for this organization');
    const { changes, categoryIds } = await checkProjectFields(tx, input, {}, errors);
    if (errors.any || !purchaser) throw new UserErrorsAbort(errors.list);
    await checkMethod(tx, { budgetFen: input.budgetFen, method: input.method ?? null, methodJustification: changes.methodJustification ?? null }, errors, false);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const project = await insertProject(tx, {
      ...(changes as NewProjectRow),
      purchaserId: purchaser.id,
      districtId: purchaser.districtId,
      streetId: purchaser.streetId,
      createdBy: actor.viewer.subject,
    });
    await replaceProjectItems(tx, project.id, categoryIds!);
    await insertProjectEvent(tx, { projectId: project.id, fromStatus: null, toStatus: 'DRAFT', actor: actor.viewer.subject, reason: null });
    return project;
  });
}

export function updatePurchaseProject(db: Database, actor: Actor, input: UpdatePurchaseProjectInput): Promise<ProjectResult> {
  authorizeWrite(actor.viewer, 'managePurchaseProject');
  const fields = givenFields(input).filter((f) => f !== 'id');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'PurchaseProject', fields: () => fields }, async (tx) => {
    const errors = new UserErrors();
    const project = await lockProjectInput(tx, input.id, INPUT('id'), errors);
    authorizeOnProject(actor, 'managePurchaseProject', project, 'editing this project');
    if (!EDITABLE_STATUSES.includes(project.status as PurchaseProjectStatus)) {
      errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `A ${project.status} project cannot be edited; only DRAFT and RETURNED ones can`);
      throw new UserErrorsAbort(errors.list);
    }
    const { changes, categoryIds } = await checkProjectFields(tx, input, project, errors);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    await checkMethod(tx, { ...project, ...changes } as ProjectRow, errors, false);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    if (categoryIds) await replaceProjectItems(tx, project.id, categoryIds);
    return updateProjectRow(tx, project.id, changes);
  });
}

/** Checks a step's guards and records it: status, event (who, when, why) and the return reason. */
async function takeStep(tx: Database, actor: Actor, project: ProjectRow, to: PurchaseProjectStatus, reasonInput: string | null | undefined, sides: readonly ProjectSide[], errors: UserErrors, extra: Partial<NewProjectRow> = {}): Promise<ProjectRow> {
  const from = project.status as PurchaseProjectStatus;
  const step = projectStep(from, to);
  if (!step || !step.by.some((side) => sides.includes(side))) {
    const how = step ? ` this way (it is taken by ${step.by.join(' or ')})` : '';
    errors.add(INPUT('to'), UserErrorCode.INVALID_STATE, `A ${from} project cannot become ${to}${how}`);
    throw new UserErrorsAbort(errors.list);
  }
  const reason = step.guards.includes('REASON_GIVEN') ? requiredText(errors, INPUT('reason'), reasonInput ?? '', MAX_REASON) : optionalText(errors, INPUT('reason'), reasonInput, MAX_REASON);
  for (const guard of step.guards) {
    switch (guard) {
      case 'REASON_GIVEN':
        break;
      case 'METHOD_ALLOWED':
        await checkMethod(tx, project, errors, true);
        break;
      case 'CRITERIA_COMPLETE': {
        const [criteria] = await criteriaOfProjects(tx, [project.id]);
        const total = criteria!.reduce((sum, c) => sum + c.weight, 0);
        if (criteria!.length === 0) errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, 'Set the scoring criteria before procurement starts: starting publishes them');
        else if (total !== 100) errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `The criteria weights sum to ${total}, not 100`);
        break;
      }
      case 'CONTRACT_ENDED':
        if (await hasActiveContract(tx, project.id)) errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, 'The contract is still ACTIVE: end it (endContract) before the project closes');
        break;
    }
  }
  if (errors.any) throw new UserErrorsAbort(errors.list);
  const changes: Partial<NewProjectRow> = { status: to, ...extra };
  if (to === PurchaseProjectStatus.RETURNED) changes.returnReason = reason!;
  const updated = await updateProjectRow(tx, project.id, changes);
  await insertProjectEvent(tx, { projectId: project.id, fromStatus: from, toStatus: to, actor: actor.viewer.subject, reason: reason ?? null });
  return updated;
}

/**
 * A step taken by the purchaser or finance (the table says which): finance takes up, approves
 * (立项) or returns with a reason; the purchaser submits, takes back, starts procurement, closes.
 */
export function movePurchaseProject(db: Database, actor: Actor, input: MovePurchaseProjectInput): Promise<ProjectResult> {
  const { viewer } = actor;
  if (!mayWrite(viewer, 'managePurchaseProject') && !mayWrite(viewer, 'reviewPurchaseProject')) authorizeWrite(viewer, 'managePurchaseProject');
  const fields = input.to === PurchaseProjectStatus.RETURNED ? ['status', 'returnReason'] : ['status'];
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'PurchaseProject', fields: () => fields }, async (tx) => {
    const errors = new UserErrors();
    const project = await lockProjectInput(tx, input.id, INPUT('id'), errors);
    const target = projectTarget(project);
    const sides: ProjectSide[] = [];
    if (mayWrite(viewer, 'managePurchaseProject', target)) sides.push('PURCHASER');
    if (mayWrite(viewer, 'reviewPurchaseProject', target)) sides.push('FINANCE');
    if (sides.length === 0) throw new HubError('FORBIDDEN', 'Your roles do not allow moving this project');
    const step = projectStep(project.status as PurchaseProjectStatus, input.to);
    // The purchaser must not take finance's steps (and the reverse): FORBIDDEN, not an input error.
    if (step && step.by.every((side) => side === 'PURCHASER' || side === 'FINANCE') && !step.by.some((side) => sides.includes(side))) {
      throw new HubError('FORBIDDEN', `Only ${step.by.join(' or ').toLowerCase()} may move a ${project.status} project to ${input.to}`);
    }
    return takeStep(tx, actor, project, input.to, input.reason, sides, errors);
  });
}

/**
 * For the contracts and oversight modules, inside their own transaction and after they have
 * authorised their own operation: moves a project along a MODULE step of the table (AWARDED →
 * CONTRACTED → IN_PROGRESS → EVALUATED → CLOSED), recording who, when and why. Any other move
 * throws `UserErrorsAbort` with an INVALID_STATE error on ["input", "to"], rolling the caller back.
 */
export async function moveProject(tx: Database, actor: Actor, projectId: number, to: PurchaseProjectStatus, reason: string | null = null): Promise<ProjectRow> {
  const errors = new UserErrors();
  const project = await lockProject(tx, projectId);
  if (!project) {
    errors.add(INPUT('project'), UserErrorCode.NOT_FOUND, 'No such purchase project');
    throw new UserErrorsAbort(errors.list);
  }
  return takeStep(tx, actor, project, to, reason, ['MODULE'], errors);
}

/** Used by the award: the AWARD step of the table. */
export function awardStep(tx: Database, actor: Actor, project: ProjectRow, awardedBidId: number, errors: UserErrors): Promise<ProjectRow> {
  return takeStep(tx, actor, project, PurchaseProjectStatus.AWARDED, null, ['AWARD'], errors, { awardedBidId });
}

export function setProcurementThreshold(db: Database, actor: Actor, input: SetProcurementThresholdInput): Promise<MutationResult<ThresholdRow>> {
  authorizeWrite(actor.viewer, 'administerProcurementThresholds');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'ProcurementThreshold', fields: () => ['minBudgetFen', 'allowedMethods', 'source'] }, async (tx) => {
    const errors = new UserErrors();
    if (!Number.isSafeInteger(input.minBudgetFen) || input.minBudgetFen < 0) errors.add(INPUT('minBudgetFen'), UserErrorCode.OUT_OF_RANGE, 'minBudgetFen must be a whole number of fen, 0 or more');
    if (input.allowedMethods.length === 0) errors.add(INPUT('allowedMethods'), UserErrorCode.REQUIRED, 'Allow at least one method');
    const source = requiredText(errors, INPUT('source'), input.source, 500);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return upsertThreshold(tx, { minBudgetFen: input.minBudgetFen, allowedMethods: [...new Set(input.allowedMethods)], source: source!, updatedBy: actor.viewer.subject });
  });
}
