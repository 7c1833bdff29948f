import { resolve } from 'node:path';
import { parseEgressAllowList, splitEgressAllowList } from '@latchkey/outbound';
import { parseDatabaseUrl } from '@latchkey/store';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { type ListenAddress, parseListenAddress } from './metrics/listen-address';

/**
 * The only place that reads the environment. Every variable is documented in
 * docs/configuration.md; `config.test.ts` keeps the two in step.
 */
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `an integer from ${min} to ${max}`)
        .max(max, `an integer from ${min} to ${max}`),
    );

const boolean = z
  .enum(['true', 'false', '1', '0'], { message: 'true or false' })
  .transform((v) => v === 'true' || v === '1');

const publicBaseUrl = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value);
    if (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash &&
      !url.username
    ) {
      return url.origin;
    }
  } catch {}
  ctx.addIssue({
    code: 'custom',
    message: 'an http(s) origin such as https://latchkey.example.com (no path)',
  });
  return z.NEVER;
});

/**
 * Whose `X-Forwarded-For` entries count: nobody's (`false`), the nearest `number` hops', or
 * proxies at these addresses and CIDR ranges. Never everybody's: see `trustedProxies`.
 */
export type TrustedProxies = false | number | string[];

const MAX_PROXY_HOPS = 10;
const TRUSTED_PROXIES_EXPECTED = `a hop count from 1 to ${MAX_PROXY_HOPS} (1 behind one load balancer), or proxy addresses and CIDRs (not /0) such as 10.0.0.0/8,2001:db8::/32`;

/** An IPv4 (four-part decimal) or IPv6 address, alone or as a CIDR range narrower than /0. */
function isProxyAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const ipv4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  if (rest.length > 0 || !(ipv4 || ipaddr.IPv6.isValid(address))) return false;
  if (prefix === undefined) return true;
  // `/0` trusts every address: the same hole as `true`.
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (ipv4 ? 32 : 128);
}

// `true` made Fastify trust every hop, so `request.ip` became the left-most X-Forwarded-For
// entry, which the client writes: each request could claim a new address.
const trustedProxies = z.string().transform((value, ctx): TrustedProxies => {
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops <= MAX_PROXY_HOPS) return hops === 0 ? false : hops;
  } else {
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isProxyAddressOrRange)) return entries;
  }
  const refusedTrue =
    value === 'true' ? '; true is refused: it believes entries that clients write' : '';
  ctx.addIssue({ code: 'custom', message: `${TRUSTED_PROXIES_EXPECTED}${refusedTrue}` });
  return z.NEVER;
});

const egressAllowList = z.string().transform((value, ctx) => {
  const entries = splitEgressAllowList(value);
  try {
    parseEgressAllowList(entries);
    return entries;
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `comma-separated CIDR blocks, addresses and host names: ${(error as Error).message}`,
    });
    return z.NEVER;
  }
});

const databaseUrl = z.string().transform((value, ctx) => {
  try {
    parseDatabaseUrl(value);
    return value;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const REDIS_URL_EXPECTED =
  'a redis:// or rediss:// URL with a host, an optional port and database number, such as redis://redis.example.com:6379/0';

/** What ioredis reads from a URL; anything else would be read as a Unix socket or a path. */
const redisUrl = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value);
    if (
      (url.protocol === 'redis:' || url.protocol === 'rediss:') &&
      url.hostname !== '' &&
      /^(\/\d{0,2})?$/.test(url.pathname) &&
      !url.hash
    ) {
      return value;
    }
  } catch {}
  ctx.addIssue({ code: 'custom', message: REDIS_URL_EXPECTED });
  return z.NEVER;
});

