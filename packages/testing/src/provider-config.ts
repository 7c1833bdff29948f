import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Account, ClientMetadata, Configuration, JWK } from 'oidc-provider';
import { INTERACTION_PATH } from './interaction-route';
import type { MemoryStore } from './memory-adapter';

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}

export interface ProviderSettings {
  clients: TestClient[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  scopes: string[];
  store: MemoryStore;
  /** Consulted on every refresh, so a test can switch rotation off (see token-response-quirks). */
  rotateRefreshToken?: () => boolean;
  pushedAuthorizationRequests?: PushedAuthorizationMode;
}

/** RFC 9126: PAR not served, served (oidc-provider's default), or required of every client. */
export type PushedAuthorizationMode = 'off' | 'offered' | 'required';

/** Claims per OIDC scope; every other configured scope (read, write…) carries no claim. */
const CLAIMS = { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] };

/**
 * The oidc-provider configuration of the test authorization server. Every default that
 * prints a "you SHOULD/MUST change" notice (keys, TTLs, findAccount, policies, renderError)
 * is set explicitly so test output stays quiet.
 */
export function buildProviderConfiguration(settings: ProviderSettings): Configuration {
  const { accessTokenTtlSeconds, refreshTokenTtlSeconds } = settings;
  return {
    clients: settings.clients.map(toClientMetadata),
    adapter: settings.store.adapterFactory,
    jwks: { keys: [generateSigningKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: CLAIMS,
    // Without resource indicators, oidc-provider silently drops any requested scope that is
    // not in this list (or a `claims` key): `read`/`write` must be listed to be granted and
    // to appear in the (opaque, userinfo-audience) access token.
    scopes: settings.scopes,
    pkce: { required: () => true },
    // Refresh tokens for every code grant, without needing prompt=consent + offline_access.
    issueRefreshToken: async () => true,
    rotateRefreshToken: settings.rotateRefreshToken ?? (() => true),
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      ClientCredentials: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: refreshTokenTtlSeconds,
      Interaction: 600,
      Session: refreshTokenTtlSeconds,
      Grant: refreshTokenTtlSeconds,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Any authenticated client may introspect: the resource API uses the first client's
      // credentials for tokens of every client.
      introspection: { enabled: true, allowedPolicy: () => true },
      pushedAuthorizationRequests: {
        enabled: settings.pushedAuthorizationRequests !== 'off',
        requirePushedAuthorizationRequests: settings.pushedAuthorizationRequests === 'required',
      },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}${interaction.uid}` },
    findAccount: (_ctx, accountId) => testAccount(accountId),
    // JSON errors are easier to assert and to quote in followAuthorization's messages.
    renderError: (ctx, out) => {
      ctx.type = 'application/json';
      ctx.body = out;
    },
  };
}

function toClientMetadata(client: TestClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod ?? 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
  };
}

/**
 * A fresh RS256 key per provider: nothing secret is ever committed for tests. The generation
 * encodes it (PEM), and the JWK comes from a key object of its own: exporting the key object
 * that `generateKeyPairSync` returns deadlocked a test worker on Node 20 (a garbage
 * collection during that export ran the finished generation's destructor, which waited for
 * the lock the export held on the same key).
 */
function generateSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const jwk = createPrivateKey(privateKey).export({ format: 'jwk' });
  return { ...jwk, alg: 'RS256', use: 'sig', kid: 'test-key' };
}

function testAccount(accountId: string): Account {
  return {
    accountId,
    claims: () => ({
      sub: accountId,
      email: `${accountId}@example.test`,
      email_verified: true,
      name: `Test user ${accountId}`,
    }),
  };
}
