import { fromGlobalId } from '../../common/global-id';
import { badInput } from '../../common/errors';
import { UserErrorCode, type UserErrors } from './user-error.type';

/** The row key behind a global ID of one of `typeNames`; a clear BAD_USER_INPUT otherwise. */
export function requireId(globalId: string, typeNames: string | readonly string[], field: readonly (string | number)[]): number {
  const allowed = typeof typeNames === 'string' ? [typeNames] : typeNames;
  const decoded = fromGlobalId(globalId);
  if (!decoded || !allowed.includes(decoded.typeName)) {
    throw badInput(field, `${field[field.length - 1]} must be the ID of a ${allowed.join(' or ')}`);
  }
  return decoded.id;
}

/** Like `requireId`, for a list argument. */
export function requireIds(globalIds: readonly string[], typeNames: string | readonly string[], field: readonly (string | number)[]): number[] {
  return globalIds.map((globalId, i) => requireId(globalId, typeNames, [...field, i]));
}

/** For mutation inputs: records a NOT_FOUND user error instead of throwing. */
export function inputId(globalId: string, typeName: string, field: readonly (string | number)[], errors: UserErrors): number | undefined {
  const decoded = fromGlobalId(globalId);
  if (!decoded || decoded.typeName !== typeName) {
    errors.add(field, UserErrorCode.NOT_FOUND, `Not the ID of a ${typeName}`);
    return undefined;
  }
  return decoded.id;
}
