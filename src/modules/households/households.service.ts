import { authorizeWrite } from '../../auth/authorize';
import type { Actor } from '../../auth/actor';
import type { Principal } from '../../auth/principal';
import { recordAudit } from '../audit/audit.service';
import { AuditAction } from '../audit/audit.types';
import type { Database } from '../../db/client';
import { isValidMainlandPhone, normalisePhone } from '../../common/phone';
import { birthDateFromResidentId, isValidResidentId, normaliseResidentId, sexFromResidentId } from '../../common/resident-id';
import { inputId } from '../common/ids';
import { hasControlCharacters } from '../common/validate';
import { UserErrorCode, UserErrors, UserErrorsAbort, type UserError } from '../common/user-error.type';
import { MAX_ADDRESS_LENGTH, MAX_MEMBERS, MAX_NAME_LENGTH, MAX_SUMMARY_LENGTH, type OpenCaseInput, type RegisterHouseholdInput } from './households.inputs';
import { AGE_OF_MAJORITY, ageOn, characterCount } from './households.privacy';
import { todayInShanghai } from '../../common/dates';
import {
  findCommitteeById,
  findHouseholdById,
  findOpenCaseOfHousehold,
  findPersonsByIdNumbers,
  findStaffMemberById,
  findStreetOfficeOfStreet,
  insertCase,
  insertHousehold,
  insertPersons,
  ONE_OPEN_CASE_PER_HOUSEHOLD_UNIQUE,
  PERSON_ID_NUMBER_UNIQUE,
  violatedUniqueIndex,
  type CaseRow,
  type HouseholdRow,
  type NewHouseholdRow,
  type NewPersonRow,
} from './households.repository';
import { HouseholdRelation, PersonAttribute } from './households.types';

function writeEntry(actor: Actor, entityType: string, entityId: number, fields: readonly string[]) {
  return { actor: actor.viewer, requestId: actor.requestId, purpose: actor.purpose ?? null, action: AuditAction.CREATE, entityType, entityId, fields };
}

// Messages never quote the input: names, ID numbers and phones are personal data.

export interface RegisterHouseholdOutcome {
  readonly household: HouseholdRow | null;
  readonly userErrors: UserError[];
}

export interface OpenCaseOutcome {
  readonly case: CaseRow | null;
  readonly userErrors: UserError[];
}

type FieldPath = readonly (string | number)[];
const INPUT = ['input'] as const;
const MEMBERS = [...INPUT, 'members'] as const;

/** Registers a household and all its members at once, or nothing when any input is refused. */
export async function registerHousehold(db: Database, actor: Actor, input: RegisterHouseholdInput): Promise<RegisterHouseholdOutcome> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'registerHousehold');
  try {
    const household = await db.transaction(async (tx) => {
      const errors = new UserErrors();
      const plan = await planRegistration(tx, viewer, input, errors);
      if (errors.any || !plan) throw new UserErrorsAbort(errors.list);
      const household = await insertHousehold(tx, plan.household);
      const members = await insertPersons(tx, plan.members.map((member) => ({ ...member, householdId: household.id })));
      await recordAudit(tx, [
        writeEntry(actor, 'Household', household.id, ['committee', 'registeredCommittee', 'address', 'assistanceStatuses']),
        ...members.map((member) => writeEntry(actor, 'Person', member.id, ['name', 'idNumber', 'phone', 'relation', 'attributes'])),
      ]);
      return household;
    });
    return { household, userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrorsAbort) return { household: null, userErrors: error.errors };
    if (violatedUniqueIndex(error) === PERSON_ID_NUMBER_UNIQUE) {
      // Another request registered one of these ID numbers between our check and our insert.
      return { household: null, userErrors: await raceLostOnIdNumbers(db, input) };
    }
    throw error;
  }
}

interface RegistrationPlan {
  readonly household: NewHouseholdRow;
  readonly members: Omit<NewPersonRow, 'householdId'>[];
}

