import path from 'node:path';

/** Which demo data to load into an empty database on start. */
export type SeedMode = 'demo' | 'none';

/** Levels of the structured log, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface HubConfig {
  /** postgres://… when the hub runs on a PostgreSQL server; undefined for embedded PGlite. */
  readonly databaseUrl: string | undefined;
  /**
   * HUB_REPORTING_DATABASE_URL: a read-only replica of DATABASE_URL (streaming replication) that
   * the reporting queries read from (supply–demand balance, dashboard counts and scorecards), so
   * departments' reports do not compete with casework; undefined sends them to DATABASE_URL.
   */
  readonly reportingDatabaseUrl: string | undefined;
  /** Folder that keeps the embedded PGlite database between starts. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly seed: SeedMode;
  /** Connections in the postgres.js pool (ignored on PGlite, which has one). */
  readonly poolSize: number;
  /** Most items one page of a connection may hold. */
  readonly maxPageSize: number;
  /** Log every SQL statement to stderr (development aid; never enable with real personal data). */
  readonly logSql: boolean;
  /** Days a provider has to answer a proposed referral before it expires. */
  readonly referralAnswerDays: number;
  /** Days an application stays under publicity (公示) unless its period is given, the first day included. */
  readonly publicityDays: number;
  /** Seconds between runs of the scheduled jobs (referral expiry, escalation); each runs once per interval across instances. */
  readonly jobIntervalSeconds: number;
  /** HUB_FEDERATION=1: also serve the schema as an Apollo Federation v2 subgraph at /subgraph. */
  readonly federation: boolean;
  /** Answer each read that compiled queries can take in one statement that way (HUB_COMPILED_QUERIES=0 turns it off; src/server/compiled). */
  readonly compiledQueries: boolean;
  /** NODE_ENV=production: no development keys, no introspection. */
  readonly production: boolean;
  readonly auth: AuthConfig;
  readonly limits: RequestLimits;
  readonly operations: OperationsConfig;
  readonly imports: ImportLimits;
}

/** Bounds of one bulk import (spreadsheet or HSDS document); a bigger one is refused before any row is read. */
export interface ImportLimits {
  /** Bytes of one uploaded file (HUB_IMPORT_MAX_BYTES). */
  readonly maxBytes: number;
  /** Data rows (or HSDS services) in one import (HUB_IMPORT_MAX_ROWS). */
  readonly maxRows: number;
}

/** How the hub reports on itself and stops. */
export interface OperationsConfig {
  /** Least severe level written to the JSON log on stdout (HUB_LOG_LEVEL). */
  readonly logLevel: LogLevel;
  /** Milliseconds in-flight requests get to finish after SIGTERM before their connections are cut (HUB_SHUTDOWN_GRACE_MS). */
  readonly shutdownGraceMs: number;
  /** Bearer token a scraper must send for /metrics; without one, /metrics is open outside production and off in production. */
  readonly metricsToken: string | undefined;
}

/** What one request may ask of the hub; a request beyond a limit is refused before it runs. */
export interface RequestLimits {
  /** Deepest nesting of fields in one operation (HUB_MAX_DEPTH). */
  readonly maxDepth: number;
  /** Aliased fields in one operation. */
  readonly maxAliases: number;
  /** Directives in one operation. */
  readonly maxDirectives: number;
  /** Lexical tokens in a query document; counted while parsing, which stops at the limit. */
  readonly maxTokens: number;
  /** UTF-8 bytes of a query document. */
  readonly maxQueryBytes: number;
  /** Estimated objects an operation may resolve, page sizes multiplied through nested lists (HUB_MAX_COST). */
  readonly maxCost: number;
  /** Bytes of a request body: the query with its variables (HUB_MAX_BODY_BYTES). */
  readonly maxBodyBytes: number;
  /** Requests per minute for each signed-in subject, or each client address for the public; 0 turns the limit off. */
  readonly ratePerMinute: number;
  /** Requests a principal may send at once before the per-minute rate applies (HUB_RATE_LIMIT_BURST). */
  readonly rateBurst: number;
}

/** Where the keys that verify bearer tokens come from; exactly one source is used. */
export interface AuthConfig {
  /** HS256 shared secret (development and tests). */
  readonly secret: string | undefined;
  /** PEM public key file (RS256, ES256 or EdDSA tokens). */
  readonly publicKeyFile: string | undefined;
  /** Local JWKS file (no network: the hub never fetches keys). */
  readonly jwksFile: string | undefined;
  /** Without any of the above outside production: a secret generated once and kept in this file. */
  readonly devSecretFile: string;
  readonly issuer: string;
  readonly audience: string;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration variable ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Decimal digits only: Number() would also take "0x1f90", "1e3", "80.0" and read a blank as 0.
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(name, `must be true/false or 1/0, got "${raw}"`);
}

