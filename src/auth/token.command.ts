import { parseArgs } from 'node:util';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { toGlobalId } from '../common/global-id';
import {
  findActiveProvider,
  findBusyCaseworker,
  findDistrictCivilAffairs,
  findDistrictIdByCode,
  findFirstStreet,
  findStreetOffice,
} from '../modules/identity/identity.repository';
import { issueDevelopmentToken, type HubClaims } from './tokens';
import { Role } from './roles';

export const TOKEN_USAGE = `Usage: hub token --role ROLE [options]

Prints a development bearer token signed with HUB_JWT_SECRET (or the development secret kept
in ${'.data/dev-jwt-secret'}). Without scope options it picks a fitting principal from the data.

Options:
  --role ROLE         one of: ${Object.values(Role).join(', ')} (repeatable)
  --district CODE     district code for DISTRICT_CIVIL_AFFAIRS, e.g. 310115 (repeatable)
  --street ID         Street ID for street-level roles (repeatable)
  --org ID            Organization ID the principal works for
  --staff ID          StaffMember ID (caseworkers)
  --subject NAME      token subject (default: the role and a number)
  --ttl DURATION      lifetime, e.g. 8h, 30m (default 8h)`;

export class UsageError extends Error {}

/** Builds the claims for a role, filling in a demo principal where options leave it open. */
export async function developmentClaims(database: () => Promise<Database>, argv: readonly string[]): Promise<{ claims: HubClaims; ttl: string }> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      role: { type: 'string', multiple: true },
      district: { type: 'string', multiple: true },
      street: { type: 'string', multiple: true },
      org: { type: 'string' },
      staff: { type: 'string' },
      subject: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
    strict: true,
  });
  const roles = (values.role ?? []) as string[];
  if (roles.length === 0) throw new UsageError('--role is required');
  const unknown = roles.filter((role) => !(Object.values(Role) as string[]).includes(role));
  if (unknown.length > 0) throw new UsageError(`Unknown role ${unknown.join(', ')}`);
  if (!/^\d+[smhd]$/.test(values.ttl!)) throw new UsageError('--ttl must look like 30m, 8h or 7d');
  const claims: HubClaims = { roles: roles as Role[], sub: values.subject, org: values.org, staff: values.staff, streets: values.street };

  const has = (...wanted: Role[]) => wanted.some((role) => roles.includes(role));
  // Pudong, the largest district, unless told otherwise.
  const codes = values.district?.length ? values.district : has(Role.DISTRICT_CIVIL_AFFAIRS) ? ['310115'] : [];
  const districtIds: number[] = [];
  for (const code of codes) {
    const id = await findDistrictIdByCode(await database(), code);
    if (id === undefined) throw new UsageError(`No district has code ${code}`);
    districtIds.push(id);
  }
  if (districtIds.length > 0) claims.districts = districtIds.map((id) => toGlobalId('District', id));
  if (has(Role.DISTRICT_CIVIL_AFFAIRS) && !claims.org && districtIds[0] !== undefined) {
    const bureau = await findDistrictCivilAffairs(await database(), districtIds[0]);
    if (bureau !== undefined) claims.org = toGlobalId('Organization', bureau);
  }
  if (has(Role.CASEWORKER) && !claims.staff) {
    const caseworker = await findBusyCaseworker(await database());
    if (caseworker) {
      claims.staff = toGlobalId('StaffMember', caseworker.id);
      claims.org ??= toGlobalId('Organization', caseworker.organizationId);
      if (caseworker.streetId !== null) claims.streets ??= [toGlobalId('Street', caseworker.streetId)];
    }
  }
  if (has(Role.STREET_OFFICER, Role.SERVICE_CENTER_OFFICER, Role.COMMITTEE_MEMBER) && !claims.streets?.length) {
    const street = await findFirstStreet(await database());
    if (street) {
      claims.streets = [toGlobalId('Street', street.id)];
      const office = await findStreetOffice(await database(), street.id);
      if (office !== undefined) claims.org ??= toGlobalId('Organization', office);
    }
  }
  if (has(Role.PROVIDER_STAFF, Role.COMMUNITY_ORGANIZATION) && !claims.org) {
    const provider = await findActiveProvider(await database());
    if (provider !== undefined) claims.org = toGlobalId('Organization', provider);
  }
  claims.sub ??= `${roles[0]!.toLowerCase()}-developer`;
  return { claims, ttl: values.ttl! };
}

/**
 * Prints a development token. The database is opened only when a demo principal must be looked
 * up, so a city-wide token can be had while the hub runs on its embedded database.
 */
export async function tokenCommand(database: () => Promise<Database>, config: HubConfig, argv: readonly string[]): Promise<string> {
  if (config.auth.publicKeyFile || config.auth.jwksFile) {
    throw new UsageError('The hub verifies tokens with a public key here: issue tokens with your identity provider, not this command');
  }
  const { claims, ttl } = await developmentClaims(database, argv);
  return issueDevelopmentToken(config.auth, claims, ttl);
}