async function planRegistration(db: Database, viewer: Principal, input: RegisterHouseholdInput, errors: UserErrors): Promise<RegistrationPlan | undefined> {
  const committeeField = [...INPUT, 'committee'];
  const committeeId = inputId(input.committee, 'Committee', committeeField, errors);
  const committee = committeeId === undefined ? undefined : await findCommitteeById(db, committeeId);
  if (committeeId !== undefined && !committee) errors.add(committeeField, UserErrorCode.NOT_FOUND, 'No committee has this ID');
  if (committee) authorizeWrite(viewer, 'registerHousehold', { districtIds: [committee.districtId], streetIds: [committee.streetId] });

  // Registered residence defaults to actual residence, the common case.
  let registeredCommitteeId = committee?.id;
  if (input.registeredCommittee != null) {
    const field = [...INPUT, 'registeredCommittee'];
    registeredCommitteeId = inputId(input.registeredCommittee, 'Committee', field, errors);
    if (registeredCommitteeId !== undefined && registeredCommitteeId !== committee?.id && !(await findCommitteeById(db, registeredCommitteeId))) {
      errors.add(field, UserErrorCode.NOT_FOUND, 'No committee has this ID');
      registeredCommitteeId = undefined;
    }
  }

  const address = input.address.trim();
  if (address === '') errors.add([...INPUT, 'address'], UserErrorCode.REQUIRED, 'Give the address where the household lives');
  else if (characterCount(address) > MAX_ADDRESS_LENGTH) errors.add([...INPUT, 'address'], UserErrorCode.INVALID, `The address may have at most ${MAX_ADDRESS_LENGTH} characters`);
  else hasControlCharacters(errors, [...INPUT, 'address'], address);

  const members = checkMembers(input.members, errors);
  for (const conflict of await idNumbersAlreadyRegistered(db, members)) errors.add(conflict.field, UserErrorCode.CONFLICT, conflict.message);

  if (errors.any || !committee || registeredCommitteeId === undefined) return undefined;
  return {
    household: {
      committeeId: committee.id,
      streetId: committee.streetId,
      districtId: committee.districtId,
      registeredCommitteeId,
      address,
      assistanceStatuses: [...new Set(input.assistanceStatuses)],
    },
    members: members.map(({ row }) => row).filter((row): row is Omit<NewPersonRow, 'householdId'> => row !== undefined),
  };
}

interface CheckedMember {
  /** Normalised ID number when it is valid. */
  readonly idNumber?: string;
  /** Index of an earlier member with the same ID number. */
  readonly duplicateOf?: number;
  /** The row to insert when every field of this member is valid. */
  readonly row?: Omit<NewPersonRow, 'householdId'>;
}

