import * as oauth from 'oauth4webapi';
import type { PerUserConfig, PerUserSecrets } from '../connectors/connector-schema';
import { openConnectorSecrets } from '../connectors/connector-secrets';
import type { CoreDeps } from '../deps';
import type { StoredConnector } from '../store';
import { fetchFromProviderOf } from './provider-fetch';

/** What the protocol calls read from a connector: its id and its settings. */
export type ConnectorSettings = Pick<StoredConnector, 'id' | 'config'>;

/**
 * The settings read here. Per-user connectors have them all; shared client-credentials ones
 * have the token endpoint's (tokenUrl and clientId are required there) and nothing else.
 */
type ClientConfig = Pick<PerUserConfig, 'tokenUrl' | 'clientId' | 'tokenEndpointAuthMethod'> &
  Partial<Pick<PerUserConfig, 'authorizationUrl' | 'revocationUrl' | 'issuer'>>;

/** The connector's authorization server as oauth4webapi sees it. */
export function authorizationServerOf(connector: ConnectorSettings): oauth.AuthorizationServer {
  const config = connector.config as ClientConfig;
  return {
    // Without a configured issuer there is nothing to compare `iss` with; the flow stays bound
    // to this connector's token endpoint by its state instead (see docs/oauth-flow.md).
    issuer: config.issuer ?? `urn:latchkey:connector:${connector.id}`,
    authorization_endpoint: config.authorizationUrl,
    token_endpoint: config.tokenUrl,
    ...(config.revocationUrl ? { revocation_endpoint: config.revocationUrl } : {}),
    // RFC 9207 §2.4: a client that knows the issuer must require `iss` in responses.
    authorization_response_iss_parameter_supported: Boolean(config.issuer),
  };
}

export function clientOf(connector: ConnectorSettings): oauth.Client {
  const config = connector.config as ClientConfig;
  return { client_id: config.clientId };
}

export function clientAuthOf(
  connector: ConnectorSettings,
  secrets: PerUserSecrets,
): oauth.ClientAuth {
  const method = (connector.config as ClientConfig).tokenEndpointAuthMethod;
  return method === 'client_secret_post'
    ? oauth.ClientSecretPost(secrets.clientSecret)
    : oauth.ClientSecretBasic(secrets.clientSecret);
}

/**
 * Request options for every call to a provider: a timeout, loopback http when allowed, the
 * egress policy, and error answers read as RFC 6749 §5.2 says (provider-fetch.ts).
 */
export function providerRequestOptions(deps: CoreDeps, connectorId: string) {
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
  options: ReturnType<typeof providerRequestOptions>;
}

export function providerClientOf(deps: CoreDeps, connector: StoredConnector): ProviderClient {
  const secrets = openConnectorSecrets(deps.vault, connector.id, connector.sealedSecrets);
  return providerClientWith(deps, connector, secrets as PerUserSecrets);
}

/**
 * The same from settings and secrets at hand: a queued revocation's own copy, or a shared
 * connector's client-credentials settings and secret.
 */
export function providerClientWith(
  deps: CoreDeps,
  connector: ConnectorSettings,
  secrets: PerUserSecrets,
): ProviderClient {
  return {
    as: authorizationServerOf(connector),
    client: clientOf(connector),
    auth: clientAuthOf(connector, secrets),
    options: providerRequestOptions(deps, connector.id),
  };
}
