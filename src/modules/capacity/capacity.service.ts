import { authorizeWrite, type WriteTarget } from '../../auth/authorize';
import type { Actor } from '../../auth/actor';
import { reportScopes, type ReportType } from '../../auth/policy';
import { isAuthenticated, type Principal } from '../../auth/principal';
import type { Visibility } from '../../auth/visibility';
import { todayInShanghai } from '../../common/dates';
import { HubError } from '../../common/errors';
import { isValidMainlandPhone, normalisePhone } from '../../common/phone';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { givenFields, runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkDate, optionalText, requiredText } from '../common/validate';
import {
  defaultNextReviewOn,
  findCategoryState,
  findCommitteePlace,
  findHouseholdForReview,
  findOrganizationPlace,
  findStaffPlaces,
  findStreetPlace,
  insertAttendance,
  insertReview,
  insertStaffMember,
  insertTrainingSession,
  lockReviewSchedule,
  lockStaffMember,
  lockTrainingSession,
  updateStaffMemberRow,
  upsertReviewSchedule,
  type HouseholdReviewRow,
  type NewStaffMemberRow,
  type ReviewScheduleRow,
  type StaffMemberRow,
  type TrainingSessionRow,
} from './capacity.repository';
import {
  AssistanceRole,
  ReviewOutcome,
  type CreateStaffMemberInput,
  type CreateTrainingSessionInput,
  type RecordHouseholdReviewInput,
  type RecordTrainingAttendanceInput,
  type UpdateStaffMemberInput,
} from './capacity.types';

const MAX_NAME = 50;
const MAX_TITLE = 200;
const MAX_ATTENDEES = 200;
const MAX_HOURS = 200;
const MAX_REVIEW_MONTHS = 24;

/**
 * What a viewer may see of a report: the policy's scopes for it with the viewer's own places. A
 * viewer granted none is refused, so an empty report always means "nothing missing".
 */
export function reportVisibility(viewer: Principal, report: ReportType): Visibility {
  const scopes = reportScopes(viewer, report);
  if (scopes.length === 0) {
    throw new HubError(isAuthenticated(viewer) ? 'FORBIDDEN' : 'UNAUTHENTICATED', isAuthenticated(viewer) ? `Your roles do not allow the ${report} report` : 'Sign in to read reports');
  }
  return { scopes, districtIds: viewer.districtIds, streetIds: viewer.streetIds, staffMemberId: viewer.staffMemberId, organizationId: viewer.organizationId };
}

const placeTarget = (place: { districtId: number | null; streetId: number | null }): WriteTarget => ({
  districtIds: place.districtId === null ? [] : [place.districtId],
  streetIds: place.streetId === null ? [] : [place.streetId],
});

// ----- staff ------------------------------------------------------------------------------------

async function checkCommittee(tx: Database, globalId: string, organization: { districtId: number | null; streetId: number | null } | undefined, errors: UserErrors) {
  const field = ['input', 'committee'];
  const id = inputId(globalId, 'Committee', field, errors);
  const committee = id === undefined ? undefined : await findCommitteePlace(tx, id);
  if (id !== undefined && !committee) errors.add(field, UserErrorCode.NOT_FOUND, 'No such committee');
  else if (committee && organization && ((organization.streetId !== null && committee.streetId !== organization.streetId) || (organization.districtId !== null && committee.districtId !== organization.districtId))) {
    errors.add(field, UserErrorCode.INVALID, 'The committee lies outside the organization’s street or district');
  }
  return committee?.id;
}

function checkPhone(errors: UserErrors, phone: string | null | undefined): string | null | undefined {
  const text = optionalText(errors, ['input', 'phone'], phone, 40);
  if (text == null) return text;
  if (!isValidMainlandPhone(text)) {
    errors.add(['input', 'phone'], UserErrorCode.INVALID, 'phone must be a mainland mobile or fixed-line number');
    return undefined;
  }
  return normalisePhone(text);
}

function checkHiredOn(errors: UserErrors, hiredOn: string | null | undefined): void {
  if (checkDate(errors, ['input', 'hiredOn'], hiredOn) && hiredOn != null && hiredOn > todayInShanghai()) {
    errors.add(['input', 'hiredOn'], UserErrorCode.OUT_OF_RANGE, 'hiredOn must not be in the future');
  }
}

