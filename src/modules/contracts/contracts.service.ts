import { findPlanOfContract } from '../oversight/oversight.repository';
import { moveProject } from '../purchasing/purchasing.service';
import { PurchaseProjectStatus } from '../purchasing/purchasing.transitions';
import type { Actor } from '../../auth/actor';
import { authorizeWrite, type WriteTarget } from '../../auth/authorize';
import { fromGlobalId } from '../../common/global-id';
import { HubError } from '../../common/errors';
import type { Database } from '../../db/client';
import { recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import { inputId } from '../common/ids';
import { runMutation, type MutationResult } from '../common/mutation';
import { UserErrorCode, UserErrors, UserErrorsAbort } from '../common/user-error.type';
import { checkIntRange, checkWindow, optionalText, requiredText } from '../common/validate';
import { effectiveProviderStatus } from '../organizations/provider-status';
import { ProviderStatus } from '../organizations/organizations.types';
import {
  closeResourcesOfContract,
  countLiveReferralsOfContract,
  decidePayment,
  endContractRow,
  findBidWithProvider,
  findDistrict,
  findMilestone,
  findStreet,
  insertContract,
  insertContractResources,
  insertPayment,
  itemsOfProject,
  livePaymentSums,
  lockContract,
  lockPayment,
  lockProject,
  lockResourcesOfContract,
  type ContractArea,
  type ContractRow,
  type NewMilestone,
  type PaymentRow,
  type ProjectRow,
} from './contracts.repository';
import type { ContractEnding, DecideMilestonePaymentInput, EndContractInput, RequestMilestonePaymentInput, SignContractInput, StartContractServiceInput } from './contracts.types';

type Path = readonly (string | number)[];
const field = (...names: (string | number)[]): Path => ['input', ...names];

/** The terms every contract must state (§3(5)2), by input field, in the policy's order. */
export const REQUIRED_CONTRACT_TERMS = [
  { field: 'subject', label: 'subject (标的)' },
  { field: 'serviceStandard', label: 'service standard (服务标准)' },
  { field: 'quantity', label: 'quantity (服务数量)' },
  { field: 'term', label: 'term (服务期限)' },
  { field: 'amountFen', label: 'fee (服务报酬)' },
  { field: 'paymentMethod', label: 'payment method (付款方式)' },
  { field: 'breachLiability', label: 'liability for breach (违约责任)' },
  { field: 'disputeResolution', label: 'dispute resolution (解决争议的方式)' },
] as const;

export type ContractTermField = (typeof REQUIRED_CONTRACT_TERMS)[number]['field'];

/** The required terms an input lacks: absent, or blank text. */
export function missingContractTerms(input: Partial<Record<ContractTermField, unknown>>): ContractTermField[] {
  return REQUIRED_CONTRACT_TERMS.filter(({ field: name }) => {
    const value = input[name];
    return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
  }).map((term) => term.field);
}

const TEXT_LIMITS = { subject: 500, serviceStandard: 5000, paymentMethod: 2000, breachLiability: 5000, disputeResolution: 2000 } as const;
const MAX_AREAS = 200;
const MAX_MILESTONES = 100;

/** Where a project sits, as a write target: the purchaser's district and street. */
function projectTarget(place: { districtId: number | null; streetId: number | null }): WriteTarget {
  return { districtIds: place.districtId === null ? [] : [place.districtId], streetIds: place.streetId === null ? [] : [place.streetId] };
}

/** Resolves the contract areas: District or Street IDs, within the project's street or district when it has one. */
async function resolveAreas(tx: Database, project: ProjectRow, ids: readonly string[], errors: UserErrors): Promise<ContractArea[]> {
  if (ids.length === 0) errors.add(field('areas'), UserErrorCode.REQUIRED, 'A contract needs at least one district or street where the service is delivered');
  if (ids.length > MAX_AREAS) errors.add(field('areas'), UserErrorCode.OUT_OF_RANGE, `At most ${MAX_AREAS} areas`);
  const areas: ContractArea[] = [];
  const seen = new Set<string>();
  for (const [i, id] of ids.slice(0, MAX_AREAS).entries()) {
    const path = field('areas', i);
    const decoded = fromGlobalId(id);
    if (!decoded || (decoded.typeName !== 'District' && decoded.typeName !== 'Street')) {
      errors.add(path, UserErrorCode.NOT_FOUND, 'Not the ID of a District or Street');
      continue;
    }
    const key = `${decoded.typeName}:${decoded.id}`;
    if (seen.has(key)) {
      errors.add(path, UserErrorCode.INVALID, 'This area is listed twice');
      continue;
    }
    seen.add(key);
    const area = decoded.typeName === 'District' ? ((await findDistrict(tx, decoded.id)) && { districtId: decoded.id, streetId: null }) : await findStreet(tx, decoded.id).then((s) => s && { districtId: s.districtId, streetId: s.id });
    if (!area) {
      errors.add(path, UserErrorCode.NOT_FOUND, `No such ${decoded.typeName}`);
      continue;
    }
    // A street office buys for its street, a district bureau for its district; the city anywhere.
    const outside = project.streetId !== null ? area.streetId !== project.streetId : project.districtId !== null && area.districtId !== project.districtId;
    if (outside) {
      errors.add(path, UserErrorCode.OUT_OF_RANGE, 'The area lies outside where the purchaser buys (the project’s street or district)');
      continue;
    }
    areas.push(area);
  }
  return areas;
}

function checkMilestones(input: SignContractInput, termValid: boolean, errors: UserErrors): NewMilestone[] {
  const list = input.milestones;
  if (list.length === 0) errors.add(field('milestones'), UserErrorCode.REQUIRED, 'Payments follow milestones (§3(7)): give at least one');
  if (list.length > MAX_MILESTONES) errors.add(field('milestones'), UserErrorCode.OUT_OF_RANGE, `At most ${MAX_MILESTONES} milestones`);
  const milestones: NewMilestone[] = [];
  for (const [i, m] of list.slice(0, MAX_MILESTONES).entries()) {
    const name = requiredText(errors, field('milestones', i, 'name'), m.name, 200);
    const amountOk = Number.isSafeInteger(m.amountFen) && m.amountFen > 0;
    if (!amountOk) errors.add(field('milestones', i, 'amountFen'), UserErrorCode.OUT_OF_RANGE, 'amountFen must be above zero');
    if (termValid && input.term && (m.dueOn < input.term.start || m.dueOn > input.term.end)) {
      errors.add(field('milestones', i, 'dueOn'), UserErrorCode.OUT_OF_RANGE, 'dueOn must lie within the contract term');
    }
    if (name !== undefined && amountOk) milestones.push({ name, dueOn: m.dueOn, amountFen: m.amountFen });
  }
  const total = list.reduce((sum, m) => sum + (Number.isSafeInteger(m.amountFen) ? m.amountFen : 0), 0);
  if (input.amountFen != null && total > input.amountFen) {
    errors.add(field('milestones'), UserErrorCode.OUT_OF_RANGE, `The milestones add up to ${total} fen, more than the contract amount of ${input.amountFen} fen`);
  }
  return milestones;
}

/** The contract quantity split evenly over the project's catalogue items, the remainder to the first ones. */
export function splitQuantity(quantity: number, items: number): number[] {
  return Array.from({ length: items }, (_, i) => Math.floor(quantity / items) + (i < quantity % items ? 1 : 0));
}

/**
 * Moves the project from AWARDED to CONTRACTED with its history row. Stands in for the procurement
 * module's transition (`moveProject`); swap it for that when the two are merged.
 */
export async function markProjectContracted(tx: Database, actor: Actor, projectId: number): Promise<void> {
  await moveProject(tx, actor, projectId, PurchaseProjectStatus.CONTRACTED, 'Contract signed');
  await recordAudit(tx, [{ actor: actor.viewer, requestId: actor.requestId, purpose: actor.purpose ?? null, action: AuditAction.TRANSITION, entityType: 'PurchaseProject', entityId: projectId, fields: ['status'] }]);
}

export type ContractResult = MutationResult<ContractRow>;

const CONTRACT_FIELDS = ['project', 'bid', 'provider', ...REQUIRED_CONTRACT_TERMS.map((t) => t.field), 'areas', 'milestones'];

/**
 * Signs the contract of an AWARDED project with the awarded provider (§3(5)2), for no more than the
 * awarded price (nor the budget). A contract that lacks any required term is refused with one
 * MISSING_CONTRACT_TERM error per missing term, and nothing is written. On success the project becomes CONTRACTED and the contract's capacity
 * becomes supply: one CONTRACT_FUNDED resource of the provider per catalogue item of the project,
 * serving the contract's areas during its term.
 */
export function signContract(db: Database, actor: Actor, input: SignContractInput): Promise<ContractResult> {
  authorizeWrite(actor.viewer, 'signContract');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'PurchaseContract', fields: () => CONTRACT_FIELDS }, async (tx) => {
    const errors = new UserErrors();
    const projectId = inputId(input.project, 'PurchaseProject', field('project'), errors);
    const project = projectId === undefined ? undefined : await lockProject(tx, projectId);
    if (projectId !== undefined && !project) errors.add(field('project'), UserErrorCode.NOT_FOUND, 'No such purchase project');
    if (!project) throw new UserErrorsAbort(errors.list);
    authorizeWrite(actor.viewer, 'signContract', projectTarget(project));
    if (project.status !== 'AWARDED' || project.awardedBidId === null) {
      errors.add(field('project'), UserErrorCode.INVALID_STATE, `Only an AWARDED project is contracted; this one is ${project.status}`);
      throw new UserErrorsAbort(errors.list);
    }
    const bid = await findBidWithProvider(tx, project.awardedBidId);
    if (!bid || bid.projectId !== project.id) throw new Error(`Project ${project.id} names a bid of another project`);
    if (effectiveProviderStatus(bid.providerStatus as ProviderStatus | null, bid.bannedUntil) !== ProviderStatus.ACTIVE) {
      errors.add(field('project'), UserErrorCode.INACTIVE, 'The awarded provider is suspended or banned and cannot sign');
    }
    const items = await itemsOfProject(tx, project.id);
    if (items.length === 0) errors.add(field('project'), UserErrorCode.INVALID_STATE, 'The project buys no catalogue item');

    for (const name of missingContractTerms(input)) {
      const { label } = REQUIRED_CONTRACT_TERMS.find((term) => term.field === name)!;
      errors.add(field(name), UserErrorCode.MISSING_CONTRACT_TERM, `The contract must state its ${label}`);
    }
    const texts: Partial<Record<keyof typeof TEXT_LIMITS, string>> = {};
    for (const name of Object.keys(TEXT_LIMITS) as (keyof typeof TEXT_LIMITS)[]) {
      const value = input[name];
      if (value != null && value.trim() !== '') texts[name] = requiredText(errors, field(name), value, TEXT_LIMITS[name]);
    }
    if (input.quantity != null && checkIntRange(errors, field('quantity'), input.quantity, 1, project.quantity) && input.quantity < items.length) {
      errors.add(field('quantity'), UserErrorCode.OUT_OF_RANGE, `quantity must give each of the project's ${items.length} catalogue items at least one unit`);
    }
    let termValid = false;
    if (input.term) {
      termValid = checkWindow(errors, field('term', 'end'), input.term.start, input.term.end);
      if (termValid && (input.term.start < project.termStart || input.term.end > project.termEnd)) {
        errors.add(field('term'), UserErrorCode.OUT_OF_RANGE, `The term must lie within the project's, ${project.termStart} to ${project.termEnd}`);
        termValid = false;
      }
    }
    if (input.amountFen != null && (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0 || input.amountFen > project.budgetFen)) {
      errors.add(field('amountFen'), UserErrorCode.OUT_OF_RANGE, `amountFen must be above zero and at most the project budget of ${project.budgetFen} fen`);
    } else if (input.amountFen != null && input.amountFen > bid.priceFen) {
      errors.add(field('amountFen'), UserErrorCode.OUT_OF_RANGE, `amountFen must not exceed the awarded price of ${bid.priceFen} fen`);
    }
    const areas = await resolveAreas(tx, project, input.areas, errors);
    const milestones = checkMilestones(input, termValid, errors);
    if (errors.any) throw new UserErrorsAbort(errors.list);

    const contract = await insertContract(
      tx,
      {
        projectId: project.id,
        bidId: bid.id,
        providerId: bid.providerId,
        subject: texts.subject!,
        serviceStandard: texts.serviceStandard!,
        quantity: input.quantity!,
        termStart: input.term!.start,
        termEnd: input.term!.end,
        amountFen: input.amountFen!,
        paymentMethod: texts.paymentMethod!,
        breachLiability: texts.breachLiability!,
        disputeResolution: texts.disputeResolution!,
      },
      areas,
      milestones,
    );
    const capacities = splitQuantity(contract.quantity, items.length);
    const resourceIds = await insertContractResources(
      tx,
      contract,
      items.map((categoryId, i) => ({ categoryId, capacity: capacities[i]!, title: contract.subject.slice(0, 100) })),
      areas,
    );
    await recordAudit(
      tx,
      resourceIds.map((id) => ({ actor: actor.viewer, requestId: actor.requestId, purpose: actor.purpose ?? null, action: AuditAction.CREATE, entityType: 'Resource', entityId: id, fields: ['contract', 'provider', 'category', 'capacity', 'serviceArea', 'availableFrom', 'availableUntil', 'cost'] })),
    );
    await markProjectContracted(tx, actor, project.id);
    return contract;
  });
}

