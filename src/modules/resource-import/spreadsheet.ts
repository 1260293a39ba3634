import ExcelJS from 'exceljs';

/** One data row of a sheet: its line as a spreadsheet program numbers it (the header is line 1). */
export interface SheetRow {
  readonly line: number;
  readonly cells: readonly string[];
}

export interface Sheet {
  readonly header: readonly string[];
  readonly rows: readonly SheetRow[];
}

/** A file that cannot be read as a table at all; `line` is where reading stopped, when known. */
export class UnreadableSheetError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = 'UnreadableSheetError';
  }
}

/**
 * Spreadsheet programs in Chinese locales save CSV as GB18030 (GBK) unless told otherwise; UTF-8
 * (with or without a byte-order mark) is tried first, and bytes that are not UTF-8 are read as GB18030.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      throw new UnreadableSheetError('The file is neither UTF-8 nor GB18030 text');
    }
  }
}

const isBlank = (cells: readonly string[]): boolean => cells.every((cell) => cell.trim() === '');

/** Splits the first non-blank row off as the header and drops blank rows (their lines still count). */
function toSheet(records: readonly SheetRow[]): Sheet {
  const headerIndex = records.findIndex((record) => !isBlank(record.cells));
  if (headerIndex < 0) throw new UnreadableSheetError('The file has no header row');
  const header = records[headerIndex]!.cells.map((cell) => cell.trim());
  return { header, rows: records.slice(headerIndex + 1).filter((record) => !isBlank(record.cells)) };
}

/**
 * Reads CSV as RFC 4180 defines it: comma-separated fields, double-quoted fields that may hold
 * commas, quotes (doubled) and line breaks; records end with CRLF, LF or CR. A byte-order mark is
 * dropped. A record's line is its record number, as a spreadsheet program shows it, not the
 * physical line in the text, which differs when a quoted field holds a line break.
 */
export function parseCsv(text: string): Sheet {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: SheetRow[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let physicalLine = 1;
  const endField = (): void => {
    cells.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = (): void => {
    endField();
    records.push({ line: records.length + 1, cells });
    cells = [];
  };
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (char === '\n') physicalLine += 1;
        field += char;
      }
      continue;
    }
    if (char === ',') {
      endField();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      physicalLine += 1;
      endRecord();
    } else if (afterQuote) {
      throw new UnreadableSheetError(`Text after a closing quote on line ${physicalLine}: a quoted field must end at a comma or the end of the line`, records.length + 1);
    } else if (char === '"' && field === '') {
      quoted = true;
    } else {
      // A quote inside an unquoted field is taken literally, as spreadsheet programs do.
      field += char;
    }
  }
  if (quoted) throw new UnreadableSheetError(`A quoted field opened in record ${records.length + 1} is never closed`, records.length + 1);
  if (field !== '' || cells.length > 0 || afterQuote) endRecord();
  return toSheet(records);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('hyperlink' in value) return String((value as ExcelJS.CellHyperlinkValue).text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/** Most bytes an XLSX workbook may unpack to: a small zip can hold gigabytes of sheet XML. */
export const MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024;
/** Rightmost column a resource sheet may use (it has 15; unknown columns only warn). */
export const MAX_SHEET_COLUMNS = 256;

/**
 * The total unpacked size of a zip archive's entries, from its central directory (read before
 * anything is inflated); null when the bytes hold no readable central directory.
 */
export function unpackedZipBytes(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
  for (let end = bytes.byteLength - 22; end >= Math.max(0, bytes.byteLength - 22 - 65535); end -= 1) {
    if (view.getUint32(end, true) !== 0x06054b50) continue;
    const entries = view.getUint16(end + 10, true);
    let at = view.getUint32(end + 16, true);
    let total = 0;
    for (let entry = 0; entry < entries; entry += 1) {
      if (at + 46 > bytes.byteLength || view.getUint32(at, true) !== 0x02014b50) return null;
      const unpacked = view.getUint32(at + 24, true);
      // 0xffffffff: the size is in a zip64 field; count it as too big rather than parse that format.
      total += unpacked === 0xffffffff ? Number.MAX_SAFE_INTEGER : unpacked;
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    return total;
  }
  return null;
}

/** Reads the first worksheet of an XLSX workbook; a line is the worksheet's row number. */
export async function parseXlsx(bytes: Uint8Array): Promise<Sheet> {
  const unpacked = unpackedZipBytes(bytes);
  if (unpacked === null) throw new UnreadableSheetError('The file is not an XLSX workbook');
  if (unpacked > MAX_XLSX_UNPACKED_BYTES) {
    throw new UnreadableSheetError(`The workbook unpacks to more than ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MiB; save the sheet alone, or as CSV`);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as a Node Buffer of an older @types/node.
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    throw new UnreadableSheetError('The file is not an XLSX workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableSheetError('The workbook has no worksheet');
  const records: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    // Only the cells present: asking for each column up to the last would create the empty ones.
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (column > MAX_SHEET_COLUMNS) throw new UnreadableSheetError(`Line ${row.number} has a cell in column ${column}; a resource sheet uses at most ${MAX_SHEET_COLUMNS} columns`, row.number);
      while (cells.length < column - 1) cells.push('');
      cells.push(cellText(cell.value));
    });
    records.push({ line: row.number, cells });
  });
  return toSheet(records);
}

/** Writes rows as RFC 4180 CSV with CRLF line ends and a byte-order mark, so spreadsheet programs read it as UTF-8. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  const quote = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return `\ufeff${rows.map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}
