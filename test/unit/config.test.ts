import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

/** The ConfigError that loadConfig throws for `env`. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('has working defaults for an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      databaseUrl: undefined,
      dataDir: path.resolve('.data/pglite'),
      host: '0.0.0.0',
      port: 4000,
      seed: 'demo',
      poolSize: 10,
      maxPageSize: 100,
      logSql: false,
      production: false,
      auth: { secret: undefined, publicKeyFile: undefined, jwksFile: undefined, devSecretFile: path.resolve('.data/dev-jwt-secret'), issuer: 'shanghai-assistance-hub', audience: 'hub' },
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '', HUB_SEED: '', HUB_DATA_DIR: '', HOST: '', HUB_DB_POOL_SIZE: '', HUB_MAX_PAGE_SIZE: '', HUB_LOG_SQL: '' })).toEqual(loadConfig({}));
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://hub:secret@db.internal:5432/hub',
      HUB_DATA_DIR: '/var/lib/hub',
      HOST: '127.0.0.1',
      PORT: '8080',
      HUB_SEED: 'none',
      HUB_DB_POOL_SIZE: '25',
      HUB_MAX_PAGE_SIZE: '500',
      HUB_LOG_SQL: 'true',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://hub:secret@db.internal:5432/hub',
      dataDir: '/var/lib/hub',
      host: '127.0.0.1',
      port: 8080,
      seed: 'none',
      poolSize: 25,
      maxPageSize: 500,
      logSql: true,
    });
  });

  it.each(['0', '1', '4000', '65535', ' 8080 '])('accepts PORT=%j', (port) => {
    expect(loadConfig({ PORT: port }).port).toBe(Number(port));
  });

  it.each(['-1', '65536', '99999', '80.5', '80.0', 'abc', '0x1f90', '1e3', '8080abc', ' ', 'Infinity', 'NaN'])('refuses PORT=%j with a ConfigError naming PORT', (port) => {
    const error = configError({ PORT: port });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('0 to 65535');
  });

  it.each([
    ['HUB_DB_POOL_SIZE', '0'],
    ['HUB_DB_POOL_SIZE', '201'],
    ['HUB_MAX_PAGE_SIZE', '0'],
    ['HUB_MAX_PAGE_SIZE', '1001'],
    ['HUB_MAX_PAGE_SIZE', 'ten'],
  ])('refuses %s=%j with a ConfigError naming it', (name, value) => {
    expect(configError({ [name]: value }).message).toContain(name);
  });

  it.each(['postgres://postgres@127.0.0.1:5432/hub', 'postgresql://hub@localhost/hub'])('accepts DATABASE_URL=%j', (url) => {
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it.each(['mysql://root:pw@localhost/hub', 'http://postgres@localhost/hub', 'localhost:5432/hub', 'POSTGRES://x@y/z', ' postgres://x@y/z'])(
    'refuses DATABASE_URL=%j without repeating it',
    (url) => {
      const error = configError({ DATABASE_URL: url });
      expect(error.message).toContain('DATABASE_URL');
      expect(error.message).toContain('postgres://');
      // The URL may hold a password: the message never quotes it.
      expect(error.message).not.toContain(url.trim());
    },
  );

  it('reads a reporting replica only beside a PostgreSQL primary, and never quotes its URL', () => {
    const primary = 'postgresql://hub:secret@db.internal:5432/hub';
    const replica = 'postgresql://reader:secret@replica.internal:5432/hub';
    expect(loadConfig({}).reportingDatabaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: primary, HUB_REPORTING_DATABASE_URL: replica }).reportingDatabaseUrl).toBe(replica);
    const alone = configError({ HUB_REPORTING_DATABASE_URL: replica });
    expect(alone.message).toContain('HUB_REPORTING_DATABASE_URL');
    expect(alone.message).toContain('DATABASE_URL');
    expect(alone.message).not.toContain(replica);
    const wrong = configError({ DATABASE_URL: primary, HUB_REPORTING_DATABASE_URL: 'mysql://reader:secret@replica/hub' });
    expect(wrong.message).toContain('HUB_REPORTING_DATABASE_URL');
    expect(wrong.message).not.toContain('secret');
  });

  it.each(['demo', 'none'])('accepts HUB_SEED=%j', (seed) => {
    expect(loadConfig({ HUB_SEED: seed }).seed).toBe(seed);
  });

  it.each(['DEMO', 'yes', 'true', 'full'])('refuses HUB_SEED=%j', (seed) => {
    const error = configError({ HUB_SEED: seed });
    expect(error.message).toContain('HUB_SEED');
    expect(error.message).toContain('"demo" or "none"');
  });

  it.each([
    ['1', true],
    ['true', true],
    ['0', false],
    ['false', false],
  ])('reads HUB_LOG_SQL=%j as %s', (raw, value) => {
    expect(loadConfig({ HUB_LOG_SQL: raw }).logSql).toBe(value);
  });

  it('reads the operations variables: log level, shutdown grace, metrics token', () => {
    expect(loadConfig({}).operations).toEqual({ logLevel: 'info', shutdownGraceMs: 10_000, metricsToken: undefined });
    expect(loadConfig({ HUB_LOG_LEVEL: 'debug', HUB_SHUTDOWN_GRACE_MS: '2500', HUB_METRICS_TOKEN: 'scrape-0123456789abcdef' }).operations).toEqual({
      logLevel: 'debug',
      shutdownGraceMs: 2500,
      metricsToken: 'scrape-0123456789abcdef',
    });
    expect(configError({ HUB_LOG_LEVEL: 'verbose' }).message).toBe('Configuration variable HUB_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"');
    expect(configError({ HUB_SHUTDOWN_GRACE_MS: '-1' }).message).toContain('HUB_SHUTDOWN_GRACE_MS must be an integer from 0 to 600000');
    // A short token is refused without being repeated in the message.
    const short = configError({ HUB_METRICS_TOKEN: 'short' });
    expect(short.message).toContain('HUB_METRICS_TOKEN must be at least 16 characters');
    expect(short.message).not.toContain('"short"');
  });

  it('runs the scheduled jobs every minute without the federation subgraph by default, and reads both settings', () => {
    expect(loadConfig({})).toMatchObject({ jobIntervalSeconds: 60, federation: false });
    expect(loadConfig({ HUB_JOB_INTERVAL_SECONDS: '5', HUB_FEDERATION: '1' })).toMatchObject({ jobIntervalSeconds: 5, federation: true });
    expect(configError({ HUB_JOB_INTERVAL_SECONDS: '0' }).message).toContain('HUB_JOB_INTERVAL_SECONDS');
    expect(configError({ HUB_FEDERATION: 'on' }).message).toContain('HUB_FEDERATION');
  });

  it('refuses HUB_LOG_SQL=yes', () => {
    expect(configError({ HUB_LOG_SQL: 'yes' }).message).toContain('HUB_LOG_SQL');
  });

  it('resolves a relative HUB_DATA_DIR against the working directory', () => {
    expect(loadConfig({ HUB_DATA_DIR: 'tmp/db' }).dataDir).toBe(path.resolve('tmp/db'));
  });

  describe('token keys', () => {
    it('takes a shared secret of at least 32 characters', () => {
      expect(loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32) }).auth.secret).toBe('x'.repeat(32));
      expect(() => loadConfig({ HUB_JWT_SECRET: 'short' })).toThrow(/HUB_JWT_SECRET/);
    });

    it('refuses two key sources at once', () => {
      expect(() => loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32), HUB_JWKS_FILE: 'keys.json' })).toThrow(ConfigError);
    });

    it('requires configured keys in production and allows the development secret otherwise', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/production/);
      expect(loadConfig({ NODE_ENV: 'production', HUB_JWKS_FILE: '/etc/hub/jwks.json' })).toMatchObject({ production: true, auth: { jwksFile: '/etc/hub/jwks.json' } });
      expect(loadConfig({}).production).toBe(false);
    });
  });
});