/**
 * Closes every open resource of a contract, inside the caller's transaction, and audits it. For
 * ending a contract here, and for the takeover (oversight) once it has moved the live referrals.
 */
export async function closeContractResources(tx: Database, actor: Actor, contractId: number, reason: string): Promise<number[]> {
  const closed = await closeResourcesOfContract(tx, contractId, reason);
  if (closed.length > 0) {
    await recordAudit(
      tx,
      closed.map((id) => ({ actor: actor.viewer, requestId: actor.requestId, purpose: actor.purpose ?? null, action: AuditAction.TRANSITION, entityType: 'Resource', entityId: id, fields: ['status', 'closedAt', 'closureReason'] })),
    );
  }
  return closed;
}

/**
 * Ends an ACTIVE contract as COMPLETED or TERMINATED and closes its resources. Refused while
 * referrals to its resources are live: those finish first, or move to the stand-in through the
 * takeover plan, so no beneficiary is dropped.
 */
export function endContract(db: Database, actor: Actor, input: EndContractInput): Promise<ContractResult> {
  authorizeWrite(actor.viewer, 'signContract');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'PurchaseContract', fields: () => ['status', 'endedAt', 'endReason'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.contract, 'PurchaseContract', field('contract'), errors);
    const locked = id === undefined ? undefined : await lockContract(tx, id);
    if (id !== undefined && !locked) errors.add(field('contract'), UserErrorCode.NOT_FOUND, 'No such contract');
    if (locked) authorizeWrite(actor.viewer, 'signContract', projectTarget(locked));
    const reason = requiredText(errors, field('reason'), input.reason, 500);
    if (locked && locked.contract.status !== 'ACTIVE') errors.add(field('contract'), UserErrorCode.INVALID_STATE, `A ${locked.contract.status} contract cannot end again`);
    if (errors.any || !locked) throw new UserErrorsAbort(errors.list);
    await lockResourcesOfContract(tx, locked.contract.id);
    const live = await countLiveReferralsOfContract(tx, locked.contract.id);
    if (live > 0) {
      errors.add(field('contract'), UserErrorCode.CONFLICT, `${live} referrals to the contract's resources are live: let them finish, or activate the takeover plan to move them to the stand-in`);
      throw new UserErrorsAbort(errors.list);
    }
    const ended = await endContractRow(tx, locked.contract.id, input.ending as ContractEnding, reason!);
    await closeContractResources(tx, actor, ended.id, `Contract ${input.ending === 'COMPLETED' ? 'completed' : 'terminated'}: ${reason!}`.slice(0, 500));
    return ended;
  });
}

