import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SignJWT, createLocalJWKSet, importSPKI, jwtVerify, decodeProtectedHeader, type JWTPayload, type JWTVerifyGetKey, type KeyLike } from 'jose';
import type { AuthConfig } from '../config';
import { fromGlobalId } from '../common/global-id';
import type { Principal } from './principal';
import { Role } from './roles';

/** Verifies bearer tokens with the configured key; built once at start. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/** The claims the hub reads; IDs are global IDs as the API shows them. */
export interface HubClaims extends JWTPayload {
  org?: string;
  staff?: string;
  roles: Role[];
  districts?: string[];
  streets?: string[];
}

const ROLES = new Set<string>(Object.values(Role));

/** The development secret: generated once and kept beside the embedded database. */
export function developmentSecret(config: AuthConfig): string {
  if (config.secret) return config.secret;
  try {
    return fs.readFileSync(config.devSecretFile, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(config.devSecretFile), { recursive: true });
    const secret = randomBytes(32).toString('hex');
    fs.writeFileSync(config.devSecretFile, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

type Key = KeyLike | Uint8Array | JWTVerifyGetKey;

async function verificationKey(config: AuthConfig): Promise<Key> {
  if (config.jwksFile) return createLocalJWKSet(JSON.parse(fs.readFileSync(config.jwksFile, 'utf8')));
  if (config.publicKeyFile) {
    const pem = fs.readFileSync(config.publicKeyFile, 'utf8');
    // The algorithm comes from the key's use, checked against each token's header below.
    return async (header) => importSPKI(pem, header.alg ?? 'RS256');
  }
  return new TextEncoder().encode(developmentSecret(config));
}

function ids(values: unknown, typeName: string, claim: string): number[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw new InvalidTokenError(`claim ${claim} must be a list of ${typeName} IDs`);
  return values.map((value) => {
    const decoded = typeof value === 'string' ? fromGlobalId(value) : undefined;
    if (!decoded || decoded.typeName !== typeName) throw new InvalidTokenError(`claim ${claim} must hold ${typeName} IDs`);
    return decoded.id;
  });
}

function optionalId(value: unknown, typeName: string, claim: string): number | null {
  return value === undefined ? null : ids([value], typeName, claim)[0]!;
}

/** Turns verified claims into a principal; malformed claims make the whole token invalid. */
export function principalFromClaims(claims: JWTPayload): Principal {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new InvalidTokenError('the token has no subject');
  const roles = claims.roles;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string' && ROLES.has(r))) {
    throw new InvalidTokenError('claim roles must list known roles');
  }
  return {
    subject: claims.sub,
    organizationId: optionalId(claims.org, 'Organization', 'org'),
    staffMemberId: optionalId(claims.staff, 'StaffMember', 'staff'),
    roles: roles as Role[],
    districtIds: ids(claims.districts, 'District', 'districts'),
    streetIds: ids(claims.streets, 'Street', 'streets'),
  };
}

/** Seconds a token stays acceptable past its expiry, for clocks that disagree a little. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** Verified tokens remembered; a client sends the same token with every request. */
const REMEMBERED_TOKENS = 10_000;
/** How long a verified token without an expiry is trusted before it is checked again. */
const UNEXPIRING_RECHECK_MS = 60_000;

export async function createTokenVerifier(config: AuthConfig): Promise<TokenVerifier> {
  const key = await verificationKey(config);
  const symmetric = key instanceof Uint8Array;
  // A token's signature and claims do not change, and the key is fixed for the life of the
  // verifier: a token verified once stays valid until its expiry (plus the tolerance), so the
  // signature check (an HMAC or RSA verify, a tenth of a small query's time) runs once per token.
  const verified = new Map<string, { principal: Principal; until: number }>();
  const check = async (token: string): Promise<{ principal: Principal; until: number }> => {
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new InvalidTokenError('the bearer token is not a JWT');
    }
    // Never let a token choose a symmetric algorithm against a public key, or "none".
    if (symmetric ? header.alg !== 'HS256' : !['RS256', 'ES256', 'EdDSA', 'PS256'].includes(String(header.alg))) {
      throw new InvalidTokenError('the token is signed with an algorithm the hub does not accept');
    }
    try {
      const { payload } = await jwtVerify(token, key as never, { issuer: config.issuer, audience: config.audience, clockTolerance: CLOCK_TOLERANCE_SECONDS });
      const principal = principalFromClaims(payload);
      const until = payload.exp === undefined ? Date.now() + UNEXPIRING_RECHECK_MS : (payload.exp + CLOCK_TOLERANCE_SECONDS) * 1000;
      return { principal, until };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      throw new InvalidTokenError('the bearer token is invalid or expired');
    }
  };
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known && Date.now() < known.until) return known.principal;
      if (known) verified.delete(token);
      const result = await check(token);
      if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value!);
      verified.set(token, result);
      return result.principal;
    },
  };
}

/** Signs a development token with the shared or development secret (the `token` command). */
export async function issueDevelopmentToken(config: AuthConfig, claims: HubClaims, ttl: string): Promise<string> {
  const { roles, org, staff, districts, streets, sub } = claims;
  return new SignJWT({ roles, org, staff, districts, streets })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub ?? 'developer')
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(developmentSecret(config)));
}
