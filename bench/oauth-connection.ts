import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  completeAuthorizationFlow,
  createConnector,
  randomToken,
  startAuthorizationFlow,
} from '@latchkey/core';
import { followAuthorization, startTestProvider, type TestProvider } from '@latchkey/testing';
import Database from 'better-sqlite3';
import type { Service } from '../packages/server/src/service';

const CLIENT_ID = 'latchkey-bench';
const CLIENT_SECRET = 'bench:secret+with%odd=chars';

/** One connection holding a real, rotating refresh token of a real oidc-provider. */
export interface OAuthConnection {
  connectorId: string;
  userId: string;
}

/** A real authorization server whose token endpoint counts refresh requests. */
export function startBenchProvider(redirectUri: string): Promise<TestProvider> {
  return startTestProvider({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri] }],
  });
}

/**
 * Connects one user through the whole authorization code flow, with the service's own
 * steps (start → consent at the provider → callback), driven in-process instead of a browser.
 */
export async function connectThroughProvider(
  service: Service,
  provider: TestProvider,
): Promise<OAuthConnection> {
  const { deps } = service;
  const connector = await createConnector(deps, {
    name: 'Bench OAuth provider',
    provider: 'custom',
    authMode: 'per-user',
    config: {
      authorizationUrl: provider.authorizationEndpoint,
      tokenUrl: provider.tokenEndpoint,
      issuer: provider.issuer,
      scope: 'openid read write',
      clientId: CLIENT_ID,
      apiBaseUrl: `${provider.issuer}/api/`,
    },
    secrets: { clientSecret: CLIENT_SECRET },
  });
  const userId = randomUUID();
  await deps.store.users.insert({
    id: userId,
    username: 'bench-oauth-user',
    role: 'viewer',
    passwordHash: `bench:no-login:${randomBytes(8).toString('hex')}`,
    createdAt: deps.now(),
    updatedAt: deps.now(),
  });
  const browserBinding = randomToken();
  const flow = await startAuthorizationFlow(deps, {
    connectorId: connector.id,
    userId,
    browserBinding,
  });
  const { callbackUrl } = await followAuthorization(flow.authorizationUrl, {
    stopAtPrefix: deps.oauth.redirectUri,
  });
  const outcome = await completeAuthorizationFlow(deps, {
    params: callbackUrl.searchParams,
    userId,
    browserBinding,
  });
  if (outcome.status !== 'success') throw new Error(`OAuth flow failed: ${outcome.error}`);
  return { connectorId: connector.id, userId };
}

/** Makes the stored access token expired (the provider's token itself is untouched). */
export function expireConnection(dataDir: string, connection: OAuthConnection): void {
  const db = new Database(join(dataDir, 'latchkey.sqlite'));
  db.pragma('busy_timeout = 5000');
  const changed = db
    .prepare('update connections set expires_at = ? where connector_id = ? and user_id = ?')
    .run(Date.now() - 1000, connection.connectorId, connection.userId).changes;
  db.close();
  if (changed !== 1) throw new Error('the OAuth connection was not found');
}
