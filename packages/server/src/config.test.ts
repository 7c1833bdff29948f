import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, VARIABLE_NAMES, type VariableName } from './config';
import { createLogger } from './logger';
import { openService } from './service';

const KEY_MATERIAL = Buffer.alloc(32, 5).toString('base64');
const SHORT_KEY_MATERIAL = Buffer.alloc(16, 5).toString('base64');
/** Values that must never appear in an error message, whatever else is wrong. */
const SECRET_VARIABLES: VariableName[] = ['LATCHKEY_ENCRYPTION_KEYS', 'LATCHKEY_ADMIN_PASSWORD'];

/**
 * Invalid values of every variable. Typed as a full record so that a new variable does not
 * compile until it has its invalid values here; `'free-form'` marks the ones that take any text.
 */
const INVALID: Record<VariableName, readonly string[] | 'free-form'> = {
  LATCHKEY_PORT: ['abc', '0', '65536', '-1', '1.5', '5601x', ' 5601'],
  LATCHKEY_HOST: 'free-form',
  LATCHKEY_PUBLIC_BASE_URL: [
    'localhost:5601',
    'not a url',
    'ftp://latchkey.example.com',
    'https://latchkey.example.com/latchkey',
    'https://latchkey.example.com/?a=1',
    'https://latchkey.example.com/#top',
    'https://user:pw@latchkey.example.com',
  ],
  LATCHKEY_DATA_DIR: 'free-form',
  LATCHKEY_DATABASE_URL: [
    'mysql://db.example.com/latchkey',
    'mongodb://db.example.com/x',
    'postgres://latchkey:pg-secret-pw@/latchkey',
    'postgresql://latchkey:pg-secret-pw@db.example.com:5432',
    'postgres://latchkey:pg-secret-pw@db.example.com:99999/latchkey',
    'postgres://latchkey:pg-secret-pw@db.example.com/a/b',
  ],
  LATCHKEY_REDIS_URL: [
    'http://redis.example.com:6379',
    'redis.example.com:6379',
    'redis://:redis-secret-pw@/0',
    'redis://:redis-secret-pw@redis.example.com:6379/db',
    'rediss://:redis-secret-pw@redis.example.com:99999',
    'redis://:redis-secret-pw@redis.example.com/0#x',
  ],
  LATCHKEY_REDIS_PREFIX: ['has space', 'a/b', 'x'.repeat(65), 'key*'],
  LATCHKEY_DATABASE_POOL_SIZE: ['0', '1001', 'ten'],
  LATCHKEY_DATABASE_STATEMENT_TIMEOUT_MS: ['99', '600001', '10s'],
  LATCHKEY_ENCRYPTION_KEYS: [
    `just-the-key-without-an-id-${KEY_MATERIAL}`,
    `k1:${SHORT_KEY_MATERIAL}`,
    `k1:${KEY_MATERIAL},k1:${KEY_MATERIAL}`,
    `bad id:${KEY_MATERIAL}`,
    ' , ',
  ],
  LATCHKEY_ADMIN_PASSWORD: ['short-pw-1', `long-${'x'.repeat(1020)}`],
  LATCHKEY_ALLOW_HTTP_LOOPBACK: ['yes', 'TRUE', 'on', '2'],
  LATCHKEY_EGRESS_ALLOW: ['10.0.0.0/33', '10.0.0.0/8,not a host', 'https://idp.corp', '0x7f.1'],
  LATCHKEY_LOG_LEVEL: ['verbose', 'INFO', 'warning'],
  LATCHKEY_TRUST_PROXY: [
    'true',
    'TRUE',
    'yes',
    '11',
    '1.5',
    '-1',
    '10.0.0',
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0.0/8/8',
    '0.0.0.0/0',
    '::/0',
    '10.0.0.1,',
    'loopback',
    'proxy.example.com',
  ],
  LATCHKEY_BODY_LIMIT_BYTES: ['1023', '10485761', '64kb'],
  LATCHKEY_SESSION_TTL_SECONDS: ['59', '2592001', '8h'],
  LATCHKEY_CONNECT_SESSION_TTL_SECONDS: ['59', '86401', '30m'],
  LATCHKEY_CONNECT_SESSION_LIMIT_PER_MINUTE: ['0', '100001', 'lots'],
  LATCHKEY_CONNECT_RETURN_ORIGINS: [
    'app.example.com',
    'https://app.example.com/path',
    'https://app.example.com,ftp://files.example.com',
    'https://app.example.com/?x=1',
    'https://user@app.example.com',
    '*',
  ],
  LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: ['0', '10001', 'many'],
  LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: ['0', '100001'],
  LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS: ['0', '86401'],
  LATCHKEY_PASSWORD_HASH_CONCURRENCY: ['0', '65', 'all'],
  LATCHKEY_PASSWORD_HASH_QUEUE_SIZE: ['-1', '10001', 'none'],
  LATCHKEY_OAUTH_STATE_TTL_SECONDS: ['59', '3601', '10m'],
  LATCHKEY_OAUTH_START_LIMIT_PER_HOUR: ['0', '100001'],
  LATCHKEY_OAUTH_CALLBACK_LIMIT_PER_HOUR: ['0', '100001'],
  LATCHKEY_PROVIDER_TIMEOUT_MS: ['99', '120001', '10s'],
  LATCHKEY_JOBS_ENABLED: ['yes', 'off'],
  LATCHKEY_FLOW_CLEANUP_INTERVAL_SECONDS: ['9', '86401'],
  LATCHKEY_REVOCATION_RETRY_INTERVAL_SECONDS: ['4', '86401'],
  LATCHKEY_KEEP_ALIVE_INTERVAL_SECONDS: ['9', '86401'],
  LATCHKEY_KEEP_ALIVE_CONCURRENCY: ['0', '65'],
  LATCHKEY_KEEP_ALIVE_JITTER_SECONDS: ['-1', '3601'],
  LATCHKEY_UNUSED_CONNECTION_DAYS: ['-1', '3651'],
  LATCHKEY_AUDIT_RETENTION_DAYS: ['-1', '36501', '1y'],
  LATCHKEY_WEBHOOK_RETRY_BASE_SECONDS: ['0', '3601', '15s'],
  LATCHKEY_WEBHOOK_DISABLE_AFTER_DAYS: ['0', '366'],
  LATCHKEY_WEBHOOK_RETENTION_DAYS: ['-1', '36501', '30d'],
  LATCHKEY_REFRESH_MARGIN_SECONDS: ['-1', '3601', '1m'],
  LATCHKEY_REFRESH_LOCK_WAIT_MS: ['-1', '120001', '5s'],
  LATCHKEY_PROXY_TIMEOUT_MS: ['99', '600001'],
  LATCHKEY_PROXY_BODY_LIMIT_BYTES: ['-1', '1073741825', '10mb'],
  LATCHKEY_PROXY_RESPONSE_LIMIT_BYTES: ['1023', '1073741825'],
  LATCHKEY_PROXY_MAX_CONCURRENT_CALLS: ['0', '100001', 'many'],
  LATCHKEY_PROXY_MAX_BUFFERED_BYTES: ['2097151', '68719476737', '256mb'],
  LATCHKEY_METRICS_ADDRESS: ['9464', 'localhost', '::1:9464', '127.0.0.1:65536', 'false'],
};

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const silent = createLogger('silent');

