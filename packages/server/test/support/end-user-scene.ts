import { type ResourceApi, startResourceApi, type TestProvider } from '@latchkey/testing';
import { createApiKey } from './api-keys';
import { createProviderConnector, startOAuthService, startProvider } from './oauth-harness';
import type { TestService } from './test-service';

/**
 * What the connect-session tests share: a real provider, a service, per-user connectors to
 * it, and an app's backend key that may act for end users (`end_users`, `proxy`,
 * `tokens:read`).
 */
export interface EndUserScene {
  provider: TestProvider;
  service: TestService;
  /** A resource API the first connector calls, when the scene was asked for one. */
  api?: ResourceApi;
  connectorIds: string[];
  appKey: { key: string; id: string };
  stop(): Promise<void>;
}

export async function startEndUserScene(
  options: { env?: Record<string, string>; connectors?: number; resourceApi?: boolean } = {},
): Promise<EndUserScene> {
  const provider = await startProvider();
  const api = options.resourceApi ? await startResourceApi({ provider }) : undefined;
  const service = await startOAuthService(options.env);
  const connectorIds: string[] = [];
  for (let i = 0; i < (options.connectors ?? 1); i++) {
    const apiBaseUrl = i === 0 && api ? { apiBaseUrl: `${api.url}/` } : {};
    connectorIds.push(await createProviderConnector(service, provider, apiBaseUrl));
  }
  const appKey = await createApiKey(service, ['end_users', 'proxy', 'tokens:read']);
  return {
    provider,
    service,
    ...(api ? { api } : {}),
    connectorIds,
    appKey,
    async stop() {
      await service.stop();
      await api?.stop();
      await provider.stop();
    },
  };
}