/** Rules on the staff member as it will be stored, whichever fields the input changed. */
function checkStaffState(errors: UserErrors, state: Pick<NewStaffMemberRow, 'assistanceRole' | 'committeeId' | 'graduateHire' | 'hiredOn'>, committeeGiven: boolean): void {
  if (state.assistanceRole === AssistanceRole.COORDINATOR && state.committeeId == null && !committeeGiven) {
    errors.add(['input', 'committee'], UserErrorCode.REQUIRED, 'A coordinator (协理员) serves a committee: give committee');
  }
  if (state.graduateHire && state.hiredOn == null) errors.add(['input', 'hiredOn'], UserErrorCode.REQUIRED, 'A graduate hire needs hiredOn');
}

export function createStaffMember(db: Database, actor: Actor, input: CreateStaffMemberInput): Promise<MutationResult<StaffMemberRow>> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'recordStaff');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'StaffMember', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    const organizationId = inputId(input.organization, 'Organization', ['input', 'organization'], errors);
    const organization = organizationId === undefined ? undefined : await findOrganizationPlace(tx, organizationId);
    if (organizationId !== undefined && !organization) errors.add(['input', 'organization'], UserErrorCode.NOT_FOUND, 'No such organization');
    if (organization) authorizeWrite(viewer, 'recordStaff', placeTarget(organization));
    const committeeId = input.committee != null ? await checkCommittee(tx, input.committee, organization, errors) : null;
    const name = requiredText(errors, ['input', 'name'], input.name, MAX_NAME);
    const phone = checkPhone(errors, input.phone);
    checkHiredOn(errors, input.hiredOn);
    const state = { assistanceRole: input.assistanceRole ?? null, committeeId, graduateHire: input.graduateHire ?? false, hiredOn: input.hiredOn ?? null };
    checkStaffState(errors, state, input.committee != null);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertStaffMember(tx, { ...state, organizationId: organization!.id, position: input.position, name: name!, phone: phone ?? null });
  });
}

export function updateStaffMember(db: Database, actor: Actor, input: UpdateStaffMemberInput): Promise<MutationResult<StaffMemberRow>> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'recordStaff');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'StaffMember', fields: () => givenFields(input).filter((f) => f !== 'id') }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.id, 'StaffMember', ['input', 'id'], errors);
    const staff = id === undefined ? undefined : await lockStaffMember(tx, id);
    if (id !== undefined && !staff) errors.add(['input', 'id'], UserErrorCode.NOT_FOUND, 'No such staff member');
    const organization = staff ? await findOrganizationPlace(tx, staff.organizationId) : undefined;
    if (organization) authorizeWrite(viewer, 'recordStaff', placeTarget(organization));
    const changes: Partial<NewStaffMemberRow> = {};
    const both = (value: unknown, clear: boolean | null | undefined, field: string) => {
      if (value != null && clear) errors.add(['input', field], UserErrorCode.INVALID, `Give either ${field} or its clear flag, not both`);
    };
    both(input.committee, input.clearCommittee, 'committee');
    both(input.assistanceRole, input.clearAssistanceRole, 'assistanceRole');
    if (input.committee != null) changes.committeeId = await checkCommittee(tx, input.committee, organization, errors);
    if (input.clearCommittee) changes.committeeId = null;
    if (input.assistanceRole != null) changes.assistanceRole = input.assistanceRole;
    if (input.clearAssistanceRole) changes.assistanceRole = null;
    if (input.position != null) changes.position = input.position;
    if (input.name != null) changes.name = requiredText(errors, ['input', 'name'], input.name, MAX_NAME);
    if (input.phone != null) changes.phone = checkPhone(errors, input.phone);
    if (input.graduateHire != null) changes.graduateHire = input.graduateHire;
    if (input.hiredOn != null) {
      checkHiredOn(errors, input.hiredOn);
      changes.hiredOn = input.hiredOn;
    }
    if (input.active != null) changes.active = input.active;
    if (staff) checkStaffState(errors, { ...staff, ...changes }, input.committee != null);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return updateStaffMemberRow(tx, staff!.id, changes);
  });
}

// ----- training ---------------------------------------------------------------------------------

