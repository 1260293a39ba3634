import type { MiddlewareFn } from 'type-graphql';
import { fromGlobalId } from '../common/global-id';
import { HubError } from '../common/errors';
import type { HubContext } from '../server/context';
import { findPurposeCase } from '../modules/households/households.repository';
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
 * The household of the case named as purpose. The case must be open and its household visible
 * to the viewer; otherwise the purpose is refused (a committee member, who reads no cases,
 * may still name the case of a household in its streets).
 */
function purposeHouseholdOf(context: HubContext): Promise<number> {
  let cached = purposeCache.get(context);
  if (!cached) {
    cached = (async () => {
      const decoded = fromGlobalId(context.purpose!);
      const purposeCase = decoded?.typeName === 'Case' ? await findPurposeCase(context.db, decoded.id) : undefined;
      const household = purposeCase?.status === 'OPEN' ? await context.loaders.household.load(purposeCase.householdId) : undefined;
      if (!purposeCase || !household) {
        throw new HubError('FORBIDDEN', 'The stated purpose (X-Hub-Purpose) must be the ID of an open case of a household you may see');
      }
      return purposeCase.householdId;
    })();
    purposeCache.set(context, cached);
  }
  return cached;
}
