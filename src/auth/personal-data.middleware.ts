import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { fromGlobalId } from '../common/global-id';
import { HubError } from '../common/errors';
import type { HubContext } from '../server/context';
import { findPurposeCase } from '../modules/households/households.repository';
import { isLive, type ReferralStatus } from '../modules/referrals/referrals.transitions';
import { findPurposeApplication } from '../modules/verification/verification.repository';
import { mayReadClear, PERSONAL_FIELDS, type PersonalType } from './policy';

interface PersonalRow {
  readonly id: number;
  readonly householdId?: number;
  readonly applicationId?: number;
  readonly requestId?: number;
  readonly [field: string]: unknown;
}

/** Whose a personal field is (a household, or the application a verification serves) and what the audit log names. */
interface PersonalSubject {
  readonly householdId?: number;
  readonly applicationId?: number;
  readonly entityType: string;
  readonly entityId: number;
  readonly field: string;
}

const SUBJECT_OF: { readonly [T in PersonalType]: (row: PersonalRow, field: string) => PersonalSubject } = {
  Person: (row, field) => ({ householdId: row.householdId!, entityType: 'Person', entityId: row.id, field }),
  Household: (row, field) => ({ householdId: row.id, entityType: 'Household', entityId: row.id, field }),
  VerificationFigure: (row, field) => ({ applicationId: row.applicationId!, entityType: 'VerificationFigure', entityId: row.id, field }),
  VerificationResult: (row, field) => ({ applicationId: row.applicationId!, entityType: 'VerificationRequest', entityId: row.id, field }),
  // Explanation lines are no objects of their own: their reads are the request's.
  VerificationExplanationLine: (row, field) => ({ applicationId: row.applicationId!, entityType: 'VerificationRequest', entityId: row.requestId!, field: `explanation.${field}` }),
};

/**
 * The one place where personal data may leave in clear. Types mask their personal fields
 * themselves (a masked amount is null); this middleware reveals a field only when the viewer's
 * role may read it, the request states a purpose the viewer may use, and the row belongs to it:
 * the household of the purpose for a person's or a household's fields, the application of the
 * purpose for a verification's figures. Every such read is written to the audit trail before the
 * value is returned.
 */
export const personalDataGuard: MiddlewareFn<HubContext> = async ({ root, info, context }, next) => {
  const type = info.parentType.name as PersonalType;
  const personal = PERSONAL_FIELDS[type] as readonly string[] | undefined;
  // Runs for every field: anything not personal passes straight through.
  if (!personal?.includes(info.fieldName)) return next();
  const result: unknown = await next();
  const row = root as PersonalRow;
  if (row[info.fieldName] === null || row[info.fieldName] === undefined) return result;
  if (!mayReadClear(context.viewer, type, info.fieldName as never) || context.purpose === undefined) return result;
  const purpose = await purposeOf(context);
  const subject = SUBJECT_OF[type](row, info.fieldName);
  const matches = subject.applicationId !== undefined ? subject.applicationId === purpose.applicationId : subject.householdId === purpose.householdId;
  if (!matches) return result;
  await context.audit.recordPersonalRead({ entityType: subject.entityType, entityId: subject.entityId, field: subject.field });
  return row[info.fieldName];
};

/** What a stated purpose names: a household, and the application when the purpose is one. */
interface Purpose {
  readonly householdId: number;
  readonly applicationId: number | null;
}

const purposeCache = new WeakMap<HubContext, Promise<Purpose>>();

/**
 * The purpose of the request: an open case or a live referral whose household the viewer may
 * see, or an application (named by its ID or by the ID of its verification request) whose
 * verification or household the viewer may see. Anything else is refused (a committee member,
 * who reads no cases, may still name the case of a household in its streets; a provider names
 * the referral it serves; the verification agency names the application it verifies).
 */
function purposeOf(context: HubContext): Promise<Purpose> {
  let cached = purposeCache.get(context);
  if (!cached) {
    cached = (async () => {
      const decoded = fromGlobalId(context.purpose!);
      let householdId: number | undefined;
      let applicationId: number | null = null;
      let visible = false;
      if (decoded?.typeName === 'Case') {
        const purposeCase = await findPurposeCase(context.db, decoded.id);
        if (purposeCase?.status === 'OPEN') householdId = purposeCase.householdId;
      } else if (decoded?.typeName === 'Referral') {
        const referral = await context.loaders.referral.load(decoded.id);
        if (referral && isLive(referral.status as ReferralStatus)) householdId = referral.householdId;
      } else if (decoded?.typeName === 'Application' || decoded?.typeName === 'VerificationRequest') {
        const application = await findPurposeApplication(context.db, context.visible.VerificationRequest, decoded.typeName, decoded.id);
        if (application) {
          householdId = application.householdId;
          applicationId = application.id;
          visible = application.verificationVisible;
        }
      }
      if (householdId !== undefined && !visible) visible = (await context.loaders.household.load(householdId)) !== undefined;
      if (householdId === undefined || !visible) {
        throw new HubError(
          'FORBIDDEN',
          'The stated purpose (X-Hub-Purpose) must be the ID of an open case or live referral of a household you may see, or of an application (or its verification request) you may see',
        );
      }
      return { householdId, applicationId };
    })();
    purposeCache.set(context, cached);
  }
  return cached;
}

/**
 * Puts the guard on exactly the fields of PERSONAL_FIELDS, which are the only fields it acts on.
 * As a type-graphql global middleware it wrapped every field of the graph in an async chain
 * (several promises per field, even for a plain `units`), which cost more CPU than the rest of
 * a large query; here the other fields keep their plain resolvers. A listed type or field that
 * the schema lacks stops the hub from starting, so a rename cannot leave personal data unguarded.
 */
export function guardPersonalFields(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, fieldNames] of Object.entries(PERSONAL_FIELDS)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`PERSONAL_FIELDS names ${typeName}, which is no object type of the schema`);
    const fields = type.getFields();
    for (const fieldName of fieldNames) {
      const field = fields[fieldName];
      if (!field) throw new Error(`PERSONAL_FIELDS names ${typeName}.${fieldName}, which the schema lacks`);
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (root, args, context: HubContext, info) => personalDataGuard({ root, args, context, info }, async () => resolve(root, args, context, info));
    }
  }
  return schema;
}
