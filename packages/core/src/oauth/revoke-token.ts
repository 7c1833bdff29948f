import { QUIRKS } from '@latchkey/catalog';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { StoredPerUserConfig } from '../connectors/connector-schema';
import { storedPerUserConfigSchema } from '../connectors/stored-auth-settings';
import type { CoreDeps } from '../deps';
import type { StoredPerUserConnector, TokenTypeHint } from '../store';
import type { Vault } from '../vault/vault';
import { authorizationServerFor } from './discovery/authorization-server-for';
import {
  type ClientSecret,
  openClientSecret,
  providerClientWith,
  providerRequestOptions,
} from './oauth-client';
import { assertProviderAvailable } from './provider-errors';

/**
 * What revoking a token needs from its per-user connector: the settings and the client
 * secret. Sealed as JSON in this shape for the retry job (revocation-queue.ts).
 */
export interface RevocationClient {
  connector: { id: string; config: StoredPerUserConfig };
  secrets: ClientSecret;
}

const revocationClientSchema = z.object({
  connector: z.object({ id: z.string(), config: storedPerUserConfigSchema }),
  secrets: z.object({ clientSecret: z.string().optional() }),
});

/** A revocation client as `JSON.stringify` sealed it, checked rather than trusted. */
export function parseRevocationClient(json: string): RevocationClient {
  return revocationClientSchema.parse(JSON.parse(json));
}

export function revocationClientOf(
  vault: Vault,
  connector: StoredPerUserConnector,
): RevocationClient {
  return {
    connector: { id: connector.id, config: connector.config },
    secrets: openClientSecret(vault, connector),
  };
}

/**
 * RFC 7009 §2.1: revokes one token at the connector's revocation endpoint, typed or named by
 * its issuer's metadata, or the provider's own way (its quirk module). Resolves on 200 (which
 * §2.2 also asks for a token the provider no longer knows); throws on any other answer or
 * when the provider is down, so the caller can retry later.
 */
export async function revokeToken(
  deps: CoreDeps,
  revocationClient: RevocationClient,
  token: string,
  tokenTypeHint: TokenTypeHint,
): Promise<void> {
  const connector = { ...revocationClient.connector, authMode: 'per-user' } as const;
  const quirkRevoke = quirkRevocationOf(connector.config);
  if (quirkRevoke) {
    const options = providerRequestOptions(deps, connector.id);
    await quirkRevoke({
      fetch: options[oauth.customFetch],
      token,
      tokenTypeHint,
      clientId: connector.config.clientId,
      clientSecret: revocationClient.secrets.clientSecret ?? '',
      apiBaseUrl: connector.config.apiBaseUrl,
      apiHeaders: connector.config.apiHeaders ?? {},
      signal: options.signal,
    });
    return;
  }
  const as = await authorizationServerFor(deps, connector);
  const { client, auth, options } = providerClientWith(
    deps,
    connector,
    revocationClient.secrets,
    as,
  );
  const response = await oauth.revocationRequest(as, client, auth, token, {
    ...options,
    additionalParameters: { token_type_hint: tokenTypeHint },
  });
  await oauth.processRevocationResponse(assertProviderAvailable(response));
}

/** The provider's own revocation, from the quirk module its preset names, if it has one. */
export function quirkRevocationOf(config: StoredPerUserConfig) {
  return config.quirks ? QUIRKS[config.quirks]?.revoke : undefined;
}

/**
 * Whether the connector has a revocation endpoint: typed, or named by its issuer's metadata.
 * Metadata out of reach counts as yes: the token is then queued, and the retry job asks again.
 */
export async function revokesTokens(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
): Promise<boolean> {
  if (quirkRevocationOf(connector.config)) return true;
  if (!connector.config.discovery) return Boolean(connector.config.revocationUrl);
  try {
    return Boolean((await authorizationServerFor(deps, connector)).revocation_endpoint);
  } catch {
    return true;
  }
}
