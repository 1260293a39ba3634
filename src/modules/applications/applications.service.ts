import type { Actor } from '../../auth/actor';
import { authorizeWrite, mayWrite, type WriteTarget } from '../../auth/authorize';
import type { WriteOperation } from '../../auth/policy';
import { isAuthenticated, type Principal } from '../../auth/principal';
import { todayInShanghai } from '../../common/dates';
import { HubError } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import type { Database } from '../../db/client';
import { violatedUniqueIndex } from '../../db/errors';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, optionalText, requiredText } from '../common/validate';
import { findStaffMemberById } from '../households/households.repository';
import { applyApprovalEffects, type ApprovalInput } from './approval-effects';
import { enterApplicationStep } from '../deadlines/deadlines.service';
import { grantAllowanceForApprovedApplication } from '../payments/payments.service';
import {
  APPLICATION_IDEMPOTENCY_KEY_UNIQUE,
  cancelPendingVerification,
  checklistsOfTypes,
  countMissingMaterials,
  countUnansweredObjections,
  findApplicationByIdempotencyKey,
  findHouseholdForIntake,
  findLiveApplicationOfType,
  findMaterialKindById,
  findMaterialsOfApplication,
  findMemberFacts,
  findOrganizationForApplication,
  findVerificationOfApplication,
  insertApplication,
  insertApplicationEvent,
  insertHandoff,
  insertMaterials,
  insertVerificationRequest,
  lockApplication,
  lockDiscoveryReport,
  ONE_LIVE_APPLICATION_PER_TYPE_UNIQUE,
  updateApplicationRow,
  updateDiscoveryReportRow,
  updateMaterialRow,
  type ApplicationRow,
  type NewApplicationRow,
} from './applications.repository';
import { applicationStep, ApplicationStatus, isFinal, TYPES_NEEDING_VERIFICATION, type ApplicationSide, type ApplicationType } from './applications.transitions';
import { MAX_REASON_LENGTH, MAX_STATEMENT_LENGTH, type HandOnApplicationInput, type ProvideMaterialsInput, type ReceiveApplicationInput, type RequestMaterialInput } from './applications.inputs';
import { canMoveDiscoveryReport } from './discovery.service';
import { findInHub } from './material-finders';

export type ApplicationResult = MutationResult<ApplicationRow>;

export interface ApplicationSettings {
  /** Days of publicity when the period is not given, the first day included. */
  readonly publicityDays: number;
}

const INPUT = (...path: (string | number)[]) => ['input', ...path];
const DAY_MS = 86_400_000;
const DUPLICATE = 'The household already has an application of this type in progress';
/** Organizations an application may be handed on to: the windows and the offices behind them. */
const HANDLING_KINDS: ReadonlySet<string> = new Set(['SERVICE_CENTER', 'STREET_OFFICE', 'GOVERNMENT_DEPARTMENT']);

/** Where an application lies for a write scope: its owner (首问负责) and its competent street and district. */
export function applicationTarget(application: ApplicationRow, sides: readonly ApplicationSide[] = ['OWNER', 'COMPETENT']): WriteTarget {
  return {
    organizationId: sides.includes('OWNER') ? application.ownerOrganizationId : undefined,
    streetIds: sides.includes('COMPETENT') ? [application.competentStreetId] : [],
    districtIds: sides.includes('COMPETENT') ? [application.competentDistrictId] : [],
  };
}

function authorizeOn(actor: Actor, operation: WriteOperation, target: WriteTarget, what: string): void {
  if (mayWrite(actor.viewer, operation, target)) return;
  if (!isAuthenticated(actor.viewer)) throw new HubError('UNAUTHENTICATED', 'Sign in to change data: send a bearer token');
  throw new HubError('FORBIDDEN', `Your roles do not allow ${what} here`);
}

