import type { Actor } from '../../auth/actor';
import { todayInShanghai } from '../../common/dates';
import type { Database } from '../../db/client';
import { auditEntry, recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, checkIntRange, optionalText } from '../common/validate';
import { findOpenCaseOfHousehold, findStaffMemberById, findStreetOfficeOfStreet, insertCase } from '../households/households.repository';
import { AssistanceStatus } from '../households/households.types';
import { findCategoryState, findHouseholdLocation, insertNeed } from '../needs/needs.repository';
import { grantAssistanceStatus, lockHousehold, type ApplicationRow, type ApplicationTypeValue } from './applications.repository';
import type { ApprovalNeedInput } from './applications.inputs';

/**
 * The assistance status an approved application grants. Only the two standing benefits are
 * statuses of the household; the others are one-off or specialised assistance, recorded by the
 * approved application, its case and its needs, and leave the statuses as they are.
 */
export const STATUS_GRANTED: Readonly<Partial<Record<ApplicationTypeValue, AssistanceStatus>>> = {
  MINIMUM_LIVING_ALLOWANCE: AssistanceStatus.MINIMUM_LIVING_ALLOWANCE,
  EXTREME_POVERTY_SUPPORT: AssistanceStatus.EXTREME_POVERTY_SUPPORT,
};

export interface ApprovalInput {
  readonly caseworker?: string | null;
  readonly needs: readonly ApprovalNeedInput[];
}

const MAX_NEEDS = 20;
const MAX_UNITS = 10_000;
const CASE_OWNER_POSITIONS: ReadonlySet<string> = new Set(['CASEWORKER', 'SOCIAL_WORKER', 'OFFICER']);

/**
 * Everything an approval changes beyond the application itself, in the approval's transaction:
 * the household's assistance status; its open case (opened for the competent street when there is
 * none); the needs given with the approval, on that case. Returns the case. Invalid input throws
 * `UserErrorsAbort`, which rolls the whole approval back. Further effects of an approval (the
 * allowance grant) belong here.
 */
export async function applyApprovalEffects(tx: Database, actor: Actor, application: ApplicationRow, input: ApprovalInput): Promise<{ caseId: number }> {
  const errors = new UserErrors();
  const household = (await findHouseholdLocation(tx, application.householdId))!;
  const today = todayInShanghai();

  await lockHousehold(tx, application.householdId);
  const openCase = await findOpenCaseOfHousehold(tx, application.householdId);
  let caseworkerId: number | undefined;
  if (!openCase) caseworkerId = await chooseCaseworker(tx, application, input.caseworker, errors);

  if (input.needs.length > MAX_NEEDS) errors.add(['input', 'needs'], UserErrorCode.OUT_OF_RANGE, `At most ${MAX_NEEDS} needs at once`);
  const needs = [];
  for (const [i, need] of input.needs.entries()) {
    const field = (name: string) => ['input', 'needs', i, name];
    const categoryId = inputId(need.category, 'ServiceCategory', field('category'), errors);
    const category = categoryId === undefined ? undefined : await findCategoryState(tx, categoryId);
    if (categoryId !== undefined && !category) errors.add(field('category'), UserErrorCode.NOT_FOUND, 'No such catalogue item');
    else if (category?.retiredAt) errors.add(field('category'), UserErrorCode.INACTIVE, 'The catalogue item is retired');
    checkIntRange(errors, field('units'), need.units, 1, MAX_UNITS);
    checkDate(errors, field('earliestStart'), need.earliestStart);
    const notes = optionalText(errors, field('notes'), need.notes, 2000);
    needs.push({ categoryId: categoryId!, urgency: need.urgency, units: need.units, earliestStart: need.earliestStart ?? today, notes: notes ?? null });
  }
  if (errors.any) throw new UserErrorsAbort(errors.list);

  const audit = [];
  const status = STATUS_GRANTED[application.type];
  if (status) {
    await grantAssistanceStatus(tx, application.householdId, status);
    audit.push(auditEntry(actor, AuditAction.UPDATE, 'Household', application.householdId, ['assistanceStatuses']));
  }

  let caseId = openCase?.id;
  if (caseId === undefined) {
    const streetOffice = await findStreetOfficeOfStreet(tx, application.competentStreetId);
    const opened = await insertCase(tx, {
      householdId: application.householdId,
      ownerStreetId: application.competentStreetId,
      ownerOrganizationId: streetOffice?.id ?? null,
      caseworkerId: caseworkerId!,
      status: 'OPEN',
      summary: null,
    });
    caseId = opened.id;
    audit.push(auditEntry(actor, AuditAction.CREATE, 'Case', caseId, ['household', 'caseworker']));
  }

  for (const need of needs) {
    const row = await insertNeed(tx, {
      householdId: household.id,
      caseId,
      ...need,
      committeeId: household.committeeId,
      streetId: household.streetId,
      districtId: household.districtId,
    });
    audit.push(auditEntry(actor, AuditAction.CREATE, 'Need', row.id, ['household', 'case', 'category', 'urgency', 'units', 'earliestStart']));
  }
  await recordAudit(tx, audit);
  return { caseId };
}

/**
 * Who owns a new case: the caseworker given with the approval (active, working in the competent
 * street), or else the officer who owns the application.
 */
async function chooseCaseworker(tx: Database, application: ApplicationRow, given: string | null | undefined, errors: UserErrors): Promise<number | undefined> {
  const field = ['input', 'caseworker'];
  if (given == null) {
    const owner = application.ownerOfficerId === null ? undefined : await findStaffMemberById(tx, application.ownerOfficerId);
    if (owner?.active) return owner.id;
    errors.add(field, UserErrorCode.REQUIRED, 'The household has no open case and the application has no active owner officer: name the caseworker of the new case');
    return undefined;
  }
  const id = inputId(given, 'StaffMember', field, errors);
  const staff = id === undefined ? undefined : await findStaffMemberById(tx, id);
  if (id !== undefined && !staff) errors.add(field, UserErrorCode.NOT_FOUND, 'No staff member has this ID');
  if (!staff) return undefined;
  if (!staff.active) errors.add(field, UserErrorCode.INACTIVE, 'This staff member is no longer active');
  else if (!CASE_OWNER_POSITIONS.has(staff.position)) errors.add(field, UserErrorCode.INVALID, 'Only a caseworker, social worker or officer can own a case');
  else if (staff.organizationStreetId !== application.competentStreetId) errors.add(field, UserErrorCode.OUT_OF_RANGE, 'The caseworker does not work in the competent street');
  return staff.id;
}
