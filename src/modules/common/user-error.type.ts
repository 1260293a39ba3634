import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** Stable codes of validation failures returned as data in mutation payloads. */
export enum UserErrorCode {
  REQUIRED = 'REQUIRED',
  INVALID = 'INVALID',
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  NOT_FOUND = 'NOT_FOUND',
  INACTIVE = 'INACTIVE',
  CONFLICT = 'CONFLICT',
  INVALID_STATE = 'INVALID_STATE',
  NOT_IN_NOTICE = 'NOT_IN_NOTICE',
  MISSING_CONTRACT_TERM = 'MISSING_CONTRACT_TERM',
}

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why an input was refused. Stable: clients may switch on it.',
  valuesConfig: {
    REQUIRED: { description: 'A value is missing.' },
    INVALID: { description: 'A value has the wrong form (e.g. an ID number whose check digit fails, a malformed phone number or ID).' },
    OUT_OF_RANGE: { description: 'A number or date lies outside what is allowed (e.g. negative capacity, a window that ends before it starts).' },
    NOT_FOUND: { description: 'An ID names nothing, or something of another type.' },
    INACTIVE: { description: 'The referenced item exists but is retired, closed or suspended.' },
    CONFLICT: { description: 'The change clashes with existing data (e.g. a duplicate ID number, a second open case).' },
    INVALID_STATE: { description: 'The object is in a state that does not allow this change (e.g. updating a withdrawn need).' },
    NOT_IN_NOTICE: { description: 'A material asked of an applicant that the one-time notice (一次性告知) did not list as missing; allowed only as a recorded exception with a reason.' },
    MISSING_CONTRACT_TERM: { description: 'A contract lacks a term the policy requires (§3(5)2: subject, service standard, quantity, term, fee, payment method, liability for breach, dispute resolution); one error per missing term, its field naming the term.' },
  },
});

@ObjectType({ description: 'A validation failure of a mutation input; nothing was written when a payload carries any.' })
export class UserError {
  @Field(() => [String], { description: 'Path to the input field at fault, e.g. ["input", "capacity"] or ["input", "members", "1", "idNumber"].' })
  field!: string[];

  @Field({ description: 'Human-readable explanation, safe to show; it never repeats personal data.' })
  message!: string;

  @Field(() => UserErrorCode, { description: 'Stable machine-readable reason.' })
  code!: UserErrorCode;
}

/** Collects validation failures; services return them instead of throwing. */
export class UserErrors {
  readonly list: UserError[] = [];

  add(field: readonly (string | number)[], code: UserErrorCode, message: string): void {
    this.list.push({ field: field.map(String), code, message });
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}

/** Thrown inside a transaction to roll it back and return the collected user errors. */
export class UserErrorsAbort extends Error {
  constructor(readonly errors: UserError[]) {
    super('Input refused');
  }
}
