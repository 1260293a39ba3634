import { fromGlobalId, toGlobalId } from '../../src/common/global-id';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

describe('toGlobalId / fromGlobalId', () => {
  it.each([
    ['District', 1],
    ['ServiceCategory', 17],
    ['StaffMember', 123_456],
    ['Need', 2_147_483_647],
  ])('round-trips %s %d', (typeName, id) => {
    const globalId = toGlobalId(typeName, id);
    expect(globalId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromGlobalId(globalId)).toEqual({ typeName, id });
  });

  it('gives different objects different IDs', () => {
    expect(toGlobalId('Need', 1)).not.toBe(toGlobalId('Need', 2));
    expect(toGlobalId('Need', 1)).not.toBe(toGlobalId('Resource', 1));
  });

  it.each([
    ['a negative key', b64('Need:-1')],
    ['a zero key', b64('Need:0')],
    ['a key with a leading zero', b64('Need:01')],
    ['a key above int32', b64('Need:2147483648')],
    ['a key of eleven digits', b64('Need:12345678901')],
    ['a fractional key', b64('Need:1.5')],
    ['a lower-case type name', b64('need:1')],
    ['a type name with digits', b64('Need2:1')],
    ['no separator', b64('Need1')],
    ['an empty type name', b64(':1')],
    ['an empty key', b64('Need:')],
    ['two separators', b64('Need:1:2')],
    ['surrounding whitespace in the decoded text', b64(' Need:1')],
    ['padding characters', `${toGlobalId('Need', 1)}=`],
    ['standard base64 characters', b64('Need:1').replace(/[A-Za-z]$/, '+')],
    ['not base64 at all', 'Need:1'],
    ['the empty string', ''],
    ['an overlong string', 'A'.repeat(201)],
  ])('rejects %s', (_label, globalId) => {
    expect(fromGlobalId(globalId)).toBeUndefined();
  });

  it('rejects a non-canonical spelling whose stray low bits decode to the same text', () => {
    const canonical = toGlobalId('Household', 1); // "SG91c2Vob2xkOjE"
    const alias = canonical.slice(0, -1) + 'F';
    expect(Buffer.from(alias, 'base64url').toString('utf8')).toBe('Household:1');
    expect(fromGlobalId(canonical)).toEqual({ typeName: 'Household', id: 1 });
    expect(fromGlobalId(alias)).toBeUndefined();
  });
});