function checkMembers(members: readonly RegisterHouseholdInput['members'][number][], errors: UserErrors): CheckedMember[] {
  if (members.length === 0) errors.add(MEMBERS, UserErrorCode.REQUIRED, 'Give at least one member, the head of the household');
  else if (members.length > MAX_MEMBERS) errors.add(MEMBERS, UserErrorCode.OUT_OF_RANGE, `A household may register at most ${MAX_MEMBERS} members`);
  const heads = members.filter((member) => member.relation === HouseholdRelation.HEAD).length;
  if (members.length > 0 && heads !== 1) errors.add(MEMBERS, UserErrorCode.INVALID, `Exactly one member must be the head of the household (HEAD); found ${heads}`);

  const today = todayInShanghai();
  const firstIndexOfIdNumber = new Map<string, number>();
  return members.map((member, index): CheckedMember => {
    const field = (name: string): FieldPath => [...MEMBERS, index, name];
    let valid = true;

    const name = member.name.trim();
    if (name === '') {
      errors.add(field('name'), UserErrorCode.REQUIRED, 'Give the name of the member');
      valid = false;
    } else if (characterCount(name) > MAX_NAME_LENGTH) {
      errors.add(field('name'), UserErrorCode.INVALID, `A name may have at most ${MAX_NAME_LENGTH} characters`);
      valid = false;
    } else if (hasControlCharacters(errors, field('name'), name)) {
      valid = false;
    }

    let phone: string | null = null;
    if (member.phone != null && member.phone.trim() !== '') {
      if (isValidMainlandPhone(member.phone)) phone = normalisePhone(member.phone);
      else {
        errors.add(field('phone'), UserErrorCode.INVALID, 'Not a mainland phone number: give a mobile number or a fixed line with its area code');
        valid = false;
      }
    }

    if (!isValidResidentId(member.idNumber)) {
      errors.add(field('idNumber'), UserErrorCode.INVALID, 'Not a valid resident ID number: it needs 18 characters, a real birth date and a correct check character');
      return {};
    }
    const idNumber = normaliseResidentId(member.idNumber);
    const duplicateOf = firstIndexOfIdNumber.get(idNumber);
    if (duplicateOf === undefined) firstIndexOfIdNumber.set(idNumber, index);
    if (!valid) return { idNumber, duplicateOf };

    const birthDate = birthDateFromResidentId(idNumber);
    // MINOR is a fact of the birth date, so the ID number decides it, not the client.
    const attributes = new Set<PersonAttribute>(member.attributes.filter((attribute) => attribute !== PersonAttribute.MINOR));
    if (ageOn(birthDate, today) < AGE_OF_MAJORITY) attributes.add(PersonAttribute.MINOR);
    return {
      idNumber,
      duplicateOf,
      row: { relation: member.relation, name, idNumber, sex: sexFromResidentId(idNumber), birthDate, phone, attributes: [...attributes] },
    };
  });
}

interface Conflict {
  readonly field: FieldPath;
  readonly message: string;
}

/** ID numbers already in the hub, then repeats within the input: one conflict per member at most. */
async function idNumbersAlreadyRegistered(db: Database, members: readonly CheckedMember[]): Promise<Conflict[]> {
  const idNumbers = [...new Set(members.flatMap((member) => (member.idNumber ? [member.idNumber] : [])))];
  const registered = new Set((await findPersonsByIdNumbers(db, idNumbers)).map((person) => person.idNumber));
  const conflicts: Conflict[] = [];
  members.forEach((member, index) => {
    const field = [...MEMBERS, index, 'idNumber'];
    if (member.idNumber !== undefined && registered.has(member.idNumber)) {
      conflicts.push({ field, message: 'A person with this ID number is already registered in the hub' });
    } else if (member.duplicateOf !== undefined) {
      conflicts.push({ field, message: `The same ID number is given for the member at index ${member.duplicateOf}` });
    }
  });
  return conflicts;
}

async function raceLostOnIdNumbers(db: Database, input: RegisterHouseholdInput): Promise<UserError[]> {
  const errors = new UserErrors();
  const conflicts = await idNumbersAlreadyRegistered(db, checkMembers(input.members, new UserErrors()));
  for (const conflict of conflicts) errors.add(conflict.field, UserErrorCode.CONFLICT, conflict.message);
  if (!errors.any) errors.add(MEMBERS, UserErrorCode.CONFLICT, 'Another request registered one of these ID numbers at the same time; try again');
  return errors.list;
}

const CASE_OWNER_POSITIONS: ReadonlySet<string> = new Set(['CASEWORKER', 'SOCIAL_WORKER']);
const ALREADY_OPEN = 'This household already has an open case';

/**
 * Opens a case for a household, owned by its competent street: the street of its registered
 * residence (户籍地), where applications are routed, not the street where it lives.
 */
