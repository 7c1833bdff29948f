import * as oauth from 'oauth4webapi';
import { isTokenFresh } from '../connections/refresh-margin';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import {
  authorizationServerOf,
  type ClientSecret,
  providerClientWith,
} from '../oauth/oauth-client';
import { assertProviderAvailable } from '../oauth/provider-errors';
import { secondsFromNow } from '../oauth/token-expiry';
import type { StoredSharedConnector } from '../store';
import type { ClientCredentialsConfig } from './connector-schema';
import { NEEDED_SECRETS, openNeededSecrets } from './connector-secrets';

export interface SharedCredentials {
  /**
   * The header that authenticates a request with the connector's one service credential;
   * a new one when `refused` (the value the API just answered 401 to) can be renewed.
   */
  header(
    connector: StoredSharedConnector,
    refused?: string,
  ): Promise<[name: string, value: string]>;
  /** Whether a refused credential can be renewed: only a client-credentials token can. */
  renewable(connector: StoredSharedConnector): boolean;
}

const BEARER = 'Bearer ';

/** A shared connector whose credential is an OAuth client's (RFC 6749 §4.4). */
type ClientCredentialsConnector = StoredSharedConnector & { config: ClientCredentialsConfig };

interface CachedToken {
  configVersion: number;
  accessToken: string;
  obtainedAt: number;
  expiresAt: number | null;
}

/**
 * Shared connectors: a static bearer token, an API key header, or an OAuth
 * client-credentials token (RFC 6749 §4.4) cached per connector and refreshed once at a time.
 */
export function createSharedCredentials(deps: CoreDeps): SharedCredentials {
  const cache = new Map<string, CachedToken>();
  const inFlight = new Map<string, Promise<CachedToken>>();

  function clientCredentialsToken(
    connector: ClientCredentialsConnector,
    secrets: ClientSecret,
    refused: string | undefined,
  ): Promise<CachedToken> {
    const cached = cache.get(connector.id);
    const now = deps.now();
    // A token without a known expiry is good until the API refuses it.
    const fresh =
      cached?.configVersion === connector.configVersion &&
      cached.accessToken !== refused &&
      isTokenFresh(cached, now, deps.oauth.refreshMarginMs);
    if (cached && fresh) return Promise.resolve(cached);
    // Per settings version: a call with edited settings must not share a token requested
    // under the old ones (it could be meant for another API).
    const flight = `${connector.id}:${connector.configVersion}`;
    const running = inFlight.get(flight);
    if (running) return running;
    const request = requestClientCredentials(deps, connector, secrets)
      .then((token) => {
        // A request under older settings that finishes last must not replace a newer token.
        if ((cache.get(connector.id)?.configVersion ?? -1) <= token.configVersion) {
          cache.set(connector.id, token);
        }
        return token;
      })
      .finally(() => inFlight.delete(flight));
    inFlight.set(flight, request);
    return request;
  }

  return {
    // Secrets are opened on every call, cached token or not: a tampered or unreadable secret
    // fails the call instead of riding on a token obtained before.
    async header(connector, refused) {
      const { config } = connector;
      switch (config.credentialType) {
        case 'bearer_token': {
          const { token } = openNeededSecrets(deps.vault, connector, NEEDED_SECRETS.bearer_token);
          return ['authorization', `${BEARER}${token}`];
        }
        case 'api_key_header': {
          const { apiKey } = openNeededSecrets(
            deps.vault,
            connector,
            NEEDED_SECRETS.api_key_header,
          );
          return [config.headerName.toLowerCase(), apiKey];
        }
        case 'client_credentials': {
          const secrets = openNeededSecrets(
            deps.vault,
            connector,
            NEEDED_SECRETS.client_credentials,
          );
          const token = await clientCredentialsToken(
            { ...connector, config },
            secrets,
            refused?.slice(BEARER.length),
          );
          return ['authorization', `${BEARER}${token.accessToken}`];
        }
      }
    },
    renewable: (connector) => connector.config.credentialType === 'client_credentials',
  };
}

/**
 * RFC 6749 §4.4.2, with the same client and client authentication as a per-user connector:
 * `tokenUrl`, `clientId` and `clientSecret` are required for this credential type
 * (connector-schema.ts, connector-secrets.ts).
 */
async function requestClientCredentials(
  deps: CoreDeps,
  connector: ClientCredentialsConnector,
  secrets: ClientSecret,
): Promise<CachedToken> {
  const { config } = connector;
  const { as, client, auth, options } = providerClientWith(
    deps,
    connector,
    secrets,
    authorizationServerOf(connector),
  );
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      auth,
      config.scope ? { scope: config.scope } : {},
      options,
    );
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      client,
      assertProviderAvailable(response),
    );
    const obtainedAt = deps.now();
    return {
      configVersion: connector.configVersion,
      accessToken: tokens.access_token,
      obtainedAt,
      expiresAt: secondsFromNow(obtainedAt, tokens.expires_in),
    };
  } catch (error) {
    if (error instanceof LatchkeyError && error.code === 'egress_denied') throw error;
    throw new LatchkeyError('shared_credential_failed');
  }
}