const metricsAddress = z.string().transform((value, ctx): ListenAddress | undefined => {
  if (value === 'off') return undefined;
  try {
    return parseListenAddress(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Origins (scheme, host, port; no path) that connect sessions may return to and call from. */
const originList = z.string().transform((value, ctx) => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const origins: string[] = [];
  for (const entry of entries) {
    const origin = publicBaseUrl.safeParse(entry);
    if (!origin.success || origin.data !== entry.replace(/\/$/, '')) {
      ctx.addIssue({
        code: 'custom',
        message: 'comma-separated http(s) origins such as https://app.example.com (no path)',
      });
      return z.NEVER;
    }
    origins.push(origin.data);
  }
  return origins;
});

const VARIABLES = {
  LATCHKEY_PORT: { schema: integer(1, 65535), default: '5601', secret: false },
  LATCHKEY_HOST: {
    schema: z.string().min(1, 'a host name or address'),
    default: 'localhost',
    secret: false,
  },
  LATCHKEY_PUBLIC_BASE_URL: {
    schema: publicBaseUrl,
    default: 'http://localhost:5601',
    secret: false,
  },
  LATCHKEY_DATA_DIR: {
    schema: z.string().min(1, 'a directory path'),
    default: './data',
    secret: false,
  },
  LATCHKEY_DATABASE_URL: {
    schema: databaseUrl.optional(),
    default: undefined,
    // A PostgreSQL URL may hold a password, in places no mask finds them all (`?password=`,
    // a `/` in it): an error names the problem, never the value.
    secret: true,
  },
  LATCHKEY_DATABASE_POOL_SIZE: { schema: integer(1, 1000), default: '10', secret: false },
  LATCHKEY_DATABASE_STATEMENT_TIMEOUT_MS: {
    schema: integer(100, 600000),
    default: '10000',
    secret: false,
  },
  LATCHKEY_REDIS_URL: {
    schema: redisUrl.optional(),
    default: undefined,
    // It may carry a password (`redis://:password@host`): an error never repeats it.
    secret: true,
  },
  LATCHKEY_REDIS_PREFIX: {
    schema: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, '1-64 letters, digits, or any of _ . : -'),
    default: 'latchkey:',
    secret: false,
  },
  LATCHKEY_ENCRYPTION_KEYS: {
    schema: z.string().min(1, 'id:base64key[,id:base64key…]').optional(),
    default: undefined,
    secret: true,
  },
  LATCHKEY_ADMIN_PASSWORD: {
    schema: z
      .string()
      .min(12, 'at least 12 characters')
      .max(1024, 'at most 1024 characters')
      .optional(),
    default: undefined,
    secret: true,
  },
  LATCHKEY_ALLOW_HTTP_LOOPBACK: { schema: boolean, default: 'false', secret: false },
  LATCHKEY_EGRESS_ALLOW: { schema: egressAllowList, default: '', secret: false },
  LATCHKEY_LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'fatal, error, warn, info, debug, trace or silent',
    }),
    default: 'info',
    secret: false,
  },
  LATCHKEY_TRUST_PROXY: { schema: trustedProxies, default: 'false', secret: false },
  LATCHKEY_BODY_LIMIT_BYTES: {
    schema: integer(1024, 10 * 1024 * 1024),
    default: '65536',
    secret: false,
  },
  LATCHKEY_SESSION_TTL_SECONDS: {
    schema: integer(60, 30 * 86400),
    default: '28800',
    secret: false,
  },
  LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: { schema: integer(1, 10000), default: '10', secret: false },
  LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: { schema: integer(1, 100000), default: '50', secret: false },
  LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS: { schema: integer(1, 86400), default: '900', secret: false },
  LATCHKEY_PASSWORD_HASH_CONCURRENCY: { schema: integer(1, 64), default: '2', secret: false },
  LATCHKEY_PASSWORD_HASH_QUEUE_SIZE: { schema: integer(0, 10000), default: '16', secret: false },
  LATCHKEY_OAUTH_STATE_TTL_SECONDS: { schema: integer(60, 3600), default: '600', secret: false },
  LATCHKEY_OAUTH_START_LIMIT_PER_HOUR: { schema: integer(1, 100000), default: '10', secret: false },
  LATCHKEY_OAUTH_CALLBACK_LIMIT_PER_HOUR: {
    schema: integer(1, 100000),
    default: '50',
    secret: false,
  },
  LATCHKEY_CONNECT_SESSION_TTL_SECONDS: {
    schema: integer(60, 86400),
    default: '1800',
    secret: false,
  },
  LATCHKEY_CONNECT_SESSION_LIMIT_PER_MINUTE: {
    schema: integer(1, 100000),
    default: '60',
    secret: false,
  },
  LATCHKEY_CONNECT_RETURN_ORIGINS: { schema: originList, default: '', secret: false },
  LATCHKEY_PROVIDER_TIMEOUT_MS: { schema: integer(100, 120000), default: '10000', secret: false },
  LATCHKEY_JOBS_ENABLED: { schema: boolean, default: 'true', secret: false },
  LATCHKEY_FLOW_CLEANUP_INTERVAL_SECONDS: {
    schema: integer(10, 86400),
    default: '1800',
    secret: false,
  },
  LATCHKEY_REVOCATION_RETRY_INTERVAL_SECONDS: {
    schema: integer(5, 86400),
    default: '60',
    secret: false,
  },
  LATCHKEY_KEEP_ALIVE_INTERVAL_SECONDS: {
    schema: integer(10, 86400),
    default: '600',
    secret: false,
  },
  LATCHKEY_KEEP_ALIVE_CONCURRENCY: { schema: integer(1, 64), default: '4', secret: false },
  LATCHKEY_KEEP_ALIVE_JITTER_SECONDS: { schema: integer(0, 3600), default: '60', secret: false },
  LATCHKEY_REFRESH_MARGIN_SECONDS: { schema: integer(0, 3600), default: '60', secret: false },
  LATCHKEY_REFRESH_LOCK_WAIT_MS: { schema: integer(0, 120000), default: '5000', secret: false },
  LATCHKEY_PROXY_TIMEOUT_MS: { schema: integer(100, 600000), default: '30000', secret: false },
  LATCHKEY_PROXY_BODY_LIMIT_BYTES: {
    schema: integer(0, 1024 * 1024 * 1024),
    default: String(10 * 1024 * 1024),
    secret: false,
  },
  LATCHKEY_PROXY_RESPONSE_LIMIT_BYTES: {
    schema: integer(1024, 1024 * 1024 * 1024),
    default: String(50 * 1024 * 1024),
    secret: false,
  },
  LATCHKEY_PROXY_MAX_CONCURRENT_CALLS: {
    schema: integer(1, 100000),
    default: '1024',
    secret: false,
  },
  LATCHKEY_PROXY_MAX_BUFFERED_BYTES: {
    schema: integer(2 * 1024 * 1024, 64 * 1024 * 1024 * 1024),
    default: String(256 * 1024 * 1024),
    secret: false,
  },
  LATCHKEY_UNUSED_CONNECTION_DAYS: { schema: integer(0, 3650), default: '90', secret: false },
  LATCHKEY_AUDIT_RETENTION_DAYS: { schema: integer(0, 36500), default: '365', secret: false },
  LATCHKEY_WEBHOOK_RETRY_BASE_SECONDS: { schema: integer(1, 3600), default: '15', secret: false },
  LATCHKEY_WEBHOOK_DISABLE_AFTER_DAYS: { schema: integer(1, 365), default: '3', secret: false },
  LATCHKEY_WEBHOOK_RETENTION_DAYS: { schema: integer(0, 36500), default: '30', secret: false },
  LATCHKEY_METRICS_ADDRESS: { schema: metricsAddress, default: '127.0.0.1:9464', secret: false },
} as const;