export async function openCase(db: Database, actor: Actor, input: OpenCaseInput): Promise<OpenCaseOutcome> {
  const { viewer } = actor;
  authorizeWrite(viewer, 'openCase');
  const householdField = [...INPUT, 'household'];
  try {
    const created = await db.transaction(async (tx) => {
      const errors = new UserErrors();
      const plan = await planCase(tx, viewer, input, errors);
      if (errors.any || !plan) throw new UserErrorsAbort(errors.list);
      const streetOffice = await findStreetOfficeOfStreet(tx, plan.ownerStreetId);
      const opened = await insertCase(tx, { ...plan, ownerOrganizationId: streetOffice?.id ?? null, status: 'OPEN' });
      await recordAudit(tx, [writeEntry(actor, 'Case', opened.id, ['household', 'caseworker', 'summary'])]);
      return opened;
    });
    return { case: created, userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrorsAbort) return { case: null, userErrors: error.errors };
    if (violatedUniqueIndex(error) === ONE_OPEN_CASE_PER_HOUSEHOLD_UNIQUE) {
      // A concurrent openCase for the same household committed first.
      const errors = new UserErrors();
      errors.add(householdField, UserErrorCode.CONFLICT, ALREADY_OPEN);
      return { case: null, userErrors: errors.list };
    }
    throw error;
  }
}

interface CasePlan {
  readonly householdId: number;
  readonly ownerStreetId: number;
  readonly caseworkerId: number;
  readonly summary: string | null;
}

async function planCase(db: Database, viewer: Principal, input: OpenCaseInput, errors: UserErrors): Promise<CasePlan | undefined> {
  const householdField = [...INPUT, 'household'];
  const caseworkerField = [...INPUT, 'caseworker'];

  const householdId = inputId(input.household, 'Household', householdField, errors);
  const household = householdId === undefined ? undefined : await findHouseholdById(db, householdId);
  if (householdId !== undefined && !household) errors.add(householdField, UserErrorCode.NOT_FOUND, 'No household has this ID');

  let ownerStreetId: number | undefined;
  if (household) {
    if (await findOpenCaseOfHousehold(db, household.id)) errors.add(householdField, UserErrorCode.CONFLICT, ALREADY_OPEN);
    const registeredCommittee = await findCommitteeById(db, household.registeredCommitteeId);
    if (!registeredCommittee) throw new Error(`Dangling reference to Committee ${household.registeredCommitteeId}`);
    ownerStreetId = registeredCommittee.streetId;
    authorizeWrite(viewer, 'openCase', {
      districtIds: [household.districtId, registeredCommittee.districtId],
      streetIds: [household.streetId, registeredCommittee.streetId],
    });
  }

  const caseworkerId = inputId(input.caseworker, 'StaffMember', caseworkerField, errors);
  const caseworker = caseworkerId === undefined ? undefined : await findStaffMemberById(db, caseworkerId);
  if (caseworkerId !== undefined && !caseworker) errors.add(caseworkerField, UserErrorCode.NOT_FOUND, 'No staff member has this ID');
  if (caseworker) {
    if (!caseworker.active) errors.add(caseworkerField, UserErrorCode.INVALID, 'This staff member is no longer active');
    if (!CASE_OWNER_POSITIONS.has(caseworker.position)) errors.add(caseworkerField, UserErrorCode.INVALID, 'Only a caseworker or social worker (position CASEWORKER or SOCIAL_WORKER) can own a case');
    if (ownerStreetId !== undefined && caseworker.organizationStreetId !== ownerStreetId) {
      errors.add(caseworkerField, UserErrorCode.OUT_OF_RANGE, "The caseworker does not work in the household's competent street (the street of its registered residence)");
    }
  }

  const summary = input.summary?.trim() || null;
  if (summary !== null && characterCount(summary) > MAX_SUMMARY_LENGTH) {
    errors.add([...INPUT, 'summary'], UserErrorCode.INVALID, `The summary may have at most ${MAX_SUMMARY_LENGTH} characters`);
  } else if (summary !== null) {
    hasControlCharacters(errors, [...INPUT, 'summary'], summary);
  }

  if (errors.any || !household || !caseworker || ownerStreetId === undefined) return undefined;
  return { householdId: household.id, ownerStreetId, caseworkerId: caseworker.id, summary };
}
