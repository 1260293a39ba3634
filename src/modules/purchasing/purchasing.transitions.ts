/** A purchase project's states; the values equal the `purchase_project_status` database enum. */
export enum PurchaseProjectStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  FINANCE_REVIEW = 'FINANCE_REVIEW',
  APPROVED = 'APPROVED',
  RETURNED = 'RETURNED',
  PROCUREMENT = 'PROCUREMENT',
  AWARDED = 'AWARDED',
  CONTRACTED = 'CONTRACTED',
  IN_PROGRESS = 'IN_PROGRESS',
  EVALUATED = 'EVALUATED',
  CLOSED = 'CLOSED',
}

/**
 * Who takes a step: the purchaser (civil affairs or the street office, in scope), finance, the
 * award (`awardPurchaseProject`, which follows the experts' aggregate), or another module through
 * `moveProject` (contracts: CONTRACTED, IN_PROGRESS; oversight: EVALUATED, CLOSED).
 */
export type ProjectSide = 'PURCHASER' | 'FINANCE' | 'AWARD' | 'MODULE';

/** What must hold before a step; checked inside the step's transaction. */
export type ProjectGuard =
  /** A reason is given (and recorded as the return reason). */
  | 'REASON_GIVEN'
  /** A method is chosen that the thresholds allow for the budget, or its justification is recorded. */
  | 'METHOD_ALLOWED'
  /** Scoring criteria exist and their weights sum to 100: entering procurement publishes them. */
  | 'CRITERIA_COMPLETE'
  /** The project's contract is no longer ACTIVE: a closed project's capacity takes no more referrals. */
  | 'CONTRACT_ENDED';

export interface ProjectStep {
  readonly by: readonly ProjectSide[];
  readonly guards: readonly ProjectGuard[];
}

const S = PurchaseProjectStatus;
const PURCHASER: ProjectStep = { by: ['PURCHASER'], guards: [] };

/** The lifecycle, written once: every status change goes through `projectStep`. */
export const PROJECT_TRANSITIONS: Readonly<Record<PurchaseProjectStatus, Partial<Record<PurchaseProjectStatus, ProjectStep>>>> = {
  [S.DRAFT]: { [S.SUBMITTED]: { by: ['PURCHASER'], guards: ['METHOD_ALLOWED'] } },
  // The purchaser may take a submission back to edit it until finance takes it up.
  [S.SUBMITTED]: { [S.FINANCE_REVIEW]: { by: ['FINANCE'], guards: [] }, [S.DRAFT]: PURCHASER },
  [S.FINANCE_REVIEW]: { [S.APPROVED]: { by: ['FINANCE'], guards: ['METHOD_ALLOWED'] }, [S.RETURNED]: { by: ['FINANCE'], guards: ['REASON_GIVEN'] } },
  // A returned project is edited in place, then resubmitted (or taken back to draft).
  [S.RETURNED]: { [S.SUBMITTED]: { by: ['PURCHASER'], guards: ['METHOD_ALLOWED'] }, [S.DRAFT]: PURCHASER },
  [S.APPROVED]: { [S.PROCUREMENT]: { by: ['PURCHASER'], guards: ['METHOD_ALLOWED', 'CRITERIA_COMPLETE'] } },
  [S.PROCUREMENT]: { [S.AWARDED]: { by: ['AWARD'], guards: [] } },
  [S.AWARDED]: { [S.CONTRACTED]: { by: ['MODULE'], guards: [] } },
  [S.CONTRACTED]: { [S.IN_PROGRESS]: { by: ['MODULE'], guards: [] } },
  [S.IN_PROGRESS]: { [S.EVALUATED]: { by: ['MODULE'], guards: [] } },
  [S.EVALUATED]: { [S.CLOSED]: { by: ['PURCHASER', 'MODULE'], guards: ['CONTRACT_ENDED'] } },
  [S.CLOSED]: {},
};

/** The step from one status to another; undefined when the move is not in the table. */
export function projectStep(from: PurchaseProjectStatus, to: PurchaseProjectStatus): ProjectStep | undefined {
  return PROJECT_TRANSITIONS[from][to];
}

/** Statuses in which the purchaser may still edit the project (its budget, method, items, criteria). */
export const EDITABLE_STATUSES: readonly PurchaseProjectStatus[] = [S.DRAFT, S.RETURNED];

/** Statuses the public sees (信息公开): from approval (立项) on. Drafts and finance review stay internal. */
export const DISCLOSED_STATUSES: readonly PurchaseProjectStatus[] = [S.APPROVED, S.PROCUREMENT, S.AWARDED, S.CONTRACTED, S.IN_PROGRESS, S.EVALUATED, S.CLOSED];

/** Statuses after the award: bids' aggregate scores and the review panel are disclosed. */
export const AWARDED_STATUSES: readonly PurchaseProjectStatus[] = [S.AWARDED, S.CONTRACTED, S.IN_PROGRESS, S.EVALUATED, S.CLOSED];