export type VariableName = keyof typeof VARIABLES;
export const VARIABLE_NAMES = Object.keys(VARIABLES) as VariableName[];

type Parsed = { [K in VariableName]: z.output<(typeof VARIABLES)[K]['schema']> };

export interface Config {
  port: number;
  host: string;
  publicBaseUrl: string;
  dataDir: string;
  databaseUrl: string;
  /** PostgreSQL: connections in this instance's pool. */
  databasePoolSize: number;
  /** PostgreSQL: the longest one statement may run, waiting for a lock included. */
  databaseStatementTimeoutMs: number;
  /** Rate-limit counters shared by every instance; per instance when unset. */
  redisUrl: string | undefined;
  /** Starts every key Latchkey writes to Redis, so deployments sharing one never mix. */
  redisPrefix: string;
  encryptionKeys: string | undefined;
  adminPassword: string | undefined;
  allowHttpLoopback: boolean;
  /** Beyond public addresses, what outbound connections may reach (docs/egress.md). */
  egressAllow: string[];
  logLevel: Parsed['LATCHKEY_LOG_LEVEL'];
  trustProxy: TrustedProxies;
  bodyLimitBytes: number;
  sessionTtlSeconds: number;
  loginLimitPerAccount: number;
  loginLimitPerAddress: number;
  loginLimitWindowSeconds: number;
  /** scrypt runs at once (each takes about 128 MiB and a libuv thread). */
  passwordHashConcurrency: number;
  /** Password checks that may wait for a slot; one more gets `503 server_busy`. */
  passwordHashQueueSize: number;
  oauthStateTtlSeconds: number;
  oauthStartLimitPerHour: number;
  oauthCallbackLimitPerHour: number;
  connectSessionTtlSeconds: number;
  /** Connect sessions one API key may create per minute. */
  connectSessionLimitPerMinute: number;
  /** The apps' origins: connect sessions may return there, and call their routes from there. */
  connectReturnOrigins: string[];
  providerTimeoutMs: number;
  jobsEnabled: boolean;
  flowCleanupIntervalSeconds: number;
  revocationRetryIntervalSeconds: number;
  /** How often the keep-alive job looks for connections of opted-in connectors to refresh. */
  keepAliveIntervalSeconds: number;
  /** Refreshes the keep-alive job runs at once. */
  keepAliveConcurrency: number;
  /** Each keep-alive refresh waits a random delay up to this, to spread them out. */
  keepAliveJitterSeconds: number;
  refreshMarginSeconds: number;
  /** How long a refresh waits for another's lock on the connection; then `refresh_busy`. */
  refreshLockWaitMs: number;
  proxyTimeoutMs: number;
  proxyBodyLimitBytes: number;
  proxyResponseLimitBytes: number;
  proxyMaxConcurrentCalls: number;
  proxyMaxBufferedBytes: number;
  /** 0 turns the purge of unused connections off. */
  unusedConnectionDays: number;
  /** 0 keeps audit events forever. */
  auditRetentionDays: number;
  /** A failed webhook delivery's first retry comes after this; each further one doubles it. */
  webhookRetryBaseSeconds: number;
  /** A webhook endpoint whose every delivery failed for this long is disabled. */
  webhookDisableAfterDays: number;
  /** Finished webhook deliveries, and events left without one, are kept this long; 0: forever. */
  webhookRetentionDays: number;
  /** Where `GET /metrics` listens; undefined when `off`. */
  metricsAddress: ListenAddress | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates `LATCHKEY_*`; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = unknownVariables(env);
  const parsed: Record<string, unknown> = {};
  for (const name of VARIABLE_NAMES) {
    const spec = VARIABLES[name];
    const raw = env[name] === undefined || env[name] === '' ? spec.default : env[name];
    const result = spec.schema.safeParse(raw);
    if (result.success) parsed[name] = result.data;
    else problems.push(describeProblem(name, raw, result.error, spec.secret));
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return toConfig(parsed as Parsed);
}

function unknownVariables(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((key) => key.startsWith('LATCHKEY_') && !(VARIABLE_NAMES as string[]).includes(key))
    .map((key) => `${key}: unknown variable (see docs/configuration.md)`);
}

function describeProblem(name: string, raw: unknown, error: z.ZodError, secret: boolean): string {
  const allowed = error.issues[0]?.message ?? 'a valid value';
  const shown = secret ? '' : ` (got ${JSON.stringify(raw)})`;
  return `${name}: expected ${allowed}${shown}`;
}

function toConfig(p: Parsed): Config {
  const dataDir = resolve(p.LATCHKEY_DATA_DIR);
  return {
    port: p.LATCHKEY_PORT,
    host: p.LATCHKEY_HOST,
    publicBaseUrl: p.LATCHKEY_PUBLIC_BASE_URL,
    dataDir,
    databaseUrl: p.LATCHKEY_DATABASE_URL ?? `sqlite:${resolve(dataDir, 'latchkey.sqlite')}`,
    databasePoolSize: p.LATCHKEY_DATABASE_POOL_SIZE,
    databaseStatementTimeoutMs: p.LATCHKEY_DATABASE_STATEMENT_TIMEOUT_MS,
    redisUrl: p.LATCHKEY_REDIS_URL,
    redisPrefix: p.LATCHKEY_REDIS_PREFIX,
    encryptionKeys: p.LATCHKEY_ENCRYPTION_KEYS,
    adminPassword: p.LATCHKEY_ADMIN_PASSWORD,
    allowHttpLoopback: p.LATCHKEY_ALLOW_HTTP_LOOPBACK,
    egressAllow: p.LATCHKEY_EGRESS_ALLOW,
    logLevel: p.LATCHKEY_LOG_LEVEL,
    trustProxy: p.LATCHKEY_TRUST_PROXY,
    bodyLimitBytes: p.LATCHKEY_BODY_LIMIT_BYTES,
    sessionTtlSeconds: p.LATCHKEY_SESSION_TTL_SECONDS,
    loginLimitPerAccount: p.LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT,
    loginLimitPerAddress: p.LATCHKEY_LOGIN_LIMIT_PER_ADDRESS,
    loginLimitWindowSeconds: p.LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS,
    passwordHashConcurrency: p.LATCHKEY_PASSWORD_HASH_CONCURRENCY,
    passwordHashQueueSize: p.LATCHKEY_PASSWORD_HASH_QUEUE_SIZE,
    oauthStateTtlSeconds: p.LATCHKEY_OAUTH_STATE_TTL_SECONDS,
    oauthStartLimitPerHour: p.LATCHKEY_OAUTH_START_LIMIT_PER_HOUR,
    oauthCallbackLimitPerHour: p.LATCHKEY_OAUTH_CALLBACK_LIMIT_PER_HOUR,
    connectSessionTtlSeconds: p.LATCHKEY_CONNECT_SESSION_TTL_SECONDS,
    connectSessionLimitPerMinute: p.LATCHKEY_CONNECT_SESSION_LIMIT_PER_MINUTE,
    connectReturnOrigins: p.LATCHKEY_CONNECT_RETURN_ORIGINS,
    providerTimeoutMs: p.LATCHKEY_PROVIDER_TIMEOUT_MS,
    jobsEnabled: p.LATCHKEY_JOBS_ENABLED,
    flowCleanupIntervalSeconds: p.LATCHKEY_FLOW_CLEANUP_INTERVAL_SECONDS,
    revocationRetryIntervalSeconds: p.LATCHKEY_REVOCATION_RETRY_INTERVAL_SECONDS,
    keepAliveIntervalSeconds: p.LATCHKEY_KEEP_ALIVE_INTERVAL_SECONDS,
    keepAliveConcurrency: p.LATCHKEY_KEEP_ALIVE_CONCURRENCY,
    keepAliveJitterSeconds: p.LATCHKEY_KEEP_ALIVE_JITTER_SECONDS,
    refreshMarginSeconds: p.LATCHKEY_REFRESH_MARGIN_SECONDS,
    refreshLockWaitMs: p.LATCHKEY_REFRESH_LOCK_WAIT_MS,
    proxyTimeoutMs: p.LATCHKEY_PROXY_TIMEOUT_MS,
    proxyBodyLimitBytes: p.LATCHKEY_PROXY_BODY_LIMIT_BYTES,
    proxyResponseLimitBytes: p.LATCHKEY_PROXY_RESPONSE_LIMIT_BYTES,
    proxyMaxConcurrentCalls: p.LATCHKEY_PROXY_MAX_CONCURRENT_CALLS,
    proxyMaxBufferedBytes: p.LATCHKEY_PROXY_MAX_BUFFERED_BYTES,
    unusedConnectionDays: p.LATCHKEY_UNUSED_CONNECTION_DAYS,
    auditRetentionDays: p.LATCHKEY_AUDIT_RETENTION_DAYS,
    webhookRetryBaseSeconds: p.LATCHKEY_WEBHOOK_RETRY_BASE_SECONDS,
    webhookDisableAfterDays: p.LATCHKEY_WEBHOOK_DISABLE_AFTER_DAYS,
    webhookRetentionDays: p.LATCHKEY_WEBHOOK_RETENTION_DAYS,
    metricsAddress: p.LATCHKEY_METRICS_ADDRESS,
  };
}
