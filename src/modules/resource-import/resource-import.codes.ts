import { registerEnumType } from 'type-graphql';
import { UserErrorCode } from '../common/user-error.type';

/** Why a row, a cell or a whole file of a bulk import was refused. Stable: clients may switch on it. */
export enum ImportIssueCode {
  REQUIRED = 'REQUIRED',
  INVALID = 'INVALID',
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  NOT_FOUND = 'NOT_FOUND',
  AMBIGUOUS = 'AMBIGUOUS',
  INACTIVE = 'INACTIVE',
  CONFLICT = 'CONFLICT',
  INVALID_STATE = 'INVALID_STATE',
  MISSING_COLUMN = 'MISSING_COLUMN',
  DUPLICATE_COLUMN = 'DUPLICATE_COLUMN',
  UNKNOWN_COLUMN = 'UNKNOWN_COLUMN',
  EXTRA_CELL = 'EXTRA_CELL',
  UNREADABLE_FILE = 'UNREADABLE_FILE',
  FILE_TOO_LARGE = 'FILE_TOO_LARGE',
  TOO_MANY_ROWS = 'TOO_MANY_ROWS',
  NO_ROWS = 'NO_ROWS',
  UNMAPPED_FIELD = 'UNMAPPED_FIELD',
  DEFAULTED = 'DEFAULTED',
}

registerEnumType(ImportIssueCode, {
  name: 'ImportIssueCode',
  description: 'Why a row, a cell or a whole file of a bulk import was refused, or (UNKNOWN_COLUMN, UNMAPPED_FIELD, DEFAULTED) what was ignored or assumed.',
  valuesConfig: {
    REQUIRED: { description: 'A required cell or field is empty.' },
    INVALID: { description: 'A cell has the wrong form (not a number, a date, a known period or status; a malformed phone number).' },
    OUT_OF_RANGE: { description: 'A number, length or date lies outside what a resource allows.' },
    NOT_FOUND: { description: 'A catalogue item, area or organization the cell names does not exist.' },
    AMBIGUOUS: { description: 'A name matches more than one catalogue item or area: write a code or the full path.' },
    INACTIVE: { description: 'The catalogue item is retired, or the provider is suspended or banned.' },
    CONFLICT: { description: 'The row clashes with existing data.' },
    INVALID_STATE: { description: 'The record is in a state the import does not take (an HSDS service that is not active).' },
    MISSING_COLUMN: { description: 'The header lacks a required column; no row was read.' },
    DUPLICATE_COLUMN: { description: 'Two header cells name the same column; no row was read.' },
    UNKNOWN_COLUMN: { description: 'A header cell names no known column; the column is ignored (a warning).' },
    EXTRA_CELL: { description: 'A row has a value to the right of the last header cell.' },
    UNREADABLE_FILE: { description: 'The file is not CSV, XLSX or JSON of the expected form.' },
    FILE_TOO_LARGE: { description: 'The file is larger than HUB_IMPORT_MAX_BYTES.' },
    TOO_MANY_ROWS: { description: 'The file has more rows than HUB_IMPORT_MAX_ROWS.' },
    NO_ROWS: { description: 'The file has a header but no data row.' },
    UNMAPPED_FIELD: { description: 'An HSDS field the hub has no place for; it is ignored (a warning).' },
    DEFAULTED: { description: 'An HSDS service lacks a value the hub needs (capacity, its period, cost, first day); the documented default was used (a warning).' },
  },
});

/** The import code of a resource validation failure: the same name, which every user error code has here. */
export function importCodeOf(code: UserErrorCode): ImportIssueCode {
  return (ImportIssueCode as Record<string, ImportIssueCode>)[code] ?? ImportIssueCode.INVALID;
}
