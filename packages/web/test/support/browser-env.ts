import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ApiKeyPermission,
  createApiKey,
  createConnector,
  createUser,
  type Role,
  updateConnector,
} from '@latchkey/core';
import { startTestProvider, type TestProvider } from '@latchkey/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../../server/src/config';
import { createLogger } from '../../../server/src/logger';
import { openService, type Service } from '../../../server/src/service';
import { launchChromium } from './chromium';
import { startTlsFront, type TlsFront } from './tls-front';

export const PASSWORD = 'browser-test-password';
export const CLIENT_SECRET = 'browser:test+secret%';

export interface BrowserEnv {
  baseUrl: string;
  provider: TestProvider;
  service: Service;
  browser: BrowserContext;
  createUser(username: string, role: Role): Promise<string>;
  createConnector(name: string, options?: { apiBaseUrl?: string }): Promise<string>;
  /** Sets the connector's scopes, as an admin's edit would (its connections stay). */
  setConnectorScope(id: string, name: string, scope: string, actorUserId: string): Promise<void>;
  /** A key for an app's backend, created by the admin; returns the key itself. */
  createApiKey(permissions: ApiKeyPermission[]): Promise<string>;
  /** Moves the service's clock (not the browser's) forward, e.g. past a session's expiry. */
  advanceClock(ms: number): void;
  login(page: Page, username: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A real Latchkey listening on localhost, a real oidc-provider on 127.0.0.1 (another site,
 * as in production), and Debian's Chromium driven by playwright-core. With `https`, the
 * browser reaches Latchkey through a TLS front with a self-signed certificate.
 */
export async function startBrowserEnv(
  options: { https?: boolean; config?: Record<string, string> } = {},
): Promise<BrowserEnv> {
  const port = await freePort();
  const baseUrl = `${options.https ? 'https' : 'http'}://localhost:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-browser-'));
  const provider = await startTestProvider({
    clients: [
      {
        clientId: 'browser',
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${baseUrl}/api/connectors/_oauth_callback`],
      },
    ],
  });
  const config = loadConfig({
    LATCHKEY_PORT: String(port),
    LATCHKEY_PUBLIC_BASE_URL: baseUrl,
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_ENCRYPTION_KEYS: `kb:${Buffer.alloc(32, 7).toString('base64')}`,
    LATCHKEY_ADMIN_PASSWORD: PASSWORD,
    LATCHKEY_ALLOW_HTTP_LOOPBACK: 'true',
    LATCHKEY_LOG_LEVEL: 'warn',
    ...options.config,
  });
  let clockOffsetMs = 0;
  const service = await openService(config, createLogger('warn'), {
    announce: () => {},
    now: () => Date.now() + clockOffsetMs,
  });
  let tlsFront: TlsFront | undefined;
  if (options.https) {
    const innerPort = await freePort();
    await service.app.listen({ port: innerPort, host: '127.0.0.1' });
    tlsFront = await startTlsFront(dataDir, port, innerPort);
  } else {
    await service.app.listen({ port, host: 'localhost' });
  }
  const browser = await launchChromium({ ignoreHttpsErrors: options.https === true });
  const deps = service.deps;
  const connectorInput = (name: string, scope: string, apiBaseUrl?: string) => ({
    name,
    provider: 'custom',
    authMode: 'per-user' as const,
    config: {
      authorizationUrl: provider.authorizationEndpoint,
      tokenUrl: provider.tokenEndpoint,
      revocationUrl: provider.revocationEndpoint,
      issuer: provider.issuer,
      scope,
      clientId: 'browser',
      apiBaseUrl: apiBaseUrl ?? `${provider.issuer}/api/`,
    },
    secrets: { clientSecret: CLIENT_SECRET },
  });
  return {
    baseUrl,
    provider,
    service,
    browser,
    async createUser(username, role) {
      return (await createUser(deps, { username, password: PASSWORD, role }, Date.now())).id;
    },
    async createConnector(name, connectorOptions = {}) {
      const connector = await createConnector(
        deps,
        connectorInput(name, 'openid read', connectorOptions.apiBaseUrl),
      );
      return connector.id;
    },
    async setConnectorScope(id, name, scope, actorUserId) {
      await updateConnector(deps, id, connectorInput(name, scope), actorUserId);
    },
    async createApiKey(permissions) {
      const admin = await deps.store.users.findByUsername('admin');
      if (!admin) throw new Error('no admin');
      const created = await createApiKey(
        deps.store,
        { name: `app ${permissions.join(' ')}`, permissions },
        admin.id,
        Date.now(),
      );
      return created.key;
    },
    advanceClock(ms) {
      clockOffsetMs += ms;
    },
    async login(page, username) {
      await page.goto(`${baseUrl}/`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Connectors' }).waitFor();
    },
    async stop() {
      await browser.close();
      await tlsFront?.close();
      await service.close();
      await provider.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
