import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { AuthConfig } from '../../src/config';
import { toGlobalId } from '../../src/common/global-id';
import { createTokenVerifier, issueDevelopmentToken, InvalidTokenError } from '../../src/auth/tokens';
import { Role } from '../../src/auth/roles';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-keys-'));
const base: AuthConfig = { secret: 's'.repeat(40), publicKeyFile: undefined, jwksFile: undefined, devSecretFile: path.join(folder, 'dev'), issuer: 'shanghai-assistance-hub', audience: 'hub' };
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const claims = { roles: [Role.DISTRICT_CIVIL_AFFAIRS], districts: [toGlobalId('District', 7)], org: toGlobalId('Organization', 3), sub: 'officer-1' };

function sign(key: Parameters<SignJWT['sign']>[0], alg: string, payload: Record<string, unknown> = claims, audience = 'hub') {
  return new SignJWT(payload).setProtectedHeader({ alg, kid: 'k1' }).setSubject('officer-1').setIssuer('shanghai-assistance-hub').setAudience(audience).setExpirationTime('5m').sign(key);
}

describe('bearer tokens', () => {
  it('turns a development token into the principal its claims describe', async () => {
    const verifier = await createTokenVerifier(base);
    const principal = await verifier.verify(await issueDevelopmentToken(base, claims, '5m'));
    expect(principal).toEqual({ subject: 'officer-1', organizationId: 3, staffMemberId: null, roles: [Role.DISTRICT_CIVIL_AFFAIRS], districtIds: [7], streetIds: [] });
  });

  it('remembers a verified token only until it expires (plus the 30 s tolerance)', async () => {
    const start = Date.now();
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const verifier = await createTokenVerifier(base);
      const token = await issueDevelopmentToken(base, claims, '60s');
      const first = await verifier.verify(token);
      // The same token again is the same principal, without a second signature check.
      expect(await verifier.verify(token)).toBe(first);
      jest.setSystemTime(start + 85_000);
      expect(await verifier.verify(token)).toBe(first);
      jest.setSystemTime(start + 95_000);
      await expect(verifier.verify(token)).rejects.toThrow(/invalid or expired/);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps one development secret across processes when no key is configured', async () => {
    const dev = { ...base, secret: undefined };
    const token = await issueDevelopmentToken(dev, claims, '5m');
    expect(fs.readFileSync(dev.devSecretFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    await expect((await createTokenVerifier(dev)).verify(token)).resolves.toMatchObject({ subject: 'officer-1' });
  });

  it.each([
    ['no roles', { ...claims, roles: [] }],
    ['an unknown role', { ...claims, roles: ['MAYOR'] }],
    ['a district claim that is not a District ID', { ...claims, districts: [toGlobalId('Street', 7)] }],
    ['an organization claim that is not an ID', { ...claims, org: 'acme' }],
  ])('refuses a token with %s', async (_case, payload) => {
    const verifier = await createTokenVerifier(base);
    await expect(verifier.verify(await sign(new TextEncoder().encode(base.secret), 'HS256', payload))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses another audience and another secret', async () => {
    const verifier = await createTokenVerifier(base);
    await expect(verifier.verify(await sign(new TextEncoder().encode(base.secret), 'HS256', claims, 'other'))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify(await sign(new TextEncoder().encode('t'.repeat(40)), 'HS256'))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('verifies RS256 tokens with a PEM public key, and refuses HS256 tokens signed with that public key (algorithm confusion)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const pem = await exportSPKI(publicKey);
    const file = path.join(folder, 'public.pem');
    fs.writeFileSync(file, pem);
    const verifier = await createTokenVerifier({ ...base, secret: undefined, publicKeyFile: file });
    await expect(verifier.verify(await sign(privateKey, 'RS256'))).resolves.toMatchObject({ subject: 'officer-1', districtIds: [7] });
    await expect(verifier.verify(await sign(new TextEncoder().encode(pem), 'HS256'))).rejects.toThrow(/algorithm/);
  });

  it('verifies ES256 tokens with a local JWKS file', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const file = path.join(folder, 'jwks.json');
    fs.writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] }));
    const verifier = await createTokenVerifier({ ...base, secret: undefined, jwksFile: file });
    await expect(verifier.verify(await sign(privateKey, 'ES256'))).resolves.toMatchObject({ roles: [Role.DISTRICT_CIVIL_AFFAIRS] });
    const other = await generateKeyPair('ES256');
    await expect(verifier.verify(await sign(other.privateKey, 'ES256'))).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
