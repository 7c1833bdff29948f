import type { BenchRequest } from './load';
import type { SeededConnections } from './seed-connections';

/** Baseline routes under this prefix read and decrypt the caller's token, like `_token`. */
export const STORED_TOKEN_PREFIX = '/stored';

/**
 * Requests spread over all stored connections: each one names a random connector in the
 * path and a random user in `X-Latchkey-User`. Baseline and Latchkey get the same stream
 * (the baseline ignores the key), so request sizes are identical.
 */
export function requestMix(seeded: SeededConnections) {
  const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)] as string;
  const onBehalf = (path: string): BenchRequest => ({
    path,
    headers: { authorization: `ApiKey ${seeded.apiKey}`, 'x-latchkey-user': pick(seeded.userIds) },
  });
  return {
    token: () => onBehalf(`/api/connectors/${pick(seeded.connectorIds)}/_token`),
    proxy: () => onBehalf(`/api/connectors/${pick(seeded.connectorIds)}/proxy/${apiPath()}`),
    /** The proxied call, to the baseline's forwarder that reads and decrypts the token. */
    proxyStored: () =>
      onBehalf(
        `${STORED_TOKEN_PREFIX}/api/connectors/${pick(seeded.connectorIds)}/proxy/${apiPath()}`,
      ),
    /** The same API call, straight to the upstream with a bearer token. */
    direct: (): BenchRequest => ({
      path: `/v1/${apiPath()}`,
      headers: { authorization: 'Bearer direct-call-token' },
    }),
  };
}

function apiPath(): string {
  return `items/${Math.floor(Math.random() * 1000)}?fields=id,name`;
}
