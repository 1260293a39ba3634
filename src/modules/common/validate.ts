import { isIsoDate } from '../../common/dates';
import { UserErrorCode, type UserErrors } from './user-error.type';

type Path = readonly (string | number)[];

// Control characters (NUL above all) have no place in text and some databases refuse them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** True (and a user error recorded) when text holds control characters. */
export function hasControlCharacters(errors: UserErrors, field: Path, text: string): boolean {
  if (!CONTROL.test(text)) return false;
  errors.add(field, UserErrorCode.INVALID, `${field[field.length - 1]} must not contain control characters`);
  return true;
}

/** Trims a required text and checks its length; records a user error and returns undefined when bad. */
export function requiredText(errors: UserErrors, field: Path, value: string, max: number): string | undefined {
  const text = value.trim();
  if (hasControlCharacters(errors, field, text)) return undefined;
  if (text.length === 0) {
    errors.add(field, UserErrorCode.REQUIRED, `${field[field.length - 1]} must not be empty`);
    return undefined;
  }
  if (text.length > max) {
    errors.add(field, UserErrorCode.OUT_OF_RANGE, `${field[field.length - 1]} must be at most ${max} characters`);
    return undefined;
  }
  return text;
}

/** Like `requiredText` for optional text: blank becomes null. */
export function optionalText(errors: UserErrors, field: Path, value: string | null | undefined, max: number): string | null | undefined {
  if (value == null) return value;
  const text = value.trim();
  if (hasControlCharacters(errors, field, text)) return undefined;
  if (text.length === 0) return null;
  if (text.length > max) {
    errors.add(field, UserErrorCode.OUT_OF_RANGE, `${field[field.length - 1]} must be at most ${max} characters`);
    return undefined;
  }
  return text;
}

export function checkIntRange(errors: UserErrors, field: Path, value: number, min: number, max: number): boolean {
  if (!Number.isInteger(value) || value < min || value > max) {
    errors.add(field, UserErrorCode.OUT_OF_RANGE, `${field[field.length - 1]} must be an integer from ${min} to ${max}`);
    return false;
  }
  return true;
}

export function checkDate(errors: UserErrors, field: Path, value: string | null | undefined): boolean {
  if (value == null) return true;
  if (!isIsoDate(value)) {
    errors.add(field, UserErrorCode.INVALID, `${field[field.length - 1]} must be a date written YYYY-MM-DD`);
    return false;
  }
  return true;
}

/** A window whose end, when given, is not before its start. */
export function checkWindow(errors: UserErrors, endField: Path, start: string | null | undefined, end: string | null | undefined): boolean {
  if (start == null || end == null || end >= start) return true;
  errors.add(endField, UserErrorCode.OUT_OF_RANGE, `${endField[endField.length - 1]} must not be before the start of the window`);
  return false;
}
