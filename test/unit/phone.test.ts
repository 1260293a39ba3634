import { isValidMainlandPhone, maskPhone, normalisePhone } from '../../src/common/phone';

describe('isValidMainlandPhone', () => {
  it.each([
    // mobiles, second digit 3-9
    '13812345678',
    '13012345678',
    '15912345678',
    '16612345678',
    '17712345678',
    '18612345678',
    '19912345678',
    // country code prefixes
    '+8613812345678',
    '+86 13812345678',
    '+86-13812345678',
    '8613812345678',
    '86 13812345678',
    '86-13812345678',
    // surrounding whitespace is tolerated
    '  13812345678  ',
    // Shanghai fixed lines
    '021-12345678',
    '02112345678',
    '021 12345678',
    '021-1234567',
    // other mainland fixed lines
    '010-12345678',
    '01012345678',
    '020-87654321',
    '0571-88888888',
    '057188888888',
    '0755 1234567',
    '07551234567',
    '0991-1234567',
  ])('accepts %p', (value) => {
    expect(isValidMainlandPhone(value)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '   '],
    ['letters', 'abcdefghijk'],
    ['letter in mobile', '1381234567a'],
    ['letter in fixed line', '021-1234567a'],
    ['mobile with second digit 2', '12812345678'],
    ['mobile with second digit 1', '11812345678'],
    ['mobile with second digit 0', '10812345678'],
    ['mobile too short', '1381234567'],
    ['mobile too long', '138123456789'],
    ['mobile not starting with 1', '23812345678'],
    ['wrong country code', '+87 13812345678'],
    ['00 international prefix', '0086 13812345678'],
    ['double space after prefix', '+86  13812345678'],
    ['underscore separator', '+86_13812345678'],
    ['prefix without mobile', '+86'],
    ['plus without country code', '+13812345678'],
    ['grouped mobile digits', '138 1234 5678'],
    ['hyphenated mobile digits', '138-1234-5678'],
    ['local number too short', '021-123456'],
    ['local number too long', '021-123456789'],
    ['area code without leading 0', '21-12345678'],
    ['double hyphen', '021--12345678'],
    ['split local number', '021-1234-5678'],
    ['bracketed area code', '(021)12345678'],
    ['country code on fixed line', '+86 021-12345678'],
    ['no area code', '12345678'],
    ['not a real area code shape (02X is 3 digits)', '0211-2345678'],
    ['3-digit code outside 01X/02X', '031-1234567'],
    ['full-width digits', '１３８１２３４５６７８'],
  ])('rejects %s', (_label, value) => {
    expect(isValidMainlandPhone(value)).toBe(false);
  });
});

describe('normalisePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['+86 13812345678', '13812345678'],
    ['86-13812345678', '13812345678'],
    [' 13812345678 ', '13812345678'],
    ['021-12345678', '021-12345678'],
    ['02112345678', '021-12345678'],
    ['021 12345678', '021-12345678'],
    ['0211234567', '021-1234567'],
    ['01012345678', '010-12345678'],
    ['057188888888', '0571-88888888'],
    ['0755 1234567', '0755-1234567'],
    ['07551234567', '0755-1234567'],
  ])('%p -> %p', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const value of ['+86 13812345678', '02112345678', '0755 1234567']) {
      const once = normalisePhone(value);
      expect(normalisePhone(once)).toBe(once);
    }
  });

  it.each(['', 'abc', '12812345678', '021-123456', '+86 021-12345678'])('throws for %p', (value) => {
    expect(() => normalisePhone(value)).toThrow(RangeError);
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+86 13812345678', '138****5678'],
    ['8613812345678', '138****5678'],
    ['021-12345678', '021-******78'],
    ['02112345678', '021-******78'],
    ['021 1234567', '021-*****67'],
    ['0571-88888899', '0571-******99'],
    ['0755 1234567', '0755-*****67'],
  ])('%p -> %p', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it('never shows more than 7 digits of a mobile', () => {
    const masked = maskPhone('+86-13912345678');
    expect(masked).toHaveLength(11);
    expect(masked.replace(/\D/g, '')).toHaveLength(7);
  });

  it('masks invalid input completely', () => {
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone(' abc ')).toBe('***');
    expect(maskPhone('')).toBe('');
  });
});