/** Reads and validates the environment once; everything else takes the typed result. An empty variable counts as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const reportingDatabaseUrl = env.HUB_REPORTING_DATABASE_URL || undefined;
  if (reportingDatabaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(reportingDatabaseUrl)) {
    throw new ConfigError('HUB_REPORTING_DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  if (reportingDatabaseUrl !== undefined && databaseUrl === undefined) {
    throw new ConfigError('HUB_REPORTING_DATABASE_URL', 'needs DATABASE_URL: a replica is of a PostgreSQL server, not of the embedded database');
  }
  const production = env.NODE_ENV === 'production';
  const seed = env.HUB_SEED || 'demo';
  if (seed !== 'demo' && seed !== 'none') {
    throw new ConfigError('HUB_SEED', `must be "demo" or "none", got "${seed}"`);
  }
  return {
    databaseUrl,
    reportingDatabaseUrl,
    dataDir: path.resolve(env.HUB_DATA_DIR || '.data/pglite'),
    host: env.HOST || '0.0.0.0',
    port: integer(env, 'PORT', 4000, 0, 65535),
    seed,
    poolSize: integer(env, 'HUB_DB_POOL_SIZE', 10, 1, 200),
    maxPageSize: integer(env, 'HUB_MAX_PAGE_SIZE', 100, 1, 1000),
    logSql: flag(env, 'HUB_LOG_SQL'),
    referralAnswerDays: integer(env, 'HUB_REFERRAL_ANSWER_DAYS', 3, 1, 90),
    publicityDays: integer(env, 'HUB_PUBLICITY_DAYS', 7, 1, 60),
    jobIntervalSeconds: integer(env, 'HUB_JOB_INTERVAL_SECONDS', 60, 1, 3600),
    federation: flag(env, 'HUB_FEDERATION'),
    compiledQueries: env.HUB_COMPILED_QUERIES === undefined || env.HUB_COMPILED_QUERIES === '' ? true : flag(env, 'HUB_COMPILED_QUERIES'),
    production,
    auth: loadAuthConfig(env, production),
    limits: loadRequestLimits(env),
    imports: {
      maxBytes: integer(env, 'HUB_IMPORT_MAX_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
      maxRows: integer(env, 'HUB_IMPORT_MAX_ROWS', 5000, 1, 100_000),
    },
    operations: loadOperationsConfig(env),
  };
}

function loadOperationsConfig(env: NodeJS.ProcessEnv): OperationsConfig {
  const logLevel = env.HUB_LOG_LEVEL || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new ConfigError('HUB_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const metricsToken = env.HUB_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[A-Za-z0-9._~+/=-]{16,}$/.test(metricsToken)) {
    throw new ConfigError('HUB_METRICS_TOKEN', 'must be at least 16 characters of letters, digits and ._~+/=-');
  }
  return {
    logLevel: logLevel as LogLevel,
    shutdownGraceMs: integer(env, 'HUB_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    metricsToken,
  };
}

function loadRequestLimits(env: NodeJS.ProcessEnv): RequestLimits {
  return {
    maxDepth: integer(env, 'HUB_MAX_DEPTH', 12, 2, 100),
    maxAliases: 30,
    maxDirectives: 50,
    maxTokens: 5000,
    maxQueryBytes: 50_000,
    maxCost: integer(env, 'HUB_MAX_COST', 50_000, 1, 100_000_000),
    maxBodyBytes: integer(env, 'HUB_MAX_BODY_BYTES', 100 * 1024, 1024, 100 * 1024 * 1024),
    ratePerMinute: integer(env, 'HUB_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    rateBurst: integer(env, 'HUB_RATE_LIMIT_BURST', 60, 1, 100_000),
  };
}

function loadAuthConfig(env: NodeJS.ProcessEnv, production: boolean): AuthConfig {
  const secret = env.HUB_JWT_SECRET || undefined;
  if (secret !== undefined && secret.length < 32) throw new ConfigError('HUB_JWT_SECRET', 'must be at least 32 characters');
  const publicKeyFile = env.HUB_JWT_PUBLIC_KEY_FILE || undefined;
  const jwksFile = env.HUB_JWKS_FILE || undefined;
  const sources = [secret, publicKeyFile, jwksFile].filter((v) => v !== undefined).length;
  if (sources > 1) throw new ConfigError('HUB_JWT_SECRET', 'and HUB_JWT_PUBLIC_KEY_FILE and HUB_JWKS_FILE are alternatives: set one');
  if (production && sources === 0) throw new ConfigError('HUB_JWT_PUBLIC_KEY_FILE', 'or HUB_JWKS_FILE or HUB_JWT_SECRET must be set in production');
  return {
    secret,
    publicKeyFile: publicKeyFile && path.resolve(publicKeyFile),
    jwksFile: jwksFile && path.resolve(jwksFile),
    devSecretFile: path.resolve(env.HUB_DEV_SECRET_FILE || '.data/dev-jwt-secret'),
    issuer: env.HUB_JWT_ISSUER || 'shanghai-assistance-hub',
    audience: env.HUB_JWT_AUDIENCE || 'hub',
  };
}