/** The district and street a session is for; the street implies its district. */
async function checkSessionPlace(tx: Database, input: CreateTrainingSessionInput, errors: UserErrors): Promise<{ districtId: number | null; streetId: number | null }> {
  let districtId = input.district != null ? inputId(input.district, 'District', ['input', 'district'], errors) : null;
  let streetId: number | null | undefined = null;
  if (input.street != null) {
    streetId = inputId(input.street, 'Street', ['input', 'street'], errors);
    const street = streetId === undefined ? undefined : await findStreetPlace(tx, streetId);
    if (streetId !== undefined && !street) errors.add(['input', 'street'], UserErrorCode.NOT_FOUND, 'No such street');
    else if (street && districtId != null && street.districtId !== districtId) errors.add(['input', 'street'], UserErrorCode.INVALID, 'The street lies in another district');
    else if (street) districtId = street.districtId;
  }
  return { districtId: districtId ?? null, streetId: streetId ?? null };
}

export function createTrainingSession(db: Database, actor: Actor, input: CreateTrainingSessionInput): Promise<MutationResult<TrainingSessionRow>> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'recordTraining');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'TrainingSession', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    const place = await checkSessionPlace(tx, input, errors);
    // A city-wide session (no district) is the city bureau's; a district's or a street's, theirs.
    if (!errors.any) authorizeWrite(viewer, 'recordTraining', placeTarget(place));
    const title = requiredText(errors, ['input', 'title'], input.title, MAX_TITLE);
    const organizerId = inputId(input.organizer, 'Organization', ['input', 'organizer'], errors);
    if (organizerId !== undefined && !(await findOrganizationPlace(tx, organizerId))) errors.add(['input', 'organizer'], UserErrorCode.NOT_FOUND, 'No such organization');
    let categoryId: number | null | undefined = null;
    if (input.category != null) {
      categoryId = inputId(input.category, 'ServiceCategory', ['input', 'category'], errors);
      const category = categoryId === undefined ? undefined : await findCategoryState(tx, categoryId);
      if (categoryId !== undefined && !category) errors.add(['input', 'category'], UserErrorCode.NOT_FOUND, 'No such catalogue item');
      else if (category?.retiredAt) errors.add(['input', 'category'], UserErrorCode.INACTIVE, 'The catalogue item is retired');
    }
    checkDate(errors, ['input', 'heldOn'], input.heldOn);
    if (!(input.hours > 0 && input.hours <= MAX_HOURS && Math.round(input.hours * 10) === input.hours * 10)) {
      errors.add(['input', 'hours'], UserErrorCode.OUT_OF_RANGE, `hours must be more than 0 and at most ${MAX_HOURS}, to one decimal`);
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertTrainingSession(tx, { ...place, title: title!, categoryId: categoryId ?? null, organizerId: organizerId!, heldOn: input.heldOn, hours: input.hours, createdBy: viewer.subject! });
  });
}

export interface AttendanceResult {
  readonly result: MutationResult<TrainingSessionRow>;
  readonly newlyRecorded: number;
}

/**
 * Records who attended a held session. Whoever manages a staff member's records (their
 * organization's street or district) records their attendance, whoever ran the session.
 */
export async function recordTrainingAttendance(db: Database, actor: Actor, input: RecordTrainingAttendanceInput): Promise<AttendanceResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'recordTraining');
  let newlyRecorded = 0;
  const result = await runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'TrainingSession', fields: () => ['attendance'] }, async (tx) => {
    const errors = new UserErrors();
    const sessionId = inputId(input.session, 'TrainingSession', ['input', 'session'], errors);
    const session = sessionId === undefined ? undefined : await lockTrainingSession(tx, sessionId);
    if (sessionId !== undefined && !session) errors.add(['input', 'session'], UserErrorCode.NOT_FOUND, 'No such training session');
    else if (session && session.heldOn > todayInShanghai()) errors.add(['input', 'session'], UserErrorCode.INVALID_STATE, 'The session has not been held yet');
    if (input.staffMembers.length === 0 || input.staffMembers.length > MAX_ATTENDEES) {
      errors.add(['input', 'staffMembers'], UserErrorCode.OUT_OF_RANGE, `staffMembers must list 1 to ${MAX_ATTENDEES} staff members`);
    }
    const ids = input.staffMembers.map((globalId, i) => inputId(globalId, 'StaffMember', ['input', 'staffMembers', i], errors));
    const places = new Map((await findStaffPlaces(tx, ids.filter((id): id is number => id !== undefined))).map((p) => [p.id, p]));
    ids.forEach((id, i) => {
      if (id !== undefined && !places.has(id)) errors.add(['input', 'staffMembers', i], UserErrorCode.NOT_FOUND, 'No such staff member');
    });
    for (const place of places.values()) authorizeWrite(viewer, 'recordTraining', placeTarget(place));
    if (errors.any) throw new UserErrorsAbort(errors.list);
    newlyRecorded = await insertAttendance(tx, session!.id, [...new Set(ids as number[])], viewer.subject!);
    return session!;
  });
  return { result, newlyRecorded: result.row ? newlyRecorded : 0 };
}

