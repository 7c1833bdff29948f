import * as oauth from 'oauth4webapi';
import type { ClientCredentialsConfig, StoredPerUserConfig } from '../connectors/connector-schema';
import { NEEDED_SECRETS, openNeededSecrets } from '../connectors/connector-secrets';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { StoredPerUserConnector } from '../store';
import type { Vault } from '../vault/vault';
import { fetchFromProviderOf } from './provider-fetch';
import { tokenEndpointFetchOf } from './token-endpoint-fetch';

/**
 * What the protocol calls read from a connector that is an OAuth client: a per-user one, or a
 * shared one with client credentials, which knows its token endpoint and nothing else.
 */
export type OAuthClientSettings =
  | { id: string; authMode: 'per-user'; config: StoredPerUserConfig }
  | { id: string; authMode: 'shared'; config: ClientCredentialsConfig };

/**
 * The client secret an OAuth client of Latchkey authenticates with; none for a public client
 * (a preset's `tokenEndpointAuthMethod: none`, RFC 6749 §2.1), which has PKCE alone.
 */
export interface ClientSecret {
  clientSecret?: string;
}

/**
 * The connector's authorization server as oauth4webapi sees it, from the endpoints typed into
 * its config. A connector that discovers them gets its server from `authorizationServerFor`
 * (discovery/authorization-server-for.ts).
 */
export function authorizationServerOf(connector: OAuthClientSettings): oauth.AuthorizationServer {
  // Without a configured issuer there is nothing to compare `iss` with; the flow stays bound
  // to this connector's token endpoint by its state instead (see docs/oauth-flow.md).
  const unnamedIssuer = `urn:latchkey:connector:${connector.id}`;
  switch (connector.authMode) {
    case 'per-user': {
      const { config } = connector;
      return {
        issuer: config.issuer ?? unnamedIssuer,
        authorization_endpoint: config.authorizationUrl,
        token_endpoint: config.tokenUrl,
        ...(config.revocationUrl ? { revocation_endpoint: config.revocationUrl } : {}),
        // RFC 9207 §2.4: a client that knows the issuer must require `iss` in responses.
        authorization_response_iss_parameter_supported: Boolean(config.issuer),
      };
    }
    case 'shared':
      return {
        issuer: unnamedIssuer,
        token_endpoint: connector.config.tokenUrl,
        authorization_response_iss_parameter_supported: false,
      };
  }
}

/**
 * An endpoint no connector can be saved without: its schema requires the typed URL, and
 * check-discovered-metadata.ts the discovered one.
 */
export function endpointOf(
  as: oauth.AuthorizationServer,
  name: 'authorization_endpoint' | 'token_endpoint',
): string {
  const endpoint = as[name];
  if (endpoint === undefined) throw new Error(`the connector has no ${name}`);
  return endpoint;
}

export function clientOf(connector: OAuthClientSettings): oauth.Client {
  return { client_id: connector.config.clientId };
}

export function clientAuthOf(
  connector: OAuthClientSettings,
  secrets: ClientSecret,
): oauth.ClientAuth {
  const method = connector.config.tokenEndpointAuthMethod;
  if (method === 'none') return oauth.None();
  // Saved only with its secret (assertSecretsComplete): a missing one was not sealed by us.
  if (!secrets.clientSecret) throw new LatchkeyError('decryption_failed');
  return method === 'client_secret_post'
    ? oauth.ClientSecretPost(secrets.clientSecret)
    : oauth.ClientSecretBasic(secrets.clientSecret);
}

/**
 * Request options for every call to a provider: a timeout, loopback http when allowed, the
 * egress policy, and error answers read as RFC 6749 §5.2 says (provider-fetch.ts).
 */
export function providerRequestOptions(deps: CoreDeps, connectorId: string | undefined) {
  return {
    signal: AbortSignal.timeout(deps.oauth.providerTimeoutMs),
    [oauth.customFetch]: fetchFromProviderOf(deps, connectorId),
    // Endpoints were checked by endpoint-policy: http is only ever a loopback host here.
    [oauth.allowInsecureRequests]: deps.endpointPolicy.allowHttpLoopback,
  };
}

/** Everything a token-endpoint or revocation call of this connector needs, in one place. */
export interface ProviderClient {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  /** For the revocation endpoint. */
  options: ReturnType<typeof providerRequestOptions>;
  /** For the token endpoint: also the provider's encoding, parameters and answer shape. */
  tokenOptions: ReturnType<typeof providerRequestOptions> & oauth.TokenEndpointRequestOptions;
}

/** `as` comes from `authorizationServerFor`: the connector's typed or discovered endpoints. */
export function providerClientOf(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  as: oauth.AuthorizationServer,
): ProviderClient {
  return providerClientWith(deps, connector, openClientSecret(deps.vault, connector), as);
}

/** The connector's client secret, or none for a public client. */
export function openClientSecret(vault: Vault, connector: StoredPerUserConnector): ClientSecret {
  if (connector.config.tokenEndpointAuthMethod === 'none') return {};
  return openNeededSecrets(vault, connector, NEEDED_SECRETS['per-user']);
}

/**
 * The same from settings and secrets at hand: a queued revocation's own copy, or a shared
 * connector's client-credentials settings and secret.
 */
export function providerClientWith(
  deps: CoreDeps,
  connector: OAuthClientSettings,
  secrets: ClientSecret,
  as: oauth.AuthorizationServer,
): ProviderClient {
  const options = providerRequestOptions(deps, connector.id);
  return {
    as,
    client: clientOf(connector),
    auth: clientAuthOf(connector, secrets),
    options,
    tokenOptions: tokenRequestOptions(connector, options),
  };
}

function tokenRequestOptions(
  connector: OAuthClientSettings,
  options: ReturnType<typeof providerRequestOptions>,
) {
  if (connector.authMode === 'shared') return options;
  const { config } = connector;
  return {
    ...options,
    [oauth.customFetch]: tokenEndpointFetchOf(options[oauth.customFetch], config),
    ...(config.tokenParams ? { additionalParameters: config.tokenParams } : {}),
  };
}
