import { columnOfHeader, RESOURCE_COLUMNS, templateHeader } from '../../src/modules/resource-import/resource-columns';
import ExcelJS from 'exceljs';
import { decodeText, MAX_XLSX_UNPACKED_BYTES, parseCsv, parseXlsx, unpackedZipBytes, UnreadableSheetError, writeCsv } from '../../src/modules/resource-import/spreadsheet';

async function workbookBytes(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook.addWorksheet('resources'));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** CSV as RFC 4180 defines it, as spreadsheet programs save it (BOM, CRLF, GB18030), and header cells in either language. */
describe('parseCsv', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks, numbering records as a spreadsheet does', () => {
    const sheet = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\r\nlines",z\r\n3,,\r\n');
    expect(sheet.header).toEqual(['a', 'b', 'c']);
    expect(sheet.rows).toEqual([
      { line: 2, cells: ['1', 'x, y', 'say "hi"'] },
      { line: 3, cells: ['2', 'two\r\nlines', 'z'] },
      { line: 4, cells: ['3', '', ''] },
    ]);
  });

  it('drops a byte-order mark, takes LF or CR line ends and a last record without one, and skips blank rows but keeps their numbers', () => {
    const sheet = parseCsv('\ufeff名称,容量\n\n甲,1\r乙,2');
    expect(sheet.header).toEqual(['名称', '容量']);
    expect(sheet.rows).toEqual([
      { line: 3, cells: ['甲', '1'] },
      { line: 4, cells: ['乙', '2'] },
    ]);
  });

  it('refuses a quoted field that never closes, and text after a closing quote, naming the record', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(UnreadableSheetError);
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(/record 2 is never closed/);
    expect(() => parseCsv('a,b\n1,"x"y\n')).toThrow(/closing quote on line 2/);
  });

  it('takes a quote inside an unquoted field literally', () => {
    expect(parseCsv('a\n5" pipe\n').rows[0]!.cells).toEqual(['5" pipe']);
  });

  it('refuses a file without a header', () => {
    expect(() => parseCsv('\r\n\r\n')).toThrow(/no header/);
  });

  it('round-trips what writeCsv writes', () => {
    const rows = [
      ['名称 (name)', 'x'],
      ['a, "b"', 'line\r\nbreak'],
    ];
    const sheet = parseCsv(writeCsv(rows));
    expect([sheet.header, ...sheet.rows.map((r) => r.cells)]).toEqual(rows);
  });
});

describe('decodeText', () => {
  it('reads UTF-8, and GB18030 when the bytes are not UTF-8', () => {
    expect(decodeText(Buffer.from('名称,容量', 'utf8'))).toBe('名称,容量');
    // 名称 in GB18030 (GBK): C3 FB B3 C6
    expect(decodeText(Uint8Array.from([0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0x61]))).toBe('名称,a');
  });
});

describe('columnOfHeader', () => {
  it('knows each column by its Chinese name, its English name, and the template\'s bilingual header', () => {
    for (const column of RESOURCE_COLUMNS) {
      expect(columnOfHeader(column.zh)?.key).toBe(column.key);
      expect(columnOfHeader(column.en.toUpperCase())?.key).toBe(column.key);
      expect(columnOfHeader(templateHeader(column))?.key).toBe(column.key);
    }
    expect(columnOfHeader('服务区域（service areas）')?.key).toBe('serviceArea');
    expect(columnOfHeader('备注')).toBeUndefined();
  });
});

/** A workbook is untrusted input: its unpacked size and its columns are bounded before the cells are read. */
describe('parseXlsx limits', () => {
  it('reads only the cells present, keeping their columns', async () => {
    const bytes = await workbookBytes((sheet) => {
      sheet.getCell('A1').value = '名称';
      sheet.getCell('C1').value = '容量';
      sheet.getCell('A2').value = '甲';
      sheet.getCell('C2').value = 3;
    });
    const unpacked = unpackedZipBytes(bytes);
    expect(unpacked).toBeGreaterThan(bytes.byteLength);
    expect(unpacked).toBeLessThan(MAX_XLSX_UNPACKED_BYTES);
    expect(await parseXlsx(bytes)).toEqual({ header: ['名称', '', '容量'], rows: [{ line: 2, cells: ['甲', '', '3'] }] });
  });

  it('refuses a row with a cell far to the right, naming its line, instead of filling every column up to it', async () => {
    const bytes = await workbookBytes((sheet) => {
      sheet.getCell('A1').value = '名称';
      sheet.getCell(2, 16384).value = 'x';
    });
    await expect(parseXlsx(bytes)).rejects.toThrow(/Line 2 has a cell in column 16384/);
  });

  it('refuses a workbook whose entries claim to unpack beyond the limit, before inflating anything', async () => {
    const bytes = await workbookBytes((sheet) => {
      sheet.getCell('A1').value = '名称';
    });
    // Raise the first central-directory entry's unpacked size to 2 GiB − 1.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let entry = -1;
    for (let at = bytes.byteLength - 22; at >= 0; at -= 1) {
      if (view.getUint32(at, true) === 0x06054b50) {
        entry = view.getUint32(at + 16, true);
        break;
      }
    }
    expect(view.getUint32(entry, true)).toBe(0x02014b50);
    view.setUint32(entry + 24, 0x7fffffff, true);
    expect(unpackedZipBytes(bytes)).toBeGreaterThan(MAX_XLSX_UNPACKED_BYTES);
    await expect(parseXlsx(bytes)).rejects.toThrow(UnreadableSheetError);
    await expect(parseXlsx(bytes)).rejects.toThrow(/unpacks to more than 64 MiB/);
  });

  it('refuses bytes that are not a zip archive', async () => {
    await expect(parseXlsx(new TextEncoder().encode('名称,容量\n甲,1\n'))).rejects.toThrow(/not an XLSX workbook/);
  });
});
