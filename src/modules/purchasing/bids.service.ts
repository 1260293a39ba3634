import type { Actor } from '../../auth/actor';
import { authorizeWrite } from '../../auth/authorize';
import type { Database } from '../../db/client';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { requiredText } from '../common/validate';
import { deleteScoresOfBid, findBidOf, findOrganizationFacts, insertBid, lockBid, lockProject, updateBidRow, type BidRow } from './purchasing.repository';
import { lockProjectInput } from './purchasing.service';
import { PurchaseProjectStatus } from './purchasing.transitions';
import { isBarred } from './review.service';
import type { SubmitBidInput, WithdrawBidInput } from './purchasing.types';

const INPUT = (...path: (string | number)[]) => ['input', ...path];
const MAX_PROPOSAL = 20_000;

/**
 * A provider bids for itself (the organization in the viewer's token) while the project is in
 * procurement. A suspended provider, or one banned until today or later, cannot bid. A withdrawn
 * bid may be submitted again: the one bid row per provider and project is renewed, and scored afresh
 * (withdrawal deletes the experts' sheets of the old version).
 */
export function submitBid(db: Database, actor: Actor, input: SubmitBidInput): Promise<MutationResult<BidRow>> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'submitBid', { organizationId: viewer.organizationId ?? undefined });
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'Bid', fields: () => ['priceFen', 'proposal'] }, async (tx) => {
    const errors = new UserErrors();
    const provider = await findOrganizationFacts(tx, viewer.organizationId!);
    const project = await lockProjectInput(tx, input.project, INPUT('project'), errors);
    if (project.status !== PurchaseProjectStatus.PROCUREMENT) errors.add(INPUT('project'), UserErrorCode.INVALID_STATE, `Bids are taken while the project is in PROCUREMENT; it is ${project.status}`);
    if (!provider?.isProvider) errors.add(INPUT('project'), UserErrorCode.INVALID, 'Only providers (承接主体) bid');
    else if (isBarred(provider)) {
      const until = provider.providerStatus === 'BANNED' && provider.bannedUntil ? ` until ${provider.bannedUntil}` : '';
      errors.add(INPUT('project'), UserErrorCode.INACTIVE, `The provider is ${provider.providerStatus}${until} and cannot bid`);
    }
    if (!Number.isSafeInteger(input.priceFen) || input.priceFen <= 0) errors.add(INPUT('priceFen'), UserErrorCode.OUT_OF_RANGE, 'priceFen must be a whole number of fen above 0');
    else if (input.priceFen > project.budgetFen) errors.add(INPUT('priceFen'), UserErrorCode.OUT_OF_RANGE, 'priceFen must not exceed the project budget');
    const proposal = requiredText(errors, INPUT('proposal'), input.proposal, MAX_PROPOSAL);
    const earlier = await findBidOf(tx, project.id, viewer.organizationId!);
    if (earlier && earlier.status !== 'WITHDRAWN') errors.add(INPUT('project'), UserErrorCode.CONFLICT, 'The provider has bid for this project already; withdraw that bid first to bid again');
    if (errors.any) throw new UserErrorsAbort(errors.list);
    const values = { priceFen: input.priceFen, proposal: proposal!, status: 'SUBMITTED' as const, submittedBy: viewer.subject, submittedAt: new Date() };
    return earlier ? updateBidRow(tx, earlier.id, values) : insertBid(tx, { projectId: project.id, providerId: viewer.organizationId!, ...values });
  });
}

export function withdrawBid(db: Database, actor: Actor, input: WithdrawBidInput): Promise<MutationResult<BidRow>> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'submitBid', { organizationId: viewer.organizationId ?? undefined });
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'Bid', fields: () => ['status', 'scores'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.id, 'Bid', INPUT('id'), errors);
    const bid = id === undefined ? undefined : await lockBid(tx, id);
    // Another provider's bid is as good as missing: its existence is not disclosed.
    if (id !== undefined && (!bid || bid.providerId !== viewer.organizationId)) errors.add(INPUT('id'), UserErrorCode.NOT_FOUND, 'No such bid of your organization');
    if (errors.any || !bid) throw new UserErrorsAbort(errors.list);
    const project = (await lockProject(tx, bid.projectId))!;
    if (project.status !== PurchaseProjectStatus.PROCUREMENT) errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `Bids can be withdrawn while the project is in PROCUREMENT; it is ${project.status}`);
    else if (bid.status !== 'SUBMITTED') errors.add(INPUT('id'), UserErrorCode.INVALID_STATE, `The bid is ${bid.status}`);
    if (errors.any) throw new UserErrorsAbort(errors.list);
    // The sheets scored this version of the bid: a re-submitted bid must not inherit them.
    await deleteScoresOfBid(tx, bid.id);
    return updateBidRow(tx, bid.id, { status: 'WITHDRAWN' });
  });
}