/** Everything `npm start` checks before it listens: the variables, the keys, the database URL. */
async function startupError(env: Record<string, string>): Promise<ConfigError> {
  try {
    const config = loadConfig({ LATCHKEY_DATA_DIR: dataDir, ...env });
    await (await openService(config, silent, { announce: () => {} })).close();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

const invalidCases = Object.entries(INVALID).flatMap(([name, values]) =>
  values === 'free-form' ? [] : values.map((value) => [name as VariableName, value] as const),
);

describe('configuration', () => {
  it('has invalid values listed here for every variable it reads', () => {
    expect(Object.keys(INVALID).sort()).toEqual([...VARIABLE_NAMES].sort());
  });

  it.each(invalidCases)('refuses %s=%j, naming the variable', async (name, value) => {
    const error = await startupError({ [name]: value });
    expect(error.message).toContain(`${name}:`);
    if (SECRET_VARIABLES.includes(name)) {
      expect(error.message).not.toContain(value.trim());
      expect(error.message).not.toContain(KEY_MATERIAL);
      expect(error.message).not.toContain(SHORT_KEY_MATERIAL);
    }
  });

  it('says what is allowed and names every bad variable at once', () => {
    expect(() =>
      loadConfig({ LATCHKEY_PORT: 'abc', LATCHKEY_LOG_LEVEL: 'loud', LATCHKEY_HOST: 'h' }),
    ).toThrow(
      /LATCHKEY_PORT: expected an integer from 1 to 65535 \(got "abc"\)\n\s+LATCHKEY_LOG_LEVEL: expected fatal, error/,
    );
  });

  it('refuses an unknown LATCHKEY_ variable by name, and ignores other variables', () => {
    expect(() => loadConfig({ LATCHKEY_PROT: '5601' })).toThrow(/LATCHKEY_PROT: unknown variable/);
    expect(() => loadConfig({ PORT: 'abc', NODE_ENV: 'production' })).not.toThrow();
  });

  it('accepts the boundaries of ranges and any text for free-form variables', () => {
    const config = loadConfig({
      LATCHKEY_PORT: '65535',
      LATCHKEY_BODY_LIMIT_BYTES: '1024',
      LATCHKEY_HOST: '::',
      LATCHKEY_DATA_DIR: '/var/lib/latchkey data',
      LATCHKEY_ALLOW_HTTP_LOOPBACK: '1',
      LATCHKEY_EGRESS_ALLOW: ' 10.20.0.0/16, IdP.corp.example ,fd12::/48,192.168.7.7',
      LATCHKEY_PUBLIC_BASE_URL: 'https://latchkey.example.com/',
    });
    expect(config).toMatchObject({
      port: 65535,
      bodyLimitBytes: 1024,
      host: '::',
      dataDir: '/var/lib/latchkey data',
      allowHttpLoopback: true,
      egressAllow: ['10.20.0.0/16', 'IdP.corp.example', 'fd12::/48', '192.168.7.7'],
      publicBaseUrl: 'https://latchkey.example.com',
    });
  });

  it('uses the documented defaults, and treats an empty value as unset', () => {
    const dataDirDefault = resolve('./data');
    const expected = {
      port: 5601,
      host: 'localhost',
      publicBaseUrl: 'http://localhost:5601',
      dataDir: dataDirDefault,
      databaseUrl: `sqlite:${join(dataDirDefault, 'latchkey.sqlite')}`,
      encryptionKeys: undefined,
      adminPassword: undefined,
      allowHttpLoopback: false,
      egressAllow: [],
      logLevel: 'info',
      trustProxy: false,
      bodyLimitBytes: 65536,
      sessionTtlSeconds: 28800,
      loginLimitPerAccount: 10,
      loginLimitPerAddress: 50,
      loginLimitWindowSeconds: 900,
      passwordHashConcurrency: 2,
      passwordHashQueueSize: 16,
    };
    expect(loadConfig({})).toMatchObject(expected);
    expect(loadConfig({ LATCHKEY_PORT: '', LATCHKEY_LOG_LEVEL: '' })).toMatchObject(expected);
  });

  it('reads LATCHKEY_METRICS_ADDRESS as host:port, a bracketed IPv6 address, or off', () => {
    const metricsAddress = (value: string) =>
      loadConfig({ LATCHKEY_METRICS_ADDRESS: value }).metricsAddress;
    expect(loadConfig({}).metricsAddress).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(metricsAddress('0.0.0.0:9100')).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(metricsAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(metricsAddress('metrics.internal:9464')).toEqual({
      host: 'metrics.internal',
      port: 9464,
    });
    expect(metricsAddress('off')).toBeUndefined();
  });

  it('refuses LATCHKEY_TRUST_PROXY=true, saying what to use instead', () => {
    expect(() => loadConfig({ LATCHKEY_TRUST_PROXY: 'true' })).toThrow(
      /LATCHKEY_TRUST_PROXY: expected a hop count .*1 behind one load balancer.*proxy addresses and CIDRs.*true is refused: it believes entries that clients write/,
    );
  });

  it('reads LATCHKEY_TRUST_PROXY as nothing, a hop count, or proxy addresses and CIDRs', () => {
    const trustProxy = (value: string) => loadConfig({ LATCHKEY_TRUST_PROXY: value }).trustProxy;
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
    expect(trustProxy('00')).toBe(false);
    // `1` was a boolean `true` once; it is a hop count now, the safe reading of the same intent.
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('10')).toBe(10);
    expect(trustProxy('10.1.2.3')).toEqual(['10.1.2.3']);
    expect(trustProxy('10.0.0.0/8, 2001:db8::/32 ,::1,::ffff:10.0.0.0/104')).toEqual([
      '10.0.0.0/8',
      '2001:db8::/32',
      '::1',
      '::ffff:10.0.0.0/104',
    ]);
  });

  it('never shows the password of a database URL it refuses', async () => {
    for (const value of INVALID.LATCHKEY_DATABASE_URL) {
      const error = await startupError({ LATCHKEY_DATABASE_URL: value });
      expect(error.message).not.toContain('pg-secret-pw');
    }
    for (const value of [
      'postgres://latchkey:pg-secret-pw@db.example.com/a/b',
      // pg reads a password from the query too; a raw `/` in it makes the URL unparseable.
      'postgres://latchkey@db.example.com/?password=pg-secret-pw',
      'postgres://latchkey:pg/secret-pw@db.example.com/latchkey',
      'postgres://latchkey:pg@secret-pw@db.example.com/a/b',
    ]) {
      const error = await startupError({ LATCHKEY_DATABASE_URL: value });
      expect(error.message).toContain('LATCHKEY_DATABASE_URL');
      expect(error.message).not.toMatch(/secret-pw|pg-secret/);
    }
    const error = await startupError({
      LATCHKEY_DATABASE_URL: 'postgres://latchkey:pg-secret-pw@db.example.com/a/b',
    });
    expect(error.message).toContain('no database name');
  });

  it('never shows the password of a Redis URL it refuses', async () => {
    for (const value of INVALID.LATCHKEY_REDIS_URL) {
      const error = await startupError({ LATCHKEY_REDIS_URL: value });
      expect(error.message).toContain('LATCHKEY_REDIS_URL: expected a redis:// or rediss:// URL');
      expect(error.message).not.toContain('redis-secret-pw');
    }
  });

  it('reads a Redis URL and a key prefix, and shares nothing without a URL', () => {
    expect(loadConfig({})).toMatchObject({ redisUrl: undefined, redisPrefix: 'latchkey:' });
    const config = loadConfig({
      LATCHKEY_REDIS_URL: 'rediss://:pw@redis.example.com:6380/2',
      LATCHKEY_REDIS_PREFIX: 'latchkey-staging:',
    });
    expect(config).toMatchObject({
      redisUrl: 'rediss://:pw@redis.example.com:6380/2',
      redisPrefix: 'latchkey-staging:',
    });
    expect(loadConfig({ LATCHKEY_REDIS_URL: 'redis://localhost' }).redisUrl).toBe(
      'redis://localhost',
    );
  });

  it('reads a PostgreSQL URL with its pool size and statement timeout', () => {
    const config = loadConfig({
      LATCHKEY_DATABASE_URL:
        'postgresql://latchkey:pw@db.example.com:6432/latchkey?sslmode=require',
      LATCHKEY_DATABASE_POOL_SIZE: '25',
      LATCHKEY_DATABASE_STATEMENT_TIMEOUT_MS: '5000',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://latchkey:pw@db.example.com:6432/latchkey?sslmode=require',
      databasePoolSize: 25,
      databaseStatementTimeoutMs: 5000,
    });
    expect(loadConfig({})).toMatchObject({
      databasePoolSize: 10,
      databaseStatementTimeoutMs: 10000,
    });
  });

  it('puts the SQLite file in the data directory unless LATCHKEY_DATABASE_URL says otherwise', () => {
    expect(loadConfig({ LATCHKEY_DATA_DIR: '/srv/lk' }).databaseUrl).toBe(
      'sqlite:/srv/lk/latchkey.sqlite',
    );
    expect(loadConfig({ LATCHKEY_DATABASE_URL: 'sqlite:/tmp/x.db' }).databaseUrl).toBe(
      'sqlite:/tmp/x.db',
    );
  });
});
