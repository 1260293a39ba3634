/** An application's states (申请状态); the values equal the `application_status` database enum. */
export enum ApplicationStatus {
  RECEIVED = 'RECEIVED',
  ACCEPTED = 'ACCEPTED',
  UNDER_VERIFICATION = 'UNDER_VERIFICATION',
  REVIEW = 'REVIEW',
  PUBLICITY = 'PUBLICITY',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}

/** The national application types; the values equal the `application_type` database enum. */
export enum ApplicationType {
  MINIMUM_LIVING_ALLOWANCE = 'MINIMUM_LIVING_ALLOWANCE',
  EXTREME_POVERTY_SUPPORT = 'EXTREME_POVERTY_SUPPORT',
  DISASTER_RELIEF = 'DISASTER_RELIEF',
  MEDICAL = 'MEDICAL',
  EDUCATION = 'EDUCATION',
  HOUSING = 'HOUSING',
  EMPLOYMENT = 'EMPLOYMENT',
  TEMPORARY_ASSISTANCE = 'TEMPORARY_ASSISTANCE',
}

/**
 * Types whose eligibility rests on the household's income and assets: they must pass an
 * economic-status verification (经济状况核对) before review. Other types may ask for one.
 */
export const TYPES_NEEDING_VERIFICATION: readonly ApplicationType[] = [ApplicationType.MINIMUM_LIVING_ALLOWANCE, ApplicationType.EXTREME_POVERTY_SUPPORT];

/**
 * Who may make a step: the organization that owns the application now (首问负责: the receiving
 * centre until a hand-on), or the competent street (with its district and the city above it).
 */
export type ApplicationSide = 'OWNER' | 'COMPETENT';

/** What must hold before a step; the service checks it inside the step's transaction. */
export type ApplicationGuard =
  /** No material of the notice, or asked for later, is still missing. */
  | 'MATERIALS_COMPLETE'
  /** The type does not require verification. */
  | 'NO_VERIFICATION_REQUIRED'
  /** The application's verification has COMPLETED. */
  | 'VERIFICATION_COMPLETED'
  /** A place and a period are given. */
  | 'PUBLICITY_GIVEN'
  /** The publicity period has ended and every objection is answered. */
  | 'PUBLICITY_CLEARED'
  /** For the types that need verification: its result is within the standards. */
  | 'VERIFIED_WITHIN_STANDARD'
  /** A reason is given. */
  | 'REASON_GIVEN';

export interface ApplicationStep {
  readonly by: readonly ApplicationSide[];
  readonly guards: readonly ApplicationGuard[];
}

const COMPETENT: readonly ApplicationSide[] = ['COMPETENT'];
const WITHDRAWAL: ApplicationStep = { by: ['OWNER', 'COMPETENT'], guards: ['REASON_GIVEN'] };
const REJECTION: ApplicationStep = { by: COMPETENT, guards: ['REASON_GIVEN'] };

/** The lifecycle, written once: every status change goes through `applicationStep`. */
export const APPLICATION_TRANSITIONS: Readonly<Record<ApplicationStatus, Partial<Record<ApplicationStatus, ApplicationStep>>>> = {
  [ApplicationStatus.RECEIVED]: {
    [ApplicationStatus.ACCEPTED]: { by: COMPETENT, guards: ['MATERIALS_COMPLETE'] },
    [ApplicationStatus.WITHDRAWN]: WITHDRAWAL,
  },
  [ApplicationStatus.ACCEPTED]: {
    // Starting verification inserts the PENDING verification request of the application.
    [ApplicationStatus.UNDER_VERIFICATION]: { by: COMPETENT, guards: [] },
    [ApplicationStatus.REVIEW]: { by: COMPETENT, guards: ['NO_VERIFICATION_REQUIRED'] },
    [ApplicationStatus.WITHDRAWN]: WITHDRAWAL,
  },
  [ApplicationStatus.UNDER_VERIFICATION]: {
    [ApplicationStatus.REVIEW]: { by: COMPETENT, guards: ['VERIFICATION_COMPLETED'] },
    [ApplicationStatus.WITHDRAWN]: WITHDRAWAL,
  },
  [ApplicationStatus.REVIEW]: {
    [ApplicationStatus.PUBLICITY]: { by: COMPETENT, guards: ['PUBLICITY_GIVEN'] },
    [ApplicationStatus.REJECTED]: REJECTION,
    [ApplicationStatus.WITHDRAWN]: WITHDRAWAL,
  },
  [ApplicationStatus.PUBLICITY]: {
    [ApplicationStatus.APPROVED]: { by: COMPETENT, guards: ['PUBLICITY_CLEARED', 'VERIFIED_WITHIN_STANDARD'] },
    [ApplicationStatus.REJECTED]: REJECTION,
    [ApplicationStatus.WITHDRAWN]: WITHDRAWAL,
  },
  [ApplicationStatus.APPROVED]: {},
  [ApplicationStatus.REJECTED]: {},
  [ApplicationStatus.WITHDRAWN]: {},
};

export const FINAL_APPLICATION_STATUSES: readonly ApplicationStatus[] = [ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN];

export function isFinal(status: ApplicationStatus): boolean {
  return FINAL_APPLICATION_STATUSES.includes(status);
}

/** The step from one status to another; undefined when the move is not in the table. */
export function applicationStep(from: ApplicationStatus, to: ApplicationStatus): ApplicationStep | undefined {
  return APPLICATION_TRANSITIONS[from][to];
}
