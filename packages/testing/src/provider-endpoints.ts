export interface ProviderEndpoints {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  introspectionEndpoint: string;
  userinfoEndpoint: string;
}

/**
 * Reads the endpoints from the provider's discovery document rather than assuming
 * oidc-provider's default routes, and checks the metadata Latchkey relies on.
 */
export async function discoverEndpoints(issuer: string): Promise<ProviderEndpoints> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery failed with HTTP ${response.status}`);
  const metadata = (await response.json()) as Record<string, unknown>;
  // RFC 9207: Latchkey validates `iss` in authorization responses; oidc-provider 9 sends it
  // by default, and a configuration change that dropped it must fail loudly here.
  if (metadata.authorization_response_iss_parameter_supported !== true) {
    throw new Error('provider does not advertise authorization_response_iss_parameter_supported');
  }
  return {
    authorizationEndpoint: endpoint(metadata, 'authorization_endpoint'),
    tokenEndpoint: endpoint(metadata, 'token_endpoint'),
    revocationEndpoint: endpoint(metadata, 'revocation_endpoint'),
    introspectionEndpoint: endpoint(metadata, 'introspection_endpoint'),
    userinfoEndpoint: endpoint(metadata, 'userinfo_endpoint'),
  };
}

function endpoint(metadata: Record<string, unknown>, name: string): string {
  const value = metadata[name];
  if (typeof value !== 'string') throw new Error(`discovery document has no ${name}`);
  return value;
}