/** The application named by an input, locked, and refused with a user error when missing or already decided. */
async function lockLive(tx: Database, globalId: string, field: readonly (string | number)[], errors: UserErrors): Promise<ApplicationRow> {
  const id = inputId(globalId, 'Application', field, errors);
  const application = id === undefined ? undefined : await lockApplication(tx, id);
  if (id !== undefined && !application) errors.add(field, UserErrorCode.NOT_FOUND, 'No such application');
  else if (application && isFinal(application.status as ApplicationStatus)) errors.add(field, UserErrorCode.INVALID_STATE, `The application is already ${application.status}`);
  if (errors.any || !application) throw new UserErrorsAbort(errors.list);
  return application;
}

/**
 * Receives an application at a service centre for a household anywhere in the city (全市通办),
 * routes it to the competent street of the household's registered residence, records the
 * receiving officer and centre as its owner (首问负责), and issues the one-time notice: every
 * material of the type's checklist, found in the hub's data or missing.
 */
export async function receiveApplication(db: Database, actor: Actor, input: ReceiveApplicationInput): Promise<ApplicationResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'receiveApplication');
  if (input.idempotencyKey) {
    const earlier = await findApplicationByIdempotencyKey(db, input.idempotencyKey);
    if (earlier) return retried(earlier, viewer, input);
  }
  try {
    return await runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'Application', fields: () => givenFields(input) }, async (tx) => {
      const errors = new UserErrors();
      const householdId = inputId(input.household, 'Household', INPUT('household'), errors);
      const household = householdId === undefined ? undefined : await findHouseholdForIntake(tx, householdId);
      if (householdId !== undefined && !household) errors.add(INPUT('household'), UserErrorCode.NOT_FOUND, 'No such household');

      const centreId = input.receivingCenter != null ? inputId(input.receivingCenter, 'Organization', INPUT('receivingCenter'), errors) : (viewer.organizationId ?? undefined);
      if (input.receivingCenter == null && centreId === undefined) errors.add(INPUT('receivingCenter'), UserErrorCode.REQUIRED, 'Name the receiving service centre');
      const centre = centreId === undefined ? undefined : await findOrganizationForApplication(tx, centreId);
      if (centreId !== undefined && !centre) errors.add(INPUT('receivingCenter'), UserErrorCode.NOT_FOUND, 'No such organization');
      else if (centre && (centre.kind !== 'SERVICE_CENTER' || centre.streetId === null)) errors.add(INPUT('receivingCenter'), UserErrorCode.INVALID, 'Applications are received at a service centre or sub-centre');
      // An officer receives at their own centre only, for anyone in the city.
      if (centre) authorizeWrite(viewer, 'receiveApplication', { organizationId: centre.id });

      const members = household ? await findMemberFacts(tx, household.id) : [];
      let applicantId: number | null = null;
      if (input.applicant != null) {
        applicantId = inputId(input.applicant, 'Person', INPUT('applicant'), errors) ?? null;
        if (applicantId !== null && household && !members.some((m) => m.id === applicantId)) errors.add(INPUT('applicant'), UserErrorCode.INVALID, 'The applicant must be a member of the household');
      }
      const statement = optionalText(errors, INPUT('statement'), input.statement, MAX_STATEMENT_LENGTH);
      if (household && (await findLiveApplicationOfType(tx, household.id, input.type))) errors.add(INPUT('type'), UserErrorCode.CONFLICT, DUPLICATE);
      const reportId = input.discoveryReport == null ? undefined : inputId(input.discoveryReport, 'DiscoveryReport', INPUT('discoveryReport'), errors);
      const report = reportId === undefined ? undefined : await lockDiscoveryReport(tx, reportId);
      if (reportId !== undefined && !report) errors.add(INPUT('discoveryReport'), UserErrorCode.NOT_FOUND, 'No such discovery report');
      if (report && !canMoveDiscoveryReport(report.status, 'CONVERTED')) errors.add(INPUT('discoveryReport'), UserErrorCode.INVALID_STATE, `The report is already ${report.status}`);
      if (report && household) {
        const matches = report.householdId !== null ? report.householdId === household.id : report.streetId === household.streetId || report.streetId === household.competentStreetId;
        if (!matches) errors.add(INPUT('discoveryReport'), UserErrorCode.INVALID, 'The report is about another household');
      }
      if (errors.any || !household || !centre) throw new UserErrorsAbort(errors.list);

      const values: NewApplicationRow = {
        type: input.type,
        householdId: household.id,
        applicantId,
        receivingOrganizationId: centre.id,
        receivingStreetId: centre.streetId!,
        receivingOfficerId: viewer.staffMemberId,
        ownerOrganizationId: centre.id,
        ownerOfficerId: viewer.staffMemberId,
        competentStreetId: household.competentStreetId,
        competentDistrictId: household.competentDistrictId,
        statement: statement ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
      };
      const application = await insertApplication(tx, values);
      await insertApplicationEvent(tx, { applicationId: application.id, fromStatus: null, toStatus: 'RECEIVED', actor: viewer.subject, reason: null });
      await enterApplicationStep(tx, application.id, 'RECEIVED', application.receivedAt);
      await issueNotice(tx, application.id, input.type, { householdId: household.id, registeredCommitteeId: household.registeredCommitteeId, members });
      if (report) await updateDiscoveryReportRow(tx, report.id, { status: 'CONVERTED', applicationId: application.id });
      return application;
    });
  } catch (error) {
    const index = violatedUniqueIndex(error);
    // Two retries with one key raced: the loser returns the winner's application.
    if (input.idempotencyKey && index === APPLICATION_IDEMPOTENCY_KEY_UNIQUE) {
      const earlier = await findApplicationByIdempotencyKey(db, input.idempotencyKey);
      if (earlier) return retried(earlier, viewer, input);
    }
    if (index === ONE_LIVE_APPLICATION_PER_TYPE_UNIQUE) {
      const errors = new UserErrors();
      errors.add(INPUT('type'), UserErrorCode.CONFLICT, DUPLICATE);
      return { row: null, userErrors: errors.list };
    }
    throw error;
  }
}

