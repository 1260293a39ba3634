import { authorizeWrite, type WriteTarget } from '../../auth/authorize';
import type { Actor } from '../../auth/actor';
import type { Principal } from '../../auth/principal';
import { AuditAction } from '../audit/audit.types';
import type { Database } from '../../db/client';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { inputId } from '../common/ids';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, checkIntRange, checkWindow, optionalText, requiredText } from '../common/validate';
import {
  findCaseForNeed,
  findCaseworkersOfHousehold,
  findCategoryState,
  findHouseholdLocation,
  findOpenCaseIdOfHousehold,
  insertNeed,
  lockNeed,
  updateNeedRow,
  type NeedRow,
  type NewNeedRow,
} from './needs.repository';
import { canMoveNeed } from './needs.transitions';
import { cancelLiveReferralsOfNeed } from '../referrals/referrals.service';
import { NeedStatus, type CreateNeedInput, type UpdateNeedInput, type WithdrawNeedInput } from './needs.types';

export type NeedResult = MutationResult<NeedRow>;

const MAX_UNITS = 10_000;

async function checkCategory(tx: Database, globalId: string, errors: UserErrors): Promise<number | undefined> {
  const id = inputId(globalId, 'ServiceCategory', ['input', 'category'], errors);
  if (id === undefined) return undefined;
  const category = await findCategoryState(tx, id);
  if (!category) errors.add(['input', 'category'], UserErrorCode.NOT_FOUND, 'No such catalogue item');
  else if (category.retiredAt !== null) errors.add(['input', 'category'], UserErrorCode.INACTIVE, 'The catalogue item is retired');
  return id;
}

/** Where a household's needs lie and who works on them: what write scopes are checked against. */
async function householdTarget(tx: Database, location: { id: number; districtId: number; streetId: number }): Promise<WriteTarget> {
  return { districtIds: [location.districtId], streetIds: [location.streetId], caseworkerIds: await findCaseworkersOfHousehold(tx, location.id) };
}

export function createNeed(db: Database, actor: Actor, input: CreateNeedInput): Promise<NeedResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'createNeed');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'Need', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    const householdId = inputId(input.household, 'Household', ['input', 'household'], errors);
    const household = householdId === undefined ? undefined : await findHouseholdLocation(tx, householdId);
    if (householdId !== undefined && !household) errors.add(['input', 'household'], UserErrorCode.NOT_FOUND, 'No such household');
    if (household) authorizeWrite(viewer, 'createNeed', await householdTarget(tx, household));
    let caseId: number | null | undefined = null;
    if (input.case != null) {
      caseId = inputId(input.case, 'Case', ['input', 'case'], errors);
      const found = caseId === undefined ? undefined : await findCaseForNeed(tx, caseId);
      if (caseId !== undefined && !found) errors.add(['input', 'case'], UserErrorCode.NOT_FOUND, 'No such case');
      else if (found && household && found.householdId !== household.id) errors.add(['input', 'case'], UserErrorCode.INVALID, 'The case belongs to another household');
      else if (found && found.status !== 'OPEN') errors.add(['input', 'case'], UserErrorCode.INACTIVE, 'The case is closed');
    } else if (household) {
      caseId = (await findOpenCaseIdOfHousehold(tx, household.id)) ?? null;
    }
    const categoryId = await checkCategory(tx, input.category, errors);
    checkIntRange(errors, ['input', 'units'], input.units, 1, MAX_UNITS);
    const datesValid = checkDate(errors, ['input', 'earliestStart'], input.earliestStart) && checkDate(errors, ['input', 'deadline'], input.deadline);
    if (datesValid) checkWindow(errors, ['input', 'deadline'], input.earliestStart, input.deadline);
    const notes = optionalText(errors, ['input', 'notes'], input.notes, 2000);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertNeed(tx, {
      householdId: household!.id,
      caseId: caseId ?? null,
      categoryId: categoryId!,
      urgency: input.urgency,
      units: input.units,
      earliestStart: input.earliestStart,
      deadline: input.deadline ?? null,
      notes: notes ?? null,
      committeeId: household!.committeeId,
      streetId: household!.streetId,
      districtId: household!.districtId,
    });
  });
}

