/** Request bodies for connectors, valid unless a test changes them. */
export const CLIENT_SECRET = 'client-secret:with+odd%chars-0123456789';

export function perUserConnectorBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `Example ${Math.random().toString(36).slice(2, 8)}`,
    provider: 'custom',
    authMode: 'per-user',
    config: {
      authorizationUrl: 'https://auth.example.com/authorize',
      tokenUrl: 'https://auth.example.com/token',
      revocationUrl: 'https://auth.example.com/revoke',
      scope: 'read write',
      clientId: 'latchkey-client',
      apiBaseUrl: 'https://api.example.com/v1/',
    },
    secrets: { clientSecret: CLIENT_SECRET },
    ...overrides,
  };
}

export const SHARED_TOKEN = 'shared-bearer-token-0123456789';

export function sharedConnectorBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `Shared ${Math.random().toString(36).slice(2, 8)}`,
    provider: 'custom',
    authMode: 'shared',
    config: { credentialType: 'bearer_token', apiBaseUrl: 'https://api.example.com/' },
    secrets: { token: SHARED_TOKEN },
    ...overrides,
  };
}