/**
 * A retry with an idempotency key answers with the first application, but only to the centre
 * that received it and for the same household and type: a key is no way into someone else's file.
 */
function retried(earlier: ApplicationRow, viewer: Principal, input: ReceiveApplicationInput): ApplicationResult {
  const household = fromGlobalId(input.household);
  const sameRequest = earlier.receivingOrganizationId === viewer.organizationId && household?.typeName === 'Household' && household.id === earlier.householdId && earlier.type === input.type;
  if (sameRequest) return { row: earlier, userErrors: [] };
  const errors = new UserErrors();
  errors.add(INPUT('idempotencyKey'), UserErrorCode.CONFLICT, 'This idempotency key was used for another intake: use a new key');
  return { row: null, userErrors: errors.list };
}

/** The one-time notice: each material of the checklist, taken from the hub's data where a finder holds it. */
export async function issueNotice(tx: Database, applicationId: number, type: ApplicationType, household: { householdId: number; registeredCommitteeId: number; members: Awaited<ReturnType<typeof findMemberFacts>> }) {
  const [checklist] = await checklistsOfTypes(tx, [type]);
  const facts = {
    householdId: household.householdId,
    registeredCommitteeId: household.registeredCommitteeId,
    members: household.members.map((m) => ({ birthDate: m.birthDate, attributes: m.attributes, hasIdNumber: m.hasIdNumber })),
    today: todayInShanghai(),
  };
  const rows = [];
  for (const kind of checklist!) {
    const found = await findInHub(kind.hubSource, facts, tx);
    const state = found ? ('FOUND_IN_HUB' as const) : ('MISSING' as const);
    rows.push({
      applicationId,
      materialKindId: kind.id,
      state,
      noticeState: state,
      foundSource: found ? kind.hubSource : null,
      foundData: found?.data ?? null,
      foundDepartment: found?.department ?? null,
    });
  }
  await insertMaterials(tx, rows);
}

