import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { optionalText, requiredText } from '../common/validate';
import { findCommitteeById, findHouseholdById } from '../households/households.repository';
import { insertDiscoveryReport, lockDiscoveryReport, updateDiscoveryReportRow, type DiscoveryReportRow } from './applications.repository';
import type { DiscoveryStepInput, ReportDiscoveryInput } from './applications.inputs';

export type DiscoveryResult = MutationResult<DiscoveryReportRow>;
type Status = DiscoveryReportRow['status'];

/** A discovery report's life: taken up, then turned into an application (receiveApplication) or closed. */
export const DISCOVERY_TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  NEW: ['INVESTIGATING', 'CONVERTED', 'CLOSED'],
  INVESTIGATING: ['CONVERTED', 'CLOSED'],
  CONVERTED: [],
  CLOSED: [],
};

export function canMoveDiscoveryReport(from: Status, to: Status): boolean {
  return DISCOVERY_TRANSITIONS[from].includes(to);
}

/** A committee member reports a household that may be in difficulty, registered in the hub or not. */
export function reportDiscovery(db: Database, actor: Actor, input: ReportDiscoveryInput): Promise<DiscoveryResult> {
  authorizeWrite(actor.viewer, 'reportDiscovery');
  const fields = ['committee', 'description', ...(input.household ? ['household'] : []), ...(input.address ? ['address'] : [])];
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'DiscoveryReport', fields: () => fields }, async (tx) => {
    const errors = new UserErrors();
    const committeeId = inputId(input.committee, 'Committee', ['input', 'committee'], errors);
    const committee = committeeId === undefined ? undefined : await findCommitteeById(tx, committeeId);
    if (committeeId !== undefined && !committee) errors.add(['input', 'committee'], UserErrorCode.NOT_FOUND, 'No such committee');
    if (committee) authorizeWrite(actor.viewer, 'reportDiscovery', { streetIds: [committee.streetId], districtIds: [committee.districtId] });
    let householdId: number | null = null;
    if (input.household != null) {
      householdId = inputId(input.household, 'Household', ['input', 'household'], errors) ?? null;
      if (householdId !== null && !(await findHouseholdById(tx, householdId))) errors.add(['input', 'household'], UserErrorCode.NOT_FOUND, 'No such household');
    }
    const description = requiredText(errors, ['input', 'description'], input.description, 2000);
    const address = optionalText(errors, ['input', 'address'], input.address, 200);
    if (householdId === null && address == null && !errors.any) errors.add(['input', 'address'], UserErrorCode.REQUIRED, 'Give the household or, when it is not registered, its address');
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertDiscoveryReport(tx, {
      committeeId: committee!.id,
      streetId: committee!.streetId,
      districtId: committee!.districtId,
      householdId,
      description: description!,
      addressText: address ?? null,
      reportedBy: actor.viewer.subject,
      reporterStaffId: actor.viewer.staffMemberId,
    });
  });
}

/** A street officer takes a report up (INVESTIGATING) or closes it with a reason (CLOSED). */
export function moveDiscoveryReport(db: Database, actor: Actor, input: DiscoveryStepInput, to: 'INVESTIGATING' | 'CLOSED'): Promise<DiscoveryResult> {
  authorizeWrite(actor.viewer, 'investigateDiscovery');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'DiscoveryReport', fields: () => (to === 'CLOSED' ? ['status', 'closeReason'] : ['status']) }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.id, 'DiscoveryReport', ['input', 'id'], errors);
    const report = id === undefined ? undefined : await lockDiscoveryReport(tx, id);
    if (id !== undefined && !report) errors.add(['input', 'id'], UserErrorCode.NOT_FOUND, 'No such discovery report');
    if (report) authorizeWrite(actor.viewer, 'investigateDiscovery', { streetIds: [report.streetId], districtIds: [report.districtId] });
    if (report && !canMoveDiscoveryReport(report.status, to)) errors.add(['input', 'id'], UserErrorCode.INVALID_STATE, `A ${report.status} report cannot become ${to}`);
    const reason = to === 'CLOSED' ? requiredText(errors, ['input', 'reason'], input.reason ?? '', 1000) : undefined;
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return updateDiscoveryReportRow(tx, report!.id, to === 'CLOSED' ? { status: to, closeReason: reason! } : { status: to, investigatedBy: actor.viewer.subject });
  });
}