// ----- periodic reviews -------------------------------------------------------------------------

export interface ReviewResult {
  readonly result: MutationResult<HouseholdReviewRow>;
  readonly schedule: ReviewScheduleRow | null;
}

/** Two years on from a day, as text: the latest next review a reviewer may set. */
function latestNextReview(day: string): string {
  return `${Number(day.slice(0, 4)) + MAX_REVIEW_MONTHS / 12}${day.slice(4)}`;
}

/** Records a completed review and moves the household's schedule to the next date (or none after TERMINATED). */
export async function recordHouseholdReview(db: Database, actor: Actor, input: RecordHouseholdReviewInput): Promise<ReviewResult> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'recordHouseholdReview');
  let schedule: ReviewScheduleRow | null = null;
  const result = await runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'HouseholdReview', fields: () => givenFields(input) }, async (tx) => {
    const errors = new UserErrors();
    const householdId = inputId(input.household, 'Household', ['input', 'household'], errors);
    const household = householdId === undefined ? undefined : await findHouseholdForReview(tx, householdId);
    if (householdId !== undefined && !household) errors.add(['input', 'household'], UserErrorCode.NOT_FOUND, 'No such household');
    if (household) {
      authorizeWrite(viewer, 'recordHouseholdReview', {
        districtIds: [household.districtId, household.registeredDistrictId],
        streetIds: [household.streetId, household.registeredStreetId],
        caseworkerIds: household.caseworkerIds.map(Number),
      });
    }
    const current = household ? await lockReviewSchedule(tx, household.id) : undefined;
    const terminated = input.outcome === ReviewOutcome.TERMINATED;
    if (household && !household.assisted && !terminated) errors.add(['input', 'household'], UserErrorCode.INVALID_STATE, 'The household holds no assistance status to review');
    const today = todayInShanghai();
    if (checkDate(errors, ['input', 'reviewedOn'], input.reviewedOn)) {
      if (input.reviewedOn > today) errors.add(['input', 'reviewedOn'], UserErrorCode.OUT_OF_RANGE, 'reviewedOn must not be in the future');
      else if (current?.lastReviewedOn && input.reviewedOn < current.lastReviewedOn) errors.add(['input', 'reviewedOn'], UserErrorCode.OUT_OF_RANGE, 'reviewedOn must not be before the last recorded review');
    }
    let reviewerId: number | null | undefined = null;
    if (input.reviewer != null) {
      reviewerId = inputId(input.reviewer, 'StaffMember', ['input', 'reviewer'], errors);
      const [reviewer] = reviewerId === undefined ? [] : await findStaffPlaces(tx, [reviewerId]);
      if (reviewerId !== undefined && !reviewer) errors.add(['input', 'reviewer'], UserErrorCode.NOT_FOUND, 'No such staff member');
      else if (reviewer && !reviewer.active) errors.add(['input', 'reviewer'], UserErrorCode.INACTIVE, 'The staff member has left the post');
    }
    if (input.nextReviewOn != null) {
      if (terminated) errors.add(['input', 'nextReviewOn'], UserErrorCode.INVALID, 'No next review follows a TERMINATED review');
      else if (checkDate(errors, ['input', 'nextReviewOn'], input.nextReviewOn) && (input.nextReviewOn <= input.reviewedOn || input.nextReviewOn > latestNextReview(input.reviewedOn))) {
        errors.add(['input', 'nextReviewOn'], UserErrorCode.OUT_OF_RANGE, `nextReviewOn must be after reviewedOn and within ${MAX_REVIEW_MONTHS} months of it`);
      }
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const nextReviewOn = terminated ? null : (input.nextReviewOn ?? (await defaultNextReviewOn(tx, household!.id, input.reviewedOn)));
    const review = await insertReview(tx, { householdId: household!.id, reviewedOn: input.reviewedOn, reviewerId: reviewerId ?? null, outcome: input.outcome, nextReviewOn, recordedBy: viewer.subject! });
    schedule = await upsertReviewSchedule(tx, household!.id, input.reviewedOn, nextReviewOn);
    return review;
  });
  return { result, schedule: result.row ? schedule : null };
}