/** Hands an application on (移交): its owner or the competent street passes it to another organization or officer. */
export function handOnApplication(db: Database, actor: Actor, input: HandOnApplicationInput): Promise<ApplicationResult> {
  authorizeWrite(actor.viewer, 'handleApplication');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'Application', fields: () => ['ownerOrganization', 'ownerOfficer'] }, async (tx) => {
    const errors = new UserErrors();
    const application = await lockLive(tx, input.id, INPUT('id'), errors);
    authorizeOn(actor, 'handleApplication', applicationTarget(application), 'handing this application on');
    const toId = inputId(input.toOrganization, 'Organization', INPUT('toOrganization'), errors);
    const to = toId === undefined ? undefined : await findOrganizationForApplication(tx, toId);
    if (toId !== undefined && !to) errors.add(INPUT('toOrganization'), UserErrorCode.NOT_FOUND, 'No such organization');
    else if (to && !HANDLING_KINDS.has(to.kind)) errors.add(INPUT('toOrganization'), UserErrorCode.INVALID, 'Applications go to a service centre, a street office or a government department');
    let toOfficerId: number | null = null;
    if (input.toOfficer != null) {
      toOfficerId = inputId(input.toOfficer, 'StaffMember', INPUT('toOfficer'), errors) ?? null;
      const officer = toOfficerId === null ? undefined : await findStaffMemberById(tx, toOfficerId);
      if (toOfficerId !== null && !officer) errors.add(INPUT('toOfficer'), UserErrorCode.NOT_FOUND, 'No staff member has this ID');
      else if (officer && !officer.active) errors.add(INPUT('toOfficer'), UserErrorCode.INACTIVE, 'This staff member is no longer active');
      else if (officer && to && officer.organizationId !== to.id) errors.add(INPUT('toOfficer'), UserErrorCode.INVALID, 'The officer does not work for that organization');
    }
    if (to && to.id === application.ownerOrganizationId && toOfficerId === application.ownerOfficerId) errors.add(INPUT('toOrganization'), UserErrorCode.INVALID, 'They own the application already');
    const note = optionalText(errors, INPUT('note'), input.note, MAX_REASON_LENGTH);
    if (errors.any || !to) throw new UserErrorsAbort(errors.list);
    await insertHandoff(tx, {
      applicationId: application.id,
      fromOrganizationId: application.ownerOrganizationId,
      fromOfficerId: application.ownerOfficerId,
      toOrganizationId: to.id,
      toOfficerId,
      note: note ?? null,
      actor: actor.viewer.subject,
    });
    return updateApplicationRow(tx, application.id, { ownerOrganizationId: to.id, ownerOfficerId: toOfficerId });
  });
}

/** Records materials the applicant brought: MISSING ones become PROVIDED. */
export function provideMaterials(db: Database, actor: Actor, input: ProvideMaterialsInput): Promise<ApplicationResult> {
  authorizeWrite(actor.viewer, 'handleApplication');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'Application', fields: () => ['materials'] }, async (tx) => {
    const errors = new UserErrors();
    const application = await lockLive(tx, input.id, INPUT('id'), errors);
    authorizeOn(actor, 'handleApplication', applicationTarget(application), 'recording materials of this application');
    const materials = await findMaterialsOfApplication(tx, application.id);
    if (input.materialKinds.length === 0) errors.add(INPUT('materialKinds'), UserErrorCode.REQUIRED, 'Name at least one material');
    const provided = input.materialKinds.flatMap((globalId, i) => {
      const kindId = inputId(globalId, 'MaterialKind', INPUT('materialKinds', i), errors);
      const material = materials.find((m) => m.materialKindId === kindId);
      if (kindId !== undefined && !material) errors.add(INPUT('materialKinds', i), UserErrorCode.INVALID, 'The application does not ask for this material');
      return material?.state === 'MISSING' ? [material] : [];
    });
    if (errors.any) throw new UserErrorsAbort(errors.list);
    for (const material of provided) await updateMaterialRow(tx, material.id, { state: 'PROVIDED' });
    return updateApplicationRow(tx, application.id, {});
  });
}

/**
 * Asks the applicant for a material after intake. The first notice was meant to be complete: a
 * material it did not list as missing may be asked for only as a recorded exception with a reason.
 */
