import { Role } from './roles';
import type { Principal } from './principal';
import { DEPARTMENTS, type Department } from '../modules/verification/verification.rules';

/**
 * Who may see and change what, as one table in the style of Hasura's role × type × operation
 * rules. Everything that enforces access reads it: the row scopes applied by repositories, the
 * field middleware that decides clear or masked personal data, and the mutation checks.
 */

/** Which rows of a type a role may read or write. */
export type RowScope =
  /** Every row. */
  | 'ALL'
  /** Rows located in the principal's districts. */
  | 'MY_DISTRICTS'
  /** Rows located in the principal's streets. */
  | 'MY_STREETS'
  /** Households (and their members, cases, needs) of cases the principal owns as caseworker. */
  | 'MY_CASES'
  /** Rows of the principal's own organization (its resources). */
  | 'MY_ORGANIZATION'
  /** Resources listed in the public directory. */
  | 'PUBLIC_ONLY'
  /** Households (and their members and needs) with a live referral to the principal's organization. */
  | 'REFERRED_TO_MY_ORGANIZATION'
  /** Applications the principal's organization received or owns (首问负责), and the households of its live ones. */
  | 'RECEIVED_BY_MY_ORGANIZATION'
  /** Applications under publicity (公示) whose competent street is one of the principal's streets. */
  | 'UNDER_PUBLICITY_IN_MY_STREETS'
  /** Verification requests still waiting for figures (what a contributing department answers). */
  | 'PENDING_VERIFICATION';

/** Types whose rows are not public. Reference data (geography, catalogue, organizations) is. */
export type ScopedType =
  | 'Household'
  | 'Person'
  | 'Case'
  | 'Need'
  | 'Resource'
  | 'StaffMember'
  | 'Referral'
  /** Monthly allowances, their computation (which carries the verified income) and history. */
  | 'Allowance'
  /** Disbursement batches, their lines (household references and amounts) and reconciliations. */
  | 'Disbursement'
  /** Applications (申请) received at the one window, with their materials and history. */
  | 'Application'
  /** Objections raised during publicity: sensitive, read only by officials in scope. */
  | 'PublicityObjection'
  /** Discovery reports (发现报告) filed by committees. */
  | 'DiscoveryReport'
  /** Economic-status verifications (经济状况核对) and their figures. */
  | 'VerificationRequest'
  /** Purchase projects beyond what is disclosed to everyone (drafts, finance review, history). */
  | 'PurchaseProject'
  /** Providers' bids (投标) with their proposals. */
  | 'Bid'
  /** Purchase contracts in full (terms, milestones, payments); their disclosed fields are public. */
  | 'Contract';

/**
 * Personal fields, by GraphQL type: masked unless the role may read them in clear and states a
 * purpose. A household's figures in a verification (amounts and the records they come from) are
 * personal too; their purpose is the application the verification serves.
 */
export const PERSONAL_FIELDS = {
  Person: ['name', 'idNumber', 'phone'],
  Household: ['address'],
  VerificationFigure: ['amountFen', 'quantity', 'sourceReference'],
  VerificationResult: ['perCapitaMonthlyIncomeFen', 'perCapitaAssetsFen'],
  VerificationExplanationLine: ['amountFen', 'quantity', 'sourceReference'],
} as const;

export type PersonalType = keyof typeof PERSONAL_FIELDS;
export type PersonalField<T extends PersonalType> = (typeof PERSONAL_FIELDS)[T][number];

