import type { BenchRequest } from './load';
import type { SeededConnections } from './seed-connections';

/** Baseline routes under this prefix read and decrypt the caller's token, like `_token`. */
export const STORED_TOKEN_PREFIX = '/stored';

/**
 * The guarded forwarder (`proxy-guarantees.ts`), and versions of it with part of its
 * guarantees (`BENCH_GUARDED_PARTS=1`), to find what each part costs.
 */
export const GUARDED_VARIANTS = {
  guardedForwarder: { prefix: '/guarded', apiKey: true, securityHeaders: true, audit: 'before' },
  guardedKeyAndHeaders: {
    prefix: '/guarded-key',
    apiKey: true,
    securityHeaders: true,
    audit: 'none',
  },
  guardedAuditOnly: {
    prefix: '/guarded-audit',
    apiKey: false,
    securityHeaders: false,
    audit: 'before',
  },
  guardedAuditedAfter: {
    prefix: '/guarded-after',
    apiKey: true,
    securityHeaders: true,
    audit: 'after',
  },
} as const;
export type GuardedVariant = keyof typeof GUARDED_VARIANTS;

/** The guarded forwarder; with `BENCH_GUARDED_PARTS=1` also its versions with part of it. */
export function guardedVariantsToRun(): GuardedVariant[] {
  if (process.env.BENCH_GUARDED_PARTS !== '1') return ['guardedForwarder'];
  return Object.keys(GUARDED_VARIANTS) as GuardedVariant[];
}

/**
 * Requests spread over all stored connections: each one names a random connector in the
 * path and a random user in `X-Latchkey-User`. Baseline and Latchkey get the same stream
 * (the baseline ignores the key), so request sizes are identical. `BENCH_HOT=50` draws from
 * 50 fixed connections instead (hot rows: framework work, not the page cache).
 */
export function requestMix(seeded: SeededConnections, hot = hotConnections()) {
  const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)] as string;
  const anyPair = (): ConnectionPair => [pick(seeded.connectorIds), pick(seeded.userIds)];
  const hotPairs = Array.from({ length: hot }, anyPair);
  return benchRequests(seeded.apiKey, () => hotPairs[Math.floor(Math.random() * hot)] ?? anyPair());
}

/** A stored connection: its connector's id and its user's. */
export type ConnectionPair = [connectorId: string, userId: string];

/**
 * Each kind of request the benches send, for the connection `nextPair` picks, with the same
 * headers and the same API path for every server: only the route differs.
 */
export function benchRequests(apiKey: string, nextPair: () => ConnectionPair) {
  const onBehalf = (path: (connectorId: string) => string): BenchRequest => {
    const [connectorId, userId] = nextPair();
    return {
      path: path(connectorId),
      headers: { authorization: `ApiKey ${apiKey}`, 'x-latchkey-user': userId },
    };
  };
  return {
    token: () => onBehalf((id) => `/api/connectors/${id}/_token`),
    proxy: () => onBehalf((id) => `/api/connectors/${id}/proxy/${apiPath()}`),
    /** The proxied call, to the baseline's forwarder that reads and decrypts the token. */
    proxyStored: () =>
      onBehalf((id) => `${STORED_TOKEN_PREFIX}/api/connectors/${id}/proxy/${apiPath()}`),
    /** The proxied call, to the forwarder that also authenticates, audits and sets headers. */
    proxyGuarded: (variant: GuardedVariant = 'guardedForwarder') => {
      const { prefix } = GUARDED_VARIANTS[variant];
      return onBehalf((id) => `${prefix}/api/connectors/${id}/proxy/${apiPath()}`);
    },
    /** The same API call, straight to the upstream with a bearer token. */
    direct: (): BenchRequest => ({
      path: `/v1/${apiPath()}`,
      headers: { authorization: 'Bearer direct-call-token' },
    }),
  };
}

/** 0 (the default): every request picks any of the stored connections. */
function hotConnections(): number {
  return Number(process.env.BENCH_HOT ?? 0);
}

function apiPath(): string {
  return `items/${Math.floor(Math.random() * 1000)}?fields=id,name`;
}
