import * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import type { StoredConnector, TokenTypeHint } from '../store';
import { providerClientOf } from './oauth-client';
import { assertProviderAvailable } from './provider-errors';

/**
 * RFC 7009 §2.1: revokes one token at the connector's revocation endpoint. Resolves on
 * success (200, or 400 `invalid_token`-like answers for tokens the provider already forgot,
 * per §2.2); throws when the provider is down or refuses, so the caller can retry later.
 */
export async function revokeToken(
  deps: CoreDeps,
  connector: StoredConnector,
  token: string,
  tokenTypeHint: TokenTypeHint,
): Promise<void> {
  const { as, client, auth, options } = providerClientOf(deps, connector);
  const response = await oauth.revocationRequest(as, client, auth, token, {
    ...options,
    additionalParameters: { token_type_hint: tokenTypeHint },
  });
  await oauth.processRevocationResponse(assertProviderAvailable(response));
}