export type WriteOperation =
  | 'createResource'
  | 'updateResource'
  | 'closeResource'
  | 'createNeed'
  | 'updateNeed'
  | 'withdrawNeed'
  | 'registerHousehold'
  | 'openCase'
  | 'administerCatalogue'
  /** Load or replace a year of the working calendar (official holidays and make-up working days). */
  | 'administerCalendar'
  /** Set how many working days each step of an application may take (限时办理): published service commitments. */
  | 'administerStepLimits'
  /** Send a need to a resource (the referring side). */
  | 'proposeReferral'
  /** Accept, decline, start and complete referrals (the provider's side). */
  | 'answerReferral'
  | 'cancelReferral'
  /** Grant, suspend, resume and end allowances (in the scope of the allowance's competent street). */
  | 'manageAllowance'
  /** Create or refresh a district's monthly disbursement batch. */
  | 'runDisbursementBatch'
  /** Approve a batch: its lines become paid. Finance only, so that who runs a batch never approves it. */
  | 'approveDisbursementBatch'
  /** Record that a paid amount came back (e.g. a closed bank account). */
  | 'recordReturnedPayment'
  /** Receive an application at a service centre (一门受理), for a household anywhere in the city. */
  | 'receiveApplication'
  /** Hand an application on to another organization or officer; record or ask for its materials. */
  | 'handleApplication'
  /** Move an application through its lifecycle (accept, verify, review, publicise, approve, reject): the competent street. */
  | 'decideApplication'
  | 'withdrawApplication'
  /** Edit material kinds and the checklists of the one-time notice. */
  | 'administerChecklists'
  /** Record an objection raised during publicity. */
  | 'recordObjection'
  | 'answerObjection'
  /** File a discovery report (发现报告). */
  | 'reportDiscovery'
  /** Investigate and close discovery reports. */
  | 'investigateDiscovery'
  /** Report a department's figures for a verification. */
  | 'submitVerificationFigures'
  /** Compute and record the result of a verification. */
  | 'completeVerification'
  /** Set the verification standards of a year. */
  | 'administerVerificationStandards'
  /** Record staff: who does assistance work (助理员 / 协理员), graduate hires (§2(2),(3)). */
  | 'recordStaff'
  /** Create training sessions and record who attended (§2(5)). */
  | 'recordTraining'
  /** Record a completed periodic review of an assisted household (动态管理). */
  | 'recordHouseholdReview'
  /** Create and edit purchase projects, submit them, start procurement, set criteria and panels, record expert scores, award, close (the purchaser, §3(1)). */
  | 'managePurchaseProject'
  /** Take up, approve (立项) or return purchase projects: the finance review (§3(5)1). */
  | 'reviewPurchaseProject'
  /** Register review experts and declare their links to organizations. */
  | 'manageExperts'
  /** Submit or withdraw the organization's own bid. */
  | 'submitBid'
  /** Set the procurement-method thresholds. */
  | 'administerProcurementThresholds'
  /** Sign the contract of an AWARDED purchase project, and end it (the purchaser, by where the project sits). */
  | 'signContract'
  /** Ask for the payment of a contract milestone (the purchaser). */
  | 'requestMilestonePayment'
  /** Approve or reject a milestone payment: finance only, and never the one who asked for it. */
  | 'decideMilestonePayment'
  /** Record the final performance evaluation of a purchase contract (§3(5)4). */
  | 'evaluateContract'
  /** Set the evaluation formula (the weights of its parts). */
  | 'administerEvaluationFormula'
  /** Write a contract's takeover plan (临时接管预案). */
  | 'manageTakeoverPlan'
  /** Put a takeover plan into effect: the contract's live referrals move to the stand-in. */
  | 'activateTakeover'
  /** Ban a provider until a date (§3(6)); its contracts go through their takeover plans. */
  | 'banProvider';

/**
 * Reports over many rows (§2(2),(3),(5)). A viewer whose roles grant no scope for a report is
 * refused it (FORBIDDEN) rather than shown an empty one, which would read as "nothing missing".
 */
export type ReportType =
  /** Committees with nobody doing assistance work; caseworkers not trained in a year (names committees and staff, work identities). */
  | 'StaffingReport'
  /** Graduate hires per district and year: counts only. */
  | 'GraduateHireCounts'
  /** Assisted households whose periodic review is overdue: household references only, never personal fields. */
  | 'HouseholdReviews'
  /** Budget, committed and paid amounts of purchase projects per project, purchaser and year (§3(7)). */
  | 'PurchaseFinance'
  /** Districts' annual scorecards (§4(1)) and the dashboard's counts per district: aggregates only, never rows. */
  | 'DistrictPerformance';