export function requestMaterial(db: Database, actor: Actor, input: RequestMaterialInput): Promise<ApplicationResult> {
  authorizeWrite(actor.viewer, 'handleApplication');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'Application', fields: () => givenFields(input).filter((f) => f !== 'id').map((f) => (f === 'materialKind' ? 'materials' : f)) }, async (tx) => {
    const errors = new UserErrors();
    const application = await lockLive(tx, input.id, INPUT('id'), errors);
    authorizeOn(actor, 'handleApplication', applicationTarget(application), 'asking for materials of this application');
    const kindId = inputId(input.materialKind, 'MaterialKind', INPUT('materialKind'), errors);
    const kind = kindId === undefined ? undefined : await findMaterialKindById(tx, kindId);
    if (kindId !== undefined && !kind) errors.add(INPUT('materialKind'), UserErrorCode.NOT_FOUND, 'No such material kind');
    if (errors.any || !kind) throw new UserErrorsAbort(errors.list);
    const existing = (await findMaterialsOfApplication(tx, application.id)).find((m) => m.materialKindId === kind.id);
    const later = { state: 'MISSING' as const, requestedLaterBy: actor.viewer.subject, requestedLaterAt: new Date() };
    if (existing?.noticeState === 'MISSING') {
      await updateMaterialRow(tx, existing.id, later);
    } else {
      const reason = optionalText(errors, INPUT('exceptionReason'), input.exceptionReason, MAX_REASON_LENGTH);
      if (reason === null || (reason === undefined && !errors.any)) {
        errors.add(INPUT('materialKind'), UserErrorCode.NOT_IN_NOTICE, 'The first notice did not list this material as missing: asking for it now needs exceptionReason, and is recorded as an exception');
      }
      if (errors.any) throw new UserErrorsAbort(errors.list);
      if (existing) await updateMaterialRow(tx, existing.id, { ...later, exceptionReason: reason! });
      else await insertMaterials(tx, [{ applicationId: application.id, materialKindId: kind.id, noticeState: null, exceptionReason: reason!, ...later }]);
    }
    return updateApplicationRow(tx, application.id, {});
  });
}

export interface MoveApplicationCommand {
  readonly id: string;
  readonly to: ApplicationStatus;
  readonly reason?: string | null;
  readonly publicity?: { readonly place: string; readonly start?: string | null; readonly end?: string | null };
  readonly approval?: ApprovalInput;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Moves an application along its transition table, checking the step's guards, recording who,
 * when and why, and restarting `statusSince`. Starting verification opens its verification
 * request; an application that ends takes a pending verification with it; approval applies its
 * effects (`applyApprovalEffects`).
 */
export function moveApplication(db: Database, actor: Actor, command: MoveApplicationCommand, settings: ApplicationSettings): Promise<ApplicationResult> {
  const operation: WriteOperation = command.to === ApplicationStatus.WITHDRAWN ? 'withdrawApplication' : 'decideApplication';
  authorizeWrite(actor.viewer, operation);
  const fields = ['status', ...(command.reason != null ? ['decisionReason'] : []), ...(command.publicity ? ['publicityPlace', 'publicityStart', 'publicityEnd'] : []), ...(command.to === ApplicationStatus.APPROVED ? ['case'] : [])];
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'Application', fields: () => fields }, async (tx) => {
    const errors = new UserErrors();
    const application = await lockLive(tx, command.id, INPUT('id'), errors);
    const from = application.status as ApplicationStatus;
    const step = applicationStep(from, command.to);
    if (!step) {
      errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `A ${from} application cannot become ${command.to}`);
      throw new UserErrorsAbort(errors.list);
    }
    authorizeOn(actor, operation, applicationTarget(application, step.by), `moving this application to ${command.to}`);

