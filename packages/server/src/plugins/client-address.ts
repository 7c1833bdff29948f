import type { TrustedProxies } from '../config';

type TrustProxyOption = false | string[] | ((address: string, hop: number) => boolean);

/**
 * Fastify's `trustProxy` for LATCHKEY_TRUST_PROXY. Fastify 5.12 takes a number as trusting
 * nobody (a hop count cannot tell a proxy from a client that connects directly), which would
 * make every client look like the load balancer: a hop count is a function here, and
 * docs/configuration.md says when it is safe.
 */
export function fastifyTrustProxy(trusted: TrustedProxies): TrustProxyOption {
  if (typeof trusted === 'number') return (_address, hop) => hop < trusted;
  return trusted;
}