export interface RolePolicy {
  /** A role may hold several scopes on one type; it sees the union. */
  readonly read: Partial<Record<ScopedType, RowScope | readonly RowScope[]>>;
  /** Personal fields the role may read in clear, for a stated purpose within its read scope. */
  readonly clear: { readonly [T in PersonalType]?: readonly PersonalField<T>[] };
  readonly write: Partial<Record<WriteOperation, RowScope>>;
  /** Reports the role may read, and over which rows (by where the committee, staff or household is). */
  readonly reports?: Partial<Record<ReportType, RowScope>>;
  /** Reads the audit log (entries name fields and ids, never values). */
  readonly readsAuditLog?: true;
  /** The departments whose figures the role may submit to a verification. */
  readonly submitsFiguresAs?: readonly Department[];
}

const FIGURES = {
  VerificationFigure: PERSONAL_FIELDS.VerificationFigure,
  VerificationResult: PERSONAL_FIELDS.VerificationResult,
  VerificationExplanationLine: PERSONAL_FIELDS.VerificationExplanationLine,
} as const;
// Those who decide on applications read the verification figures behind them.
const ALL_PERSONAL = { Person: ['name', 'idNumber', 'phone'], Household: ['address'], ...FIGURES } as const;
const PROVIDER_PERSONAL = { Person: ['name', 'phone'], Household: ['address'] } as const;
const ANY_RESOURCE = { Resource: 'ALL' } as const;

/** What the competent street, its district and the city do with applications, objections and discovery reports. */
function applicationWork(scope: RowScope): Partial<Record<WriteOperation, RowScope>> {
  return {
    handleApplication: scope,
    decideApplication: scope,
    withdrawApplication: scope,
    recordObjection: scope,
    answerObjection: scope,
    reportDiscovery: scope,
    investigateDiscovery: scope,
  };
}
/**
 * What purchasers (§3(1): civil affairs departments, street offices, township governments) do
 * with their purchase projects. Experts form a city-wide pool any purchaser may add to.
 */
function purchasing(scope: RowScope): Partial<Record<WriteOperation, RowScope>> {
  return { managePurchaseProject: scope, manageExperts: 'ALL' };
}

/** Oversight of purchased services (§3(5)4, §3(6)): civil affairs evaluates, plans takeovers, activates them and bans providers. */
function oversight(scope: RowScope): Partial<Record<WriteOperation, RowScope>> {
  return { evaluateContract: scope, manageTakeoverPlan: scope, activateTakeover: scope, banProvider: scope };
}

const ALL_APPLICATION_WORK = { ...applicationWork('ALL'), receiveApplication: 'ALL' } as const;

/** The public: the directory's public resources; geography, catalogue and organizations are open to all. */
export const PUBLIC_POLICY: RolePolicy = { read: { Resource: 'PUBLIC_ONLY' }, clear: {}, write: {} };

/** Providers and community organisations: their own resources, and only the households with a live referral to them. */
const SERVING_ORGANIZATION: RolePolicy = {
  read: {
    Resource: ['PUBLIC_ONLY', 'MY_ORGANIZATION'],
    StaffMember: 'MY_ORGANIZATION',
    Referral: 'MY_ORGANIZATION',
    Household: 'REFERRED_TO_MY_ORGANIZATION',
    Person: 'REFERRED_TO_MY_ORGANIZATION',
    Need: 'REFERRED_TO_MY_ORGANIZATION',
    Bid: 'MY_ORGANIZATION',
    Contract: 'MY_ORGANIZATION',
  },
  // What serving a referred household needs: who, how to reach them, where; never ID numbers.
  clear: PROVIDER_PERSONAL,
  write: { createResource: 'MY_ORGANIZATION', updateResource: 'MY_ORGANIZATION', closeResource: 'MY_ORGANIZATION', answerReferral: 'MY_ORGANIZATION' },
};

