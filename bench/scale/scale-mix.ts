import type { BenchRequest } from '../load';
import { GUARDED_VARIANTS, type GuardedVariant, STORED_TOKEN_PREFIX } from '../request-mix';
import type { SeededConnections } from '../seed-connections';

/** How many connections take the whole load in the "hot" runs (the figure). */
export const HOT_CONNECTIONS = 50;

interface Pair {
  connectorId: string;
  userId: string;
}

/**
 * Requests spread over every stored connection, or over `HOT_CONNECTIONS` fixed ones drawn
 * once: the first stresses the page cache and the index, the second the per-call work.
 */
export function scaleMix(seeded: SeededConnections, spread: 'all' | 'hot') {
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;
  const anyPair = (): Pair => ({
    connectorId: pick(seeded.connectorIds),
    userId: pick(seeded.userIds),
  });
  const hot = Array.from({ length: HOT_CONNECTIONS }, anyPair);
  const nextPair = spread === 'all' ? anyPair : () => pick(hot);
  const onBehalf = (path: (pair: Pair) => string) => (): BenchRequest => {
    const pair = nextPair();
    return {
      path: path(pair),
      headers: { authorization: `ApiKey ${seeded.apiKey}`, 'x-latchkey-user': pair.userId },
    };
  };
  const apiPath = () => `items/${Math.floor(Math.random() * 1000)}?fields=id,name`;
  return {
    token: onBehalf((pair) => `/api/connectors/${pair.connectorId}/_token`),
    proxy: onBehalf((pair) => `/api/connectors/${pair.connectorId}/proxy/${apiPath()}`),
    proxyStored: onBehalf(
      (pair) => `${STORED_TOKEN_PREFIX}/api/connectors/${pair.connectorId}/proxy/${apiPath()}`,
    ),
    proxyGuarded: (variant: GuardedVariant) =>
      onBehalf(
        (pair) =>
          `${GUARDED_VARIANTS[variant].prefix}/api/connectors/${pair.connectorId}/proxy/${apiPath()}`,
      ),
    direct: (): BenchRequest => ({
      path: `/v1/${apiPath()}`,
      headers: { authorization: 'Bearer direct-call-token' },
    }),
  };
}
