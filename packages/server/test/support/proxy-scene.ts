import { type ResourceApi, startResourceApi, type TestProvider } from '@latchkey/testing';
import type { LightMyRequestResponse } from 'fastify';
import {
  connect,
  createProviderConnector,
  startOAuthService,
  startProvider,
  type UserSession,
} from './oauth-harness';
import type { RequestOptions, TestService } from './test-service';

/** A real provider, a resource API that introspects tokens, and a user connected to it. */
export interface ProxyScene {
  provider: TestProvider;
  api: ResourceApi;
  service: TestService;
  connectorId: string;
  user: UserSession;
  /** A call through `/api/connectors/:id/proxy/<path>` with the user's session by default. */
  proxied(path: string, options?: Partial<RequestOptions>): Promise<LightMyRequestResponse>;
  /** Refresh requests that reached the provider since its last `resetCounts()`. */
  refreshes(): number;
  stop(): Promise<void>;
}

export async function startProxyScene(
  options: { apiPath?: string; env?: Record<string, string>; accessTokenTtlSeconds?: number } = {},
): Promise<ProxyScene> {
  const provider = await startProvider(
    'latchkey',
    options.accessTokenTtlSeconds === undefined
      ? {}
      : { accessTokenTtlSeconds: options.accessTokenTtlSeconds },
  );
  const api = await startResourceApi({ provider });
  // Tests move the clock by hours; sessions must outlive that.
  const service = await startOAuthService({
    LATCHKEY_SESSION_TTL_SECONDS: String(30 * 86400),
    ...options.env,
  });
  const connectorId = await createProviderConnector(service, provider, {
    apiBaseUrl: `${api.url}${options.apiPath ?? '/'}`,
  });
  const user = await service.sessionFor('viewer');
  const connected = await connect(service, user.cookie, connectorId);
  if (connected.response.statusCode >= 400)
    throw new Error(`not connected: ${connected.response.body}`);
  return {
    provider,
    api,
    service,
    connectorId,
    user,
    proxied: (path, request = {}) =>
      service.request({
        method: 'GET',
        url: `/api/connectors/${connectorId}/proxy/${path}`,
        cookie: user.cookie,
        ...request,
      }),
    refreshes: () => provider.counts.tokenByGrant.refresh_token ?? 0,
    async stop() {
      await service.stop();
      await api.stop();
      await provider.stop();
    },
  };
}

/** Moves Latchkey's clock past the access token's expiry (the provider's TTL is one hour). */
export function expireAccessTokens(service: TestService): void {
  service.clock.now += 2 * 3600 * 1000;
}
