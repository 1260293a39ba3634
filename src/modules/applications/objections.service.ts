import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import { todayInShanghai } from '../../common/dates';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { optionalText, requiredText } from '../common/validate';
import { answerObjectionRow, insertObjection, lockApplication, lockObjection, type ObjectionRow } from './applications.repository';
import type { AnswerObjectionInput, RecordObjectionInput } from './applications.inputs';
import { applicationTarget } from './applications.service';

export type ObjectionResult = MutationResult<ObjectionRow>;

const MAX_TEXT = 2000;

/**
 * Records an objection (异议) to an application under publicity, possibly anonymous. One that
 * arrives after the last day but before the decision is still recorded: it must be answered too.
 */
export function recordObjection(db: Database, actor: Actor, input: RecordObjectionInput): Promise<ObjectionResult> {
  authorizeWrite(actor.viewer, 'recordObjection');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'PublicityObjection', fields: () => (input.objector ? ['application', 'content', 'objector'] : ['application', 'content']) }, async (tx) => {
    const errors = new UserErrors();
    const applicationId = inputId(input.application, 'Application', ['input', 'application'], errors);
    const application = applicationId === undefined ? undefined : await lockApplication(tx, applicationId);
    if (applicationId !== undefined && !application) errors.add(['input', 'application'], UserErrorCode.NOT_FOUND, 'No such application');
    if (application) authorizeWrite(actor.viewer, 'recordObjection', applicationTarget(application, ['COMPETENT']));
    if (application && application.status !== 'PUBLICITY') errors.add(['input', 'application'], UserErrorCode.INVALID_STATE, 'Objections are recorded while the application is under publicity');
    else if (application && application.publicityStart !== null && todayInShanghai() < application.publicityStart) {
      errors.add(['input', 'application'], UserErrorCode.INVALID_STATE, `The publicity period starts on ${application.publicityStart}`);
    }
    const content = requiredText(errors, ['input', 'content'], input.content, MAX_TEXT);
    const objector = optionalText(errors, ['input', 'objector'], input.objector, 100);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertObjection(tx, { applicationId: application!.id, content: content!, objector: objector ?? null, recordedBy: actor.viewer.subject });
  });
}

/** Answers an objection; approval waits until every objection of the application is answered. */
export function answerObjection(db: Database, actor: Actor, input: AnswerObjectionInput): Promise<ObjectionResult> {
  authorizeWrite(actor.viewer, 'answerObjection');
  return runMutation(db, { actor, action: AuditAction.UPDATE, entityType: 'PublicityObjection', fields: () => ['answer'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.id, 'PublicityObjection', ['input', 'id'], errors);
    const objection = id === undefined ? undefined : await lockObjection(tx, id);
    if (id !== undefined && !objection) errors.add(['input', 'id'], UserErrorCode.NOT_FOUND, 'No such objection');
    const application = objection ? (await lockApplication(tx, objection.applicationId))! : undefined;
    if (application) authorizeWrite(actor.viewer, 'answerObjection', applicationTarget(application, ['COMPETENT']));
    if (objection?.answer != null) errors.add(['input', 'id'], UserErrorCode.INVALID_STATE, 'The objection is already answered');
    else if (application && application.status !== 'PUBLICITY') errors.add(['input', 'id'], UserErrorCode.INVALID_STATE, `The application is ${application.status}`);
    const answer = requiredText(errors, ['input', 'answer'], input.answer, MAX_TEXT);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return answerObjectionRow(tx, objection!.id, answer!, actor.viewer.subject);
  });
}
