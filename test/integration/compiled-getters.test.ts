import { sql, type SQL } from 'drizzle-orm';
import { isIsoDate } from '../../src/common/dates';
import { maskPhone } from '../../src/common/phone';
import { maskResidentId } from '../../src/common/resident-id';
import { rowsOf } from '../../src/db/rows';
import { ageOn, maskAddress, maskName } from '../../src/modules/households/households.privacy';
import { ageOnSql, JS_WHITESPACE, majorityCutoff, maskAddressSql, maskNameSql, maskPhoneSql, maskResidentIdSql } from '../../src/server/compiled/getters';
import { openTestDatabase, type TestDatabase } from '../support/database';

/**
 * The SQL twins of the masking and age getters (src/server/compiled/getters.ts) must give the
 * getters' values exactly, or NULL where they cannot (the answer then falls back). Each twin runs
 * here over values chosen to tell the two apart, beside its JavaScript original.
 */
describe('SQL twins of the getters', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });

  afterAll(async () => {
    await database.close();
  });

  /** The twin's value of each input, in order (null where it gave NULL). */
  async function twin(inputs: readonly string[], twinOf: (value: SQL) => SQL): Promise<(string | null)[]> {
    // Sent as JSON, whose escapes PostgreSQL reads as JavaScript wrote them.
    const result = await database.handle.db.execute(sql`select ${twinOf(sql`t.value`)} as masked from json_array_elements_text(${JSON.stringify(inputs)}::json) with ordinality as t(value, n) order by t.n`);
    return rowsOf<{ masked: string | null }>(result).map((row) => row.masked);
  }

  const SPACES = [...JS_WHITESPACE];

  it('trims exactly what String.prototype.trim trims, every code point checked', () => {
    const trimmed: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCodePoint(code);
      if (character.trim() === '') trimmed.push(character);
    }
    expect(trimmed.sort().join('')).toBe([...SPACES].sort().join(''));
  });

  it('masks names as maskName does: trimmed of every JavaScript space, characters beyond the BMP counted once', async () => {
    const names = ['张三丰', '王', '', '   ', ' 张三 ', '\u3000李四\u3000', '\ufeff赵\u2028', '𠮷野家', '𠮷', ' 𠮷 ', 'a\tb', "O'Brien", '"引号"', 'x\\y', '\u0001控', ...SPACES.map((space) => `${space}欧阳${space}`)];
    expect(await twin(names, maskNameSql)).toEqual(names.map(maskName));
  });

  it('masks addresses as maskAddress does', async () => {
    const addresses = ['上海市浦东新区张江路100号', 'ab', 'a', '', '𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷', '上海市 黄浦区', ' 前后有空格 '];
    expect(await twin(addresses, maskAddressSql)).toEqual(addresses.map(maskAddress));
  });

  it('masks resident ID numbers as maskResidentId does, and gives NULL only for malformed non-ASCII text', async () => {
    const exact = ['31011519800101123X', '31011519800101123x', ' 310115198001011234 ', '\u3000310115198001011234\n', '3101151980010112', '12345', 'abc', '', '31011519800101123XX', '3101151980010112 4'];
    expect(await twin(exact, maskResidentIdSql)).toEqual(exact.map(maskResidentId));
    // Upper-casing changes the length of some letters (ß → SS): those the twin leaves to the getter.
    expect(await twin(['ß3101151980', '３１０１１５'], maskResidentIdSql)).toEqual([null, null]);
  });

  it('masks phone numbers as maskPhone does: mobiles with or without +86, fixed lines of either area code length, anything else', async () => {
    const phones = [
      '13812345678', '+8613812345678', '+86 13812345678', '86-13812345678', '8613812345678', ' 13812345678\u3000',
      '021-12345678', '02112345678', '021 1234567', '010-1234567', '0571-1234567', '057112345678', '0571 12345678',
      '12812345678', '021-123456', '0211234567890', '12345', '', '   ', '１３８１２３４５６７８', '😀12', '021—12345678', '+86  13812345678',
    ];
    expect(await twin(phones, maskPhoneSql)).toEqual(phones.map(maskPhone));
  });

  it('tells minors by one date: under 18 exactly when born after the cutoff, 29 February and new year included', () => {
    const days = (from: string, count: number) => Array.from({ length: count }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
    for (const today of ['2026-11-28', '2028-02-29', '2027-02-28', '2027-03-01', '2026-01-01', '2026-12-31']) {
      const cutoff = majorityCutoff(today);
      // A real day: it is written into statements as a date constant.
      expect(isIsoDate(cutoff)).toBe(true);
      const year = Number(today.slice(0, 4)) - 18;
      for (const birth of days(`${year - 1}-12-01`, 500)) expect([birth, ageOn(birth, today) < 18]).toEqual([birth, birth > cutoff]);
    }
  });

  it('counts ages as ageOn does: birthdays on 29 February, the day before, on and after a birthday, early years', async () => {
    const cases: [birth: string, today: string][] = [
      ['2000-02-29', '2001-02-28'], ['2000-02-29', '2001-03-01'], ['2000-02-29', '2004-02-29'],
      ['2008-11-28', '2026-11-28'], ['2008-11-29', '2026-11-28'], ['2008-11-27', '2026-11-28'],
      ['1950-01-01', '2026-12-31'], ['1950-12-31', '2026-01-01'], ['0099-05-05', '2026-01-01'], ['2026-11-28', '2026-11-28'],
    ];
    const result = await database.handle.db.execute(
      sql`select ${ageOnSql(sql`c.birth`, sql`c.today`)} as age from unnest(${`{${cases.map((c) => c[0]).join(',')}}`}::date[], ${`{${cases.map((c) => c[1]).join(',')}}`}::date[]) with ordinality as c(birth, today, n) order by c.n`,
    );
    expect(rowsOf<{ age: number }>(result).map((row) => row.age)).toEqual(cases.map(([birth, today]) => ageOn(birth, today)));
    // Dates the getter does not read as YYYY-MM-DD: NULL, which falls back.
    const odd = await database.handle.db.execute(sql`select ${ageOnSql(sql`b`, sql`date '2026-11-28'`)} as age from unnest(array['infinity', '-infinity', '0044-03-15 BC', '10000-01-01']::date[]) as t(b)`);
    expect(rowsOf<{ age: number | null }>(odd).map((row) => row.age)).toEqual([null, null, null, null]);
  });
});
