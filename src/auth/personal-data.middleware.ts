import type { MiddlewareFn } from 'type-graphql';
import { fromGlobalId } from '../common/global-id';
import { HubError } from '../common/errors';
import type { HubContext } from '../server/context';
import { findPurposeCase } from '../modules/households/households.repository';
import { isLive, type ReferralStatus } from '../modules/referrals/referrals.transitions';
import { mayReadClear, PERSONAL_FIELDS, type PersonalType } from './policy';

interface PersonalRow {
  readonly id: number;
  readonly householdId?: number;
  readonly [field: string]: unknown;
}

/** The household a personal field belongs to: a person's household, or the household itself. */
function householdOf(type: PersonalType, row: PersonalRow): number {
  return type === 'Person' ? row.householdId! : row.id;
}

/**
 * The one place where personal data may leave in clear. Types mask their personal fields
 * themselves; this middleware reveals a field only when the viewer's role may read it, the
 * request states a purpose (a case the viewer may see), and the row belongs to that case's
 * household. Every such read is written to the audit trail before the value is returned.
 */
export const personalDataGuard: MiddlewareFn<HubContext> = async ({ root, info, context }, next) => {
  const type = info.parentType.name as PersonalType;
  const personal = PERSONAL_FIELDS[type] as readonly string[] | undefined;
  // Runs for every field: anything not personal passes straight through.
  if (!personal?.includes(info.fieldName)) return next();
  const result: unknown = await next();
  if (result === null || result === undefined) return result;
  if (!mayReadClear(context.viewer, type, info.fieldName as never) || context.purpose === undefined) return result;
  const purposeHousehold = await purposeHouseholdOf(context);
  const row = root as PersonalRow;
  if (purposeHousehold !== householdOf(type, row)) return result;
  await context.audit.recordPersonalRead({ entityType: type, entityId: row.id, field: info.fieldName });
  return row[info.fieldName];
};

const purposeCache = new WeakMap<HubContext, Promise<number>>();

/**
 * The household named by the purpose: an open case, or a live referral, whose household the
 * viewer may see. Anything else is refused (a committee member, who reads no cases, may still
 * name the case of a household in its streets; a provider names the referral it serves).
 */
function purposeHouseholdOf(context: HubContext): Promise<number> {
  let cached = purposeCache.get(context);
  if (!cached) {
    cached = (async () => {
      const decoded = fromGlobalId(context.purpose!);
      let householdId: number | undefined;
      if (decoded?.typeName === 'Case') {
        const purposeCase = await findPurposeCase(context.db, decoded.id);
        if (purposeCase?.status === 'OPEN') householdId = purposeCase.householdId;
      } else if (decoded?.typeName === 'Referral') {
        const referral = await context.loaders.referral.load(decoded.id);
        if (referral && isLive(referral.status as ReferralStatus)) householdId = referral.householdId;
      }
      const household = householdId === undefined ? undefined : await context.loaders.household.load(householdId);
      if (householdId === undefined || !household) {
        throw new HubError('FORBIDDEN', 'The stated purpose (X-Hub-Purpose) must be the ID of an open case or live referral of a household you may see');
      }
      return householdId;
    })();
    purposeCache.set(context, cached);
  }
  return cached;
}
