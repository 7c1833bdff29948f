/**
 * `npm run demo`: Latchkey on http://localhost:5601 with a local OAuth provider (the same
 * oidc-provider the tests use) and a ready "Demo" connector, so the whole flow works offline.
 */
import { createConnector, createUser } from '@latchkey/core';
import { loadConfig } from '../packages/server/src/config';
import { createLogger } from '../packages/server/src/logger';
import { openService } from '../packages/server/src/service';
import { startResourceApi, startTestProvider } from '../packages/testing/src/index';

const PROVIDER_PORT = 5602;
const CLIENT_SECRET = 'demo-client-secret';
const DEMO_USER = { username: 'demo', password: 'demo-password-123', role: 'viewer' as const };

async function main() {
  const config = loadConfig({
    ...process.env,
    LATCHKEY_ALLOW_HTTP_LOOPBACK: 'true',
    LATCHKEY_DATA_DIR: process.env.LATCHKEY_DATA_DIR ?? './data/demo',
  });
  const provider = await startTestProvider({
    port: PROVIDER_PORT,
    clients: [
      {
        clientId: 'latchkey-demo',
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${config.publicBaseUrl}/api/connectors/_oauth_callback`],
      },
    ],
  });
  const api = await startResourceApi({ provider });
  const logger = createLogger(config.logLevel);
  const service = await openService(config, logger);
  await ensureDemoData(service.deps, provider, api.url);
  await service.listen(config.host, config.port);
  process.stdout.write(
    `\n  Latchkey demo: ${config.publicBaseUrl}\n  Log in as "${DEMO_USER.username}" / "${DEMO_USER.password}" (viewer) and connect "Demo".\n  The demo provider signs you in and consents automatically.\n\n`,
  );
  const stop = async () => {
    await service.close();
    await api.stop();
    await provider.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function ensureDemoData(
  deps: Awaited<ReturnType<typeof openService>>['deps'],
  provider: Awaited<ReturnType<typeof startTestProvider>>,
  apiUrl: string,
) {
  if (!(await deps.store.users.findByUsername(DEMO_USER.username))) {
    await createUser(deps, DEMO_USER, deps.now());
  }
  const existing = await deps.store.connectors.findByName('Demo');
  if (existing) await deps.store.connectors.delete(existing.id);
  await createConnector(deps, {
    name: 'Demo',
    provider: 'custom',
    authMode: 'per-user',
    config: {
      authorizationUrl: provider.authorizationEndpoint,
      tokenUrl: provider.tokenEndpoint,
      revocationUrl: provider.revocationEndpoint,
      issuer: provider.issuer,
      scope: 'openid read write',
      clientId: 'latchkey-demo',
      apiBaseUrl: `${apiUrl}/`,
    },
    secrets: { clientSecret: CLIENT_SECRET },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