    const today = todayInShanghai(actor.now);
    const changes: Partial<NewApplicationRow> = { status: command.to, statusSince: new Date() };
    const reason = step.guards.includes('REASON_GIVEN') ? requiredText(errors, INPUT('reason'), command.reason ?? '', MAX_REASON_LENGTH) : optionalText(errors, INPUT('reason'), command.reason, MAX_REASON_LENGTH);
    for (const guard of step.guards) {
      switch (guard) {
        case 'MATERIALS_COMPLETE': {
          const missing = await countMissingMaterials(tx, application.id);
          if (missing > 0) errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `${missing} material(s) are still missing`);
          break;
        }
        case 'NO_VERIFICATION_REQUIRED':
          if (TYPES_NEEDING_VERIFICATION.includes(application.type as ApplicationType)) errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `A ${application.type} application needs an economic-status verification before review`);
          break;
        case 'VERIFICATION_COMPLETED': {
          const verification = await findVerificationOfApplication(tx, application.id);
          if (verification?.status !== 'COMPLETED') errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, 'The economic-status verification is not completed');
          break;
        }
        case 'PUBLICITY_GIVEN': {
          const publicity = command.publicity!;
          const place = requiredText(errors, INPUT('place'), publicity.place, 200);
          const datesValid = checkDate(errors, INPUT('start'), publicity.start) && checkDate(errors, INPUT('end'), publicity.end);
          const start = publicity.start ?? today;
          const end = publicity.end ?? addDays(start, settings.publicityDays - 1);
          // Publicity is posted from now on, for at least the configured period: it cannot be
          // backdated or cut short, so objections always have their time.
          if (datesValid && start < today) errors.add(INPUT('start'), UserErrorCode.OUT_OF_RANGE, `Publicity cannot start before today (${today})`);
          else if (datesValid && end < addDays(start, settings.publicityDays - 1)) {
            errors.add(INPUT('end'), UserErrorCode.OUT_OF_RANGE, `Publicity lasts at least ${settings.publicityDays} days: until ${addDays(start, settings.publicityDays - 1)} or later`);
          }
          Object.assign(changes, { publicityPlace: place, publicityStart: start, publicityEnd: end });
          break;
        }
        case 'PUBLICITY_CLEARED': {
          if (application.publicityEnd !== null && today <= application.publicityEnd) errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `The publicity period runs until ${application.publicityEnd}`);
          const unanswered = await countUnansweredObjections(tx, application.id);
          if (unanswered > 0) errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `${unanswered} objection(s) raised during publicity are unanswered`);
          break;
        }
        case 'VERIFIED_WITHIN_STANDARD': {
          if (!TYPES_NEEDING_VERIFICATION.includes(application.type as ApplicationType)) break;
          const verification = await findVerificationOfApplication(tx, application.id);
          if (verification?.status !== 'COMPLETED' || verification.outcome !== 'WITHIN_STANDARD') {
            errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `The economic-status verification found the household ${verification?.outcome ?? 'not verified'}: reject the application instead`);
          }
          break;
        }
        case 'REASON_GIVEN':
          break;
      }
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);

    if (reason != null) changes.decisionReason = reason;
    if (isFinal(command.to)) changes.decidedAt = new Date();
    if (command.to === ApplicationStatus.UNDER_VERIFICATION) {
      await insertVerificationRequest(tx, { applicationId: application.id, householdId: application.householdId, requestedBy: actor.viewer.subject });
    }
    if (command.to === ApplicationStatus.REJECTED || command.to === ApplicationStatus.WITHDRAWN) await cancelPendingVerification(tx, application.id);
    if (command.to === ApplicationStatus.APPROVED) changes.caseId = (await applyApprovalEffects(tx, actor, application, command.approval ?? { needs: [] })).caseId;
    const updated = await updateApplicationRow(tx, application.id, changes);
    await insertApplicationEvent(tx, { applicationId: application.id, fromStatus: from, toStatus: command.to, actor: actor.viewer.subject, reason: reason ?? null });
    await enterApplicationStep(tx, application.id, command.to, updated.statusSince);
    // A standing benefit starts being paid: its allowance, computed from the verified income.
    if (command.to === ApplicationStatus.APPROVED) await grantAllowanceForApprovedApplication(tx, actor, application.id);
    return updated;
  });
}