export const POLICY: Readonly<Record<Role, RolePolicy>> = {
  [Role.CITY_CIVIL_AFFAIRS]: {
    read: { Household: 'ALL', Person: 'ALL', Case: 'ALL', Need: 'ALL', Resource: 'ALL', StaffMember: 'ALL', Referral: 'ALL', Allowance: 'ALL', Disbursement: 'ALL', Application: 'ALL', PublicityObjection: 'ALL', DiscoveryReport: 'ALL', VerificationRequest: 'ALL', PurchaseProject: 'ALL', Bid: 'ALL', Contract: 'ALL' },
    clear: ALL_PERSONAL,
    write: {
      manageAllowance: 'ALL',
      runDisbursementBatch: 'ALL',
      recordReturnedPayment: 'ALL',
      ...ALL_APPLICATION_WORK,
      administerChecklists: 'ALL',
      proposeReferral: 'ALL',
      answerReferral: 'ALL',
      cancelReferral: 'ALL',
      createResource: 'ALL',
      updateResource: 'ALL',
      closeResource: 'ALL',
      createNeed: 'ALL',
      updateNeed: 'ALL',
      withdrawNeed: 'ALL',
      registerHousehold: 'ALL',
      openCase: 'ALL',
      administerCatalogue: 'ALL',
      administerCalendar: 'ALL',
      administerStepLimits: 'ALL',
      completeVerification: 'ALL',
      administerVerificationStandards: 'ALL',
      recordStaff: 'ALL',
      recordTraining: 'ALL',
      recordHouseholdReview: 'ALL',
      ...purchasing('ALL'),
      administerProcurementThresholds: 'ALL',
      signContract: 'ALL',
      requestMilestonePayment: 'ALL',
      ...oversight('ALL'),
      administerEvaluationFormula: 'ALL',
    },
    reports: { StaffingReport: 'ALL', GraduateHireCounts: 'ALL', HouseholdReviews: 'ALL', PurchaseFinance: 'ALL', DistrictPerformance: 'ALL' },
    readsAuditLog: true,
  },
  [Role.DISTRICT_CIVIL_AFFAIRS]: {
    read: {
      Household: 'MY_DISTRICTS',
      Person: 'MY_DISTRICTS',
      Case: 'MY_DISTRICTS',
      Need: 'MY_DISTRICTS',
      ...ANY_RESOURCE,
      StaffMember: 'MY_DISTRICTS',
      Referral: 'MY_DISTRICTS',
      Allowance: 'MY_DISTRICTS',
      Disbursement: 'MY_DISTRICTS',
      Application: 'MY_DISTRICTS',
      PublicityObjection: 'MY_DISTRICTS',
      DiscoveryReport: 'MY_DISTRICTS',
      VerificationRequest: 'MY_DISTRICTS',
      PurchaseProject: 'MY_DISTRICTS',
      Bid: 'MY_DISTRICTS',
      Contract: 'MY_DISTRICTS',
    },
    clear: ALL_PERSONAL,
    write: {
      manageAllowance: 'MY_DISTRICTS',
      runDisbursementBatch: 'MY_DISTRICTS',
      recordReturnedPayment: 'MY_DISTRICTS',
      ...applicationWork('MY_DISTRICTS'),
      proposeReferral: 'MY_DISTRICTS',
      cancelReferral: 'MY_DISTRICTS',
      createNeed: 'MY_DISTRICTS',
      updateNeed: 'MY_DISTRICTS',
      withdrawNeed: 'MY_DISTRICTS',
      registerHousehold: 'MY_DISTRICTS',
      openCase: 'MY_DISTRICTS',
      closeResource: 'ALL',
      recordStaff: 'MY_DISTRICTS',
      recordTraining: 'MY_DISTRICTS',
      recordHouseholdReview: 'MY_DISTRICTS',
      ...purchasing('MY_DISTRICTS'),
      signContract: 'MY_DISTRICTS',
      requestMilestonePayment: 'MY_DISTRICTS',
      ...oversight('MY_DISTRICTS'),
    },
    reports: { StaffingReport: 'MY_DISTRICTS', GraduateHireCounts: 'MY_DISTRICTS', HouseholdReviews: 'MY_DISTRICTS', PurchaseFinance: 'MY_DISTRICTS', DistrictPerformance: 'MY_DISTRICTS' },
  },
  [Role.STREET_OFFICER]: {
    read: {
      Household: 'MY_STREETS',
      Person: 'MY_STREETS',
      Case: 'MY_STREETS',
      Need: 'MY_STREETS',
      ...ANY_RESOURCE,
      StaffMember: 'MY_STREETS',
      Referral: 'MY_STREETS',
      Application: 'MY_STREETS',
      PublicityObjection: 'MY_STREETS',
      Allowance: 'MY_STREETS',
      DiscoveryReport: 'MY_STREETS',
      VerificationRequest: 'MY_STREETS',
      PurchaseProject: 'MY_STREETS',
      Bid: 'MY_STREETS',
      Contract: 'MY_STREETS',
    },
    clear: ALL_PERSONAL,
    write: {
      ...applicationWork('MY_STREETS'),
      manageAllowance: 'MY_STREETS',
      createNeed: 'MY_STREETS',
      updateNeed: 'MY_STREETS',
      withdrawNeed: 'MY_STREETS',
      registerHousehold: 'MY_STREETS',
      openCase: 'MY_STREETS',
      proposeReferral: 'MY_STREETS',
      cancelReferral: 'MY_STREETS',
      recordStaff: 'MY_STREETS',
      recordTraining: 'MY_STREETS',
      recordHouseholdReview: 'MY_STREETS',
      ...purchasing('MY_STREETS'),
      signContract: 'MY_STREETS',
      requestMilestonePayment: 'MY_STREETS',
    },
    reports: { StaffingReport: 'MY_STREETS', GraduateHireCounts: 'MY_STREETS', HouseholdReviews: 'MY_STREETS', PurchaseFinance: 'MY_STREETS' },
  },
  [Role.SERVICE_CENTER_OFFICER]: {
    // The one window: intake for anyone in the city at its own centre; it follows what it received.
    read: {
      Household: ['MY_STREETS', 'RECEIVED_BY_MY_ORGANIZATION'],
      Person: ['MY_STREETS', 'RECEIVED_BY_MY_ORGANIZATION'],
      Case: 'MY_STREETS',
      Need: 'MY_STREETS',
      ...ANY_RESOURCE,
      StaffMember: 'MY_STREETS',
      Application: ['MY_STREETS', 'RECEIVED_BY_MY_ORGANIZATION'],
      PublicityObjection: 'MY_STREETS',
      DiscoveryReport: 'MY_STREETS',
    },
    clear: { Person: ALL_PERSONAL.Person, Household: ALL_PERSONAL.Household },
    write: {
      createNeed: 'MY_STREETS',
      registerHousehold: 'MY_STREETS',
      openCase: 'MY_STREETS',
      receiveApplication: 'MY_ORGANIZATION',
      handleApplication: 'MY_ORGANIZATION',
      withdrawApplication: 'MY_ORGANIZATION',
      recordHouseholdReview: 'MY_STREETS',
    },
    // The one window takes reviews in; it does not manage staff.
    reports: { HouseholdReviews: 'MY_STREETS' },
  },
  [Role.CASEWORKER]: {
    read: { Household: 'MY_CASES', Person: 'MY_CASES', Case: 'MY_CASES', Need: 'MY_CASES', ...ANY_RESOURCE, Referral: 'MY_CASES', Application: 'MY_CASES' },
    clear: { Person: ALL_PERSONAL.Person, Household: ALL_PERSONAL.Household },
    write: { createNeed: 'MY_CASES', updateNeed: 'MY_CASES', withdrawNeed: 'MY_CASES', proposeReferral: 'MY_CASES', cancelReferral: 'MY_CASES', recordHouseholdReview: 'MY_CASES' },
    reports: { HouseholdReviews: 'MY_CASES' },
  },
  [Role.COMMITTEE_MEMBER]: {
    // Committees post publicity (公示) and take objections, which they cannot read back: objections are sensitive.
    read: { Household: 'MY_STREETS', Person: 'MY_STREETS', Need: 'MY_STREETS', ...ANY_RESOURCE, Application: 'UNDER_PUBLICITY_IN_MY_STREETS', DiscoveryReport: 'MY_STREETS' },
    // Committees find and report households, but never see ID numbers.
    clear: { Person: ['name', 'phone'], Household: ['address'] },
    write: { createNeed: 'MY_STREETS', reportDiscovery: 'MY_STREETS', recordObjection: 'MY_STREETS' },
    // Committees help with dynamic management (§2(3)): they see which reviews are overdue.
    reports: { HouseholdReviews: 'MY_STREETS' },
  },
  // Finance sees batches, lines (household IDs and amounts, no personal fields) and reconciliations
  // city-wide, never allowances (their computation carries the verified income); it approves.
  [Role.FINANCE_OFFICER]: {
    read: { ...ANY_RESOURCE, Disbursement: 'ALL', PurchaseProject: 'ALL', Contract: 'ALL' },
    clear: {},
    write: { approveDisbursementBatch: 'ALL', recordReturnedPayment: 'ALL', reviewPurchaseProject: 'ALL', decideMilestonePayment: 'ALL' },
    reports: { PurchaseFinance: 'ALL' },
  },
  // HR reports its own figures to the verifications waiting for them, reading no one's figures.
  [Role.HR_SOCIAL_SECURITY]: {
    read: { ...ANY_RESOURCE, VerificationRequest: 'PENDING_VERIFICATION' },
    clear: {},
    write: { submitVerificationFigures: 'ALL' },
    submitsFiguresAs: ['HR_SOCIAL_SECURITY'],
    // HR follows graduate hires (高校毕业生) city-wide, as counts; it sees no staff lists.
    reports: { GraduateHireCounts: 'ALL' },
  },
  // The verification centre (核对中心) receives every department's data over the exchange lines.
  [Role.VERIFICATION_AGENCY]: {
    read: { ...ANY_RESOURCE, VerificationRequest: 'ALL' },
    clear: FIGURES,
    write: { submitVerificationFigures: 'ALL', completeVerification: 'ALL' },
    submitsFiguresAs: DEPARTMENTS,
  },
  // Providers (承接主体) bid for themselves; community groups and volunteers do not bid.
  [Role.PROVIDER_STAFF]: { ...SERVING_ORGANIZATION, write: { ...SERVING_ORGANIZATION.write, submitBid: 'MY_ORGANIZATION' } },
  [Role.COMMUNITY_ORGANIZATION]: SERVING_ORGANIZATION,
  [Role.AUDITOR]: { read: { ...ANY_RESOURCE, Contract: 'ALL' }, clear: {}, write: {}, readsAuditLog: true },
};