async function lockForChange(tx: Database, viewer: Principal, operation: 'updateNeed' | 'withdrawNeed', globalId: string, errors: UserErrors): Promise<NeedRow | undefined> {
  const id = inputId(globalId, 'Need', ['input', 'id'], errors);
  const need = id === undefined ? undefined : await lockNeed(tx, id);
  if (id !== undefined && !need) errors.add(['input', 'id'], UserErrorCode.NOT_FOUND, 'No such need');
  if (need) authorizeWrite(viewer, operation, await householdTarget(tx, { id: need.householdId, districtId: need.districtId, streetId: need.streetId }));
  return need;
}

export function updateNeed(db: Database, actor: Actor, input: UpdateNeedInput): Promise<NeedResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'updateNeed');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'Need', fields: () => givenFields(input).filter((f) => f !== 'id') }, async (tx) => {
    const errors = new UserErrors();
    const need = await lockForChange(tx, viewer, 'updateNeed', input.id, errors);
    if (need && need.status !== NeedStatus.OPEN) {
      errors.add(['input', 'id'], UserErrorCode.INVALID_STATE, `Only an OPEN need can be changed; this one is ${need.status}`);
    }
    const changes: Partial<NewNeedRow> = {};
    if (input.category != null) changes.categoryId = await checkCategory(tx, input.category, errors);
    if (input.urgency != null) changes.urgency = input.urgency;
    if (input.units != null && checkIntRange(errors, ['input', 'units'], input.units, 1, MAX_UNITS)) changes.units = input.units;
    if (input.clearDeadline && input.deadline != null) {
      errors.add(['input', 'clearDeadline'], UserErrorCode.INVALID, 'Give either a new deadline or clearDeadline, not both');
    }
    const datesValid = checkDate(errors, ['input', 'earliestStart'], input.earliestStart) && checkDate(errors, ['input', 'deadline'], input.deadline);
    if (input.earliestStart != null) changes.earliestStart = input.earliestStart;
    if (input.deadline != null) changes.deadline = input.deadline;
    if (input.clearDeadline) changes.deadline = null;
    if (need && datesValid) {
      const start = changes.earliestStart ?? need.earliestStart;
      const end = changes.deadline !== undefined ? changes.deadline : need.deadline;
      checkWindow(errors, ['input', input.deadline != null || input.clearDeadline ? 'deadline' : 'earliestStart'], start, end);
    }
    if (input.notes != null) changes.notes = optionalText(errors, ['input', 'notes'], input.notes, 2000) ?? null;
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return updateNeedRow(tx, need!.id, changes);
  });
}

export function withdrawNeed(db: Database, actor: Actor, input: WithdrawNeedInput): Promise<NeedResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'withdrawNeed');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'Need', fields: () => ['status', 'withdrawalReason'] }, async (tx) => {
    const errors = new UserErrors();
    const need = await lockForChange(tx, viewer, 'withdrawNeed', input.id, errors);
    if (need && !canMoveNeed(need.status as NeedStatus, NeedStatus.WITHDRAWN)) {
      errors.add(['input', 'id'], UserErrorCode.INVALID_STATE, `A ${need.status} need cannot be withdrawn`);
    }
    const reason = requiredText(errors, ['input', 'reason'], input.reason, 500);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    // Its live referrals end with it, and their units go back to the resources.
    await cancelLiveReferralsOfNeed(tx, actor, need!.id, `Need withdrawn: ${reason!}`);
    return updateNeedRow(tx, need!.id, { status: NeedStatus.WITHDRAWN, withdrawalReason: reason! });
  });
}
