import {
  RESIDENT_ID_PROVINCE_CODES,
  birthDateFromResidentId,
  isValidResidentId,
  makeResidentId,
  maskResidentId,
  normaliseResidentId,
  residentIdCheckChar,
  sexFromResidentId,
} from '../../src/common/resident-id';
import { SeededRandom } from '../../src/common/random';

// Independent oracle written differently from the module: ISO 7064 MOD 11-2
// weights are 2^(17-i) mod 11 and the check value is (12 - sum mod 11) mod 11.
function oracleCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  }
  const checkValue = (12 - (sum % 11)) % 11;
  return checkValue === 10 ? 'X' : String(checkValue);
}

function withOracleCheck(first17: string): string {
  return first17 + oracleCheckChar(first17);
}

// Hand-verified: 11010519491231002X (weighted sum 167, 167 mod 11 = 2 -> 'X').
const WELL_KNOWN_SAMPLE = '11010519491231002X';

describe('oracle sanity', () => {
  it('agrees with the hand-computed samples', () => {
    expect(oracleCheckChar('11010519491231002')).toBe('X');
    // Hand-computed: weighted sum 195, 195 mod 11 = 8 -> '4'.
    expect(oracleCheckChar('44052418800101001')).toBe('4');
  });
});

describe('residentIdCheckChar', () => {
  it('computes the hand-verified check characters', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });

  it('agrees with the independent oracle for many inputs', () => {
    const random = new SeededRandom(11643);
    const seenCheckChars = new Set<string>();
    for (let n = 0; n < 2000; n += 1) {
      let first17 = '';
      for (let i = 0; i < 17; i += 1) first17 += String(random.int(0, 9));
      const checkChar = residentIdCheckChar(first17);
      expect(checkChar).toBe(oracleCheckChar(first17));
      seenCheckChars.add(checkChar);
    }
    // Every one of the 11 possible check characters was exercised.
    expect([...seenCheckChars].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it.each(['', '1101051949123100', '110105194912310021', '1101051949123100X', 'abcdefghijklmnopq'])(
    'rejects %p as input',
    (input) => {
      expect(() => residentIdCheckChar(input)).toThrow(RangeError);
    },
  );
});

describe('normaliseResidentId', () => {
  it('trims and uppercases x', () => {
    expect(normaliseResidentId('  11010519491231002x \n')).toBe(WELL_KNOWN_SAMPLE);
    expect(normaliseResidentId(WELL_KNOWN_SAMPLE)).toBe(WELL_KNOWN_SAMPLE);
  });
});

describe('isValidResidentId', () => {
  it('accepts the well-known sample', () => {
    expect(isValidResidentId(WELL_KNOWN_SAMPLE)).toBe(true);
  });

  it('accepts lowercase x and surrounding whitespace', () => {
    expect(isValidResidentId('11010519491231002x')).toBe(true);
    expect(isValidResidentId(' 11010519491231002X ')).toBe(true);
  });

  it('rejects every wrong check character', () => {
    for (const wrong of '0123456789') {
      expect(isValidResidentId(`11010519491231002${wrong}`)).toBe(false);
    }
  });

  it('rejects a single changed digit (check digit no longer matches)', () => {
    expect(isValidResidentId('11010519491231003X')).toBe(false);
    expect(isValidResidentId('11010619491231002X')).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X1'],
    ['letter inside', '1101051949A231002X'],
    ['X not last', '1101051949123100X2'],
    ['other trailing letter', '11010519491231002Y'],
    ['inner whitespace', '110105 19491231002X'],
    ['legacy 15-digit number', '110105491231002'],
  ])('rejects %s', (_label, value) => {
    expect(isValidResidentId(value)).toBe(false);
  });

  it('rejects a valid check digit with a birth year before 1900', () => {
    // 440524188001010014 has a correct check digit but was born in 1880.
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(isValidResidentId('440524188001010014')).toBe(false);
  });

  it.each([
    ['Feb 30', '20000230', false],
    ['Feb 29 in leap year 2000', '20000229', true],
    ['Feb 29 in 1900 (not a leap year)', '19000229', false],
    ['Feb 29 in leap year 2024', '20240229', true],
    ['Feb 29 in 2023', '20230229', false],
    ['Feb 28 in 1900', '19000228', true],
    ['Apr 31', '19850431', false],
    ['Dec 31', '19851231', true],
    ['month 13', '19851301', false],
    ['month 00', '19850001', false],
    ['day 00', '19850100', false],
    ['day 32', '19850132', false],
    ['1900-01-01 (earliest allowed)', '19000101', true],
    ['1899-12-31', '18991231', false],
  ])('birth date %s -> %p', (_label, birthDigits, expected) => {
    // The check character is always right, so only the date decides.
    const id = withOracleCheck(`310104${birthDigits}123`);
    expect(isValidResidentId(id)).toBe(expected);
  });

  it('accepts every listed province code', () => {
    for (const province of RESIDENT_ID_PROVINCE_CODES) {
      expect(isValidResidentId(withOracleCheck(`${province}010519800101123`))).toBe(true);
    }
  });

  it('keeps the specified province list', () => {
    expect([...RESIDENT_ID_PROVINCE_CODES].sort()).toEqual(
      [
        '11', '12', '13', '14', '15', '21', '22', '23',
        '31', '32', '33', '34', '35', '36', '37',
        '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54',
        '61', '62', '63', '64', '65', '71', '81', '82', '83', '91',
      ].sort(),
    );
  });

  it.each(['00', '10', '16', '20', '24', '30', '38', '40', '47', '55', '60', '66', '70', '72', '80', '84', '90', '92', '99'])(
    'rejects unknown province code %s',
    (province) => {
      expect(isValidResidentId(withOracleCheck(`${province}010519800101123`))).toBe(false);
    },
  );

  describe('birth dates in the future (judged by the date in Shanghai, UTC+8)', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('accepts a birth date of today in Shanghai even while UTC is still on the previous day', () => {
      // 2024-05-31T16:00Z is 2024-06-01 00:00 in Shanghai.
      jest.useFakeTimers({ now: new Date('2024-05-31T16:00:00Z') });
      expect(isValidResidentId(withOracleCheck('31010420240601123'))).toBe(true);
      expect(isValidResidentId(withOracleCheck('31010420240602123'))).toBe(false);
    });

    it('rejects tomorrow-in-Shanghai one second before Shanghai midnight', () => {
      jest.useFakeTimers({ now: new Date('2024-05-31T15:59:59Z') });
      expect(isValidResidentId(withOracleCheck('31010420240531123'))).toBe(true);
      expect(isValidResidentId(withOracleCheck('31010420240601123'))).toBe(false);
    });

    it('rejects next year with real time', () => {
      const shanghaiYear = new Date(Date.now() + 8 * 60 * 60 * 1000).getUTCFullYear();
      const nextYear = shanghaiYear + 1;
      expect(isValidResidentId(withOracleCheck(`310104${nextYear}0101123`))).toBe(false);
      expect(isValidResidentId(withOracleCheck('31010420000101123'))).toBe(true);
    });
  });
});

describe('birthDateFromResidentId / sexFromResidentId', () => {
  it('reads the well-known sample', () => {
    expect(birthDateFromResidentId(WELL_KNOWN_SAMPLE)).toBe('1949-12-31');
    // 17th digit is 2 (even).
    expect(sexFromResidentId(WELL_KNOWN_SAMPLE)).toBe('FEMALE');
  });

  it('accepts lowercase x', () => {
    expect(birthDateFromResidentId('11010519491231002x')).toBe('1949-12-31');
  });

  it('reads odd 17th digits as male', () => {
    const id = withOracleCheck('31010419800101123');
    expect(sexFromResidentId(id)).toBe('MALE');
    expect(birthDateFromResidentId(id)).toBe('1980-01-01');
  });

  it('throws for invalid numbers', () => {
    expect(() => birthDateFromResidentId('110105194912310021')).toThrow(RangeError);
    expect(() => sexFromResidentId('not an id')).toThrow(RangeError);
  });
});

describe('makeResidentId', () => {
  it('rebuilds the well-known sample', () => {
    expect(makeResidentId({ areaCode: '110105', birthDate: '1949-12-31', sequence: 2 })).toBe(WELL_KNOWN_SAMPLE);
  });

  it('pads the sequence to three digits', () => {
    const id = makeResidentId({ areaCode: '310104', birthDate: '2000-02-29', sequence: 7 });
    expect(id.slice(0, 17)).toBe('31010420000229007');
    expect(isValidResidentId(id)).toBe(true);
  });

  it('round-trips through the validator and readers for many random inputs', () => {
    const random = new SeededRandom(20240601);
    const currentYear = new Date().getUTCFullYear();
    for (let n = 0; n < 3000; n += 1) {
      const province = random.pick(RESIDENT_ID_PROVINCE_CODES);
      const areaCode = `${province}${String(random.int(0, 9999)).padStart(4, '0')}`;
      const year = random.int(1900, currentYear - 1);
      const month = random.int(1, 12);
      const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const day = random.int(1, lastDay);
      const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const sequence = random.int(0, 999);

      const id = makeResidentId({ areaCode, birthDate, sequence });

      expect(id).toHaveLength(18);
      expect(id.slice(0, 6)).toBe(areaCode);
      expect(id.charAt(17)).toBe(oracleCheckChar(id.slice(0, 17)));
      expect(isValidResidentId(id)).toBe(true);
      expect(birthDateFromResidentId(id)).toBe(birthDate);
      expect(sexFromResidentId(id)).toBe(sequence % 2 === 1 ? 'MALE' : 'FEMALE');
    }
  });

  it.each([
    ['area code too short', { areaCode: '31010', birthDate: '1980-01-01', sequence: 1 }],
    ['area code with letters', { areaCode: '31010A', birthDate: '1980-01-01', sequence: 1 }],
    ['unknown province', { areaCode: '990101', birthDate: '1980-01-01', sequence: 1 }],
    ['Feb 30', { areaCode: '310104', birthDate: '1980-02-30', sequence: 1 }],
    ['1900-02-29', { areaCode: '310104', birthDate: '1900-02-29', sequence: 1 }],
    ['before 1900', { areaCode: '310104', birthDate: '1899-12-31', sequence: 1 }],
    ['wrong date format', { areaCode: '310104', birthDate: '19800101', sequence: 1 }],
    ['unpadded date', { areaCode: '310104', birthDate: '1980-1-1', sequence: 1 }],
    ['future date', { areaCode: '310104', birthDate: '9999-01-01', sequence: 1 }],
    ['negative sequence', { areaCode: '310104', birthDate: '1980-01-01', sequence: -1 }],
    ['sequence above 999', { areaCode: '310104', birthDate: '1980-01-01', sequence: 1000 }],
    ['fractional sequence', { areaCode: '310104', birthDate: '1980-01-01', sequence: 1.5 }],
    ['NaN sequence', { areaCode: '310104', birthDate: '1980-01-01', sequence: Number.NaN }],
  ])('throws for %s', (_label, params) => {
    expect(() => makeResidentId(params)).toThrow(RangeError);
  });
});

describe('maskResidentId', () => {
  it('keeps the first 3 and last 4 characters with 11 stars between', () => {
    expect(maskResidentId(WELL_KNOWN_SAMPLE)).toBe('110***********002X');
    expect(maskResidentId(WELL_KNOWN_SAMPLE)).toHaveLength(18);
  });

  it('produces the documented shape for Shanghai numbers', () => {
    const id = makeResidentId({ areaCode: '310104', birthDate: '1975-08-15', sequence: 123 });
    const masked = maskResidentId(id);
    expect(masked).toMatch(/^310\*{11}123[\dX]$/);
    expect(masked.endsWith(id.slice(-4))).toBe(true);
  });

  it('normalises lowercase x before masking', () => {
    expect(maskResidentId(' 11010519491231002x ')).toBe('110***********002X');
  });

  it('masks malformed input completely', () => {
    expect(maskResidentId('110105491231002')).toBe('***************');
    expect(maskResidentId('abc')).toBe('***');
    expect(maskResidentId('')).toBe('');
  });
});