function policiesOf(principal: Principal): RolePolicy[] {
  return principal.roles.length === 0 ? [PUBLIC_POLICY] : principal.roles.map((role) => POLICY[role]);
}

/** The scopes the principal's roles grant on a type; empty means no row is visible. */
export function readScopes(principal: Principal, type: ScopedType): RowScope[] {
  return [...new Set(policiesOf(principal).flatMap((policy) => [policy.read[type] ?? []].flat()))];
}

export function writeScopes(principal: Principal, operation: WriteOperation): RowScope[] {
  return [...new Set(policiesOf(principal).flatMap((policy) => (policy.write[operation] ? [policy.write[operation]!] : [])))];
}

/** The scopes the principal's roles grant on a report; empty means the report is refused. */
export function reportScopes(principal: Principal, report: ReportType): RowScope[] {
  return [...new Set(policiesOf(principal).flatMap((policy) => (policy.reports?.[report] ? [policy.reports[report]!] : [])))];
}

/** Roles of the principal that may read this personal field in clear (with a purpose). */
export function mayReadClear<T extends PersonalType>(principal: Principal, type: T, field: PersonalField<T>): boolean {
  return principal.roles.some((role) => (POLICY[role].clear[type] as readonly string[] | undefined)?.includes(field) ?? false);
}

/** Whether any of the principal's roles may submit figures as this department. */
export function maySubmitFiguresAs(principal: Principal, department: Department): boolean {
  return principal.roles.some((role) => POLICY[role].submitsFiguresAs?.includes(department) ?? false);
}

/** Whether any of the principal's roles reads the audit log. */
export function mayReadAuditLog(principal: Principal): boolean {
  return principal.roles.some((role) => POLICY[role].readsAuditLog === true);
}
