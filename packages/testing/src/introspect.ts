import type { TestClient } from './provider-config';

/** RFC 7662 response; only the members the harness reads are typed. */
export interface IntrospectionResponse {
  active: boolean;
  sub?: string;
  scope?: string;
  client_id?: string;
  exp?: number;
  token_type?: string;
  [member: string]: unknown;
}

/** Asks the provider whether a token (access or refresh) is still active. */
export async function introspectToken(
  introspectionEndpoint: string,
  client: TestClient,
  token: string,
): Promise<IntrospectionResponse> {
  const body = new URLSearchParams({ token });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.tokenEndpointAuthMethod === 'client_secret_post') {
    body.set('client_id', client.clientId);
    body.set('client_secret', client.clientSecret);
  } else {
    headers.authorization = basicAuthorization(client.clientId, client.clientSecret);
  }
  const response = await fetch(introspectionEndpoint, { method: 'POST', headers, body });
  if (!response.ok) {
    throw new Error(`introspection failed with HTTP ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as IntrospectionResponse;
}

/**
 * RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64, so a secret holding
 * `:`, `+` or `%` survives the round trip.
 */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const credentials = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice('v='.length);
}