/**
 * Records that the service of a signed contract has begun (项目实施): its project moves from
 * CONTRACTED to IN_PROGRESS, where it is monitored and, at the end, evaluated.
 */
export function startContractService(db: Database, actor: Actor, input: StartContractServiceInput): Promise<ContractResult> {
  authorizeWrite(actor.viewer, 'signContract');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'PurchaseContract', fields: () => ['projectStatus'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.contract, 'PurchaseContract', field('contract'), errors);
    const locked = id === undefined ? undefined : await lockContract(tx, id);
    if (id !== undefined && !locked) errors.add(field('contract'), UserErrorCode.NOT_FOUND, 'No such contract');
    if (locked) authorizeWrite(actor.viewer, 'signContract', projectTarget(locked));
    if (locked && locked.contract.status !== 'ACTIVE') errors.add(field('contract'), UserErrorCode.INVALID_STATE, `A ${locked.contract.status} contract cannot start`);
    // Every contract has a takeover plan (§3(6)) before anyone depends on its service.
    else if (locked && !(await findPlanOfContract(tx, locked.contract.id))) {
      errors.add(field('contract'), UserErrorCode.INVALID_STATE, "Write the contract's takeover plan (临时接管预案, setTakeoverPlan) before its service starts");
    }
    if (errors.any || !locked) throw new UserErrorsAbort(errors.list);
    await moveProject(tx, actor, locked.contract.projectId, PurchaseProjectStatus.IN_PROGRESS, 'Contract service started');
    return locked.contract;
  });
}

export type PaymentResult = MutationResult<PaymentRow>;

/**
 * Asks for the payment of a milestone (the purchaser in scope). The contract row is locked for
 * the check and the insert, so concurrent requests take turns and PENDING plus APPROVED payments
 * never add up to more than the milestone's amount nor the contract's.
 */
export function requestMilestonePayment(db: Database, actor: Actor, input: RequestMilestonePaymentInput): Promise<PaymentResult> {
  authorizeWrite(actor.viewer, 'requestMilestonePayment');
  return runMutation(db, { actor, action: AuditAction.CREATE, entityType: 'MilestonePayment', fields: () => ['milestone', 'amountFen', 'note'] }, async (tx) => {
    const errors = new UserErrors();
    const milestoneId = inputId(input.milestone, 'ContractMilestone', field('milestone'), errors);
    const milestone = milestoneId === undefined ? undefined : await findMilestone(tx, milestoneId);
    if (milestoneId !== undefined && !milestone) errors.add(field('milestone'), UserErrorCode.NOT_FOUND, 'No such milestone');
    if (!milestone) throw new UserErrorsAbort(errors.list);
    const locked = (await lockContract(tx, milestone.contractId))!;
    authorizeWrite(actor.viewer, 'requestMilestonePayment', projectTarget(locked));
    const note = optionalText(errors, field('note'), input.note, 1000);
    const live = await livePaymentSums(tx, locked.contract.id, milestone.id);
    const left = Math.min(milestone.amountFen - live.milestoneFen, locked.contract.amountFen - live.contractFen);
    const amount = input.amountFen ?? left;
    if (left <= 0) {
      errors.add(field('milestone'), UserErrorCode.CONFLICT, 'Nothing is left to pay on this milestone or contract');
    } else if (!Number.isSafeInteger(amount) || amount <= 0 || amount > left) {
      errors.add(field('amountFen'), UserErrorCode.OUT_OF_RANGE, `amountFen must be above zero and at most ${left} fen, what is left of the milestone and of the contract amount`);
    }
    if (errors.any) throw new UserErrorsAbort(errors.list);
    return insertPayment(tx, { contractId: locked.contract.id, milestoneId: milestone.id, amountFen: amount, note: note ?? null, requestedBy: actor.viewer.subject! });
  });
}

/**
 * A finance officer approves or rejects a PENDING payment. Whoever asked for it may not decide it
 * (the table refuses it too). Approving an APPROVED payment again changes nothing.
 */
export function decideMilestonePayment(db: Database, actor: Actor, to: 'APPROVED' | 'REJECTED', input: DecideMilestonePaymentInput): Promise<PaymentResult> {
  authorizeWrite(actor.viewer, 'decideMilestonePayment');
  return runMutation(db, { actor, action: AuditAction.TRANSITION, entityType: 'MilestonePayment', fields: () => ['status', 'decidedBy', 'decisionReason'] }, async (tx) => {
    const errors = new UserErrors();
    const id = inputId(input.payment, 'MilestonePayment', field('payment'), errors);
    const payment = id === undefined ? undefined : await lockPayment(tx, id);
    if (id !== undefined && !payment) errors.add(field('payment'), UserErrorCode.NOT_FOUND, 'No such payment');
    const reason = to === 'REJECTED' ? requiredText(errors, field('reason'), input.reason ?? '', 500) : optionalText(errors, field('reason'), input.reason, 500);
    if (errors.any || !payment) throw new UserErrorsAbort(errors.list);
    const locked = (await lockContract(tx, payment.contractId))!;
    authorizeWrite(actor.viewer, 'decideMilestonePayment', projectTarget(locked));
    if (payment.requestedBy === actor.viewer.subject) throw new HubError('FORBIDDEN', 'Whoever asked for a payment may not decide it');
    if (payment.status === to) return payment;
    if (payment.status !== 'PENDING') {
      errors.add(field('payment'), UserErrorCode.INVALID_STATE, `A ${payment.status} payment cannot become ${to}`);
      throw new UserErrorsAbort(errors.list);
    }
    return decidePayment(tx, payment.id, to, actor.viewer.subject!, reason ?? null);
  });
}
