import * as oauth from 'oauth4webapi';
import type { StoredPerUserConfig } from '../connectors/connector-schema';
import { findPerUserConnector } from '../connectors/find-per-user-connector';
import type { CoreDeps } from '../deps';
import { recordAudit } from './audit';
import { randomToken, sha256 } from './hashes';
import { checkReturnUrl } from './return-url';

export interface StartedFlow {
  authorizationUrl: string;
  state: string;
}

const PKCE_METHOD = 'S256';

/**
 * Starts the authorization code flow (RFC 6749 §4.1) with PKCE S256 (RFC 7636) for one user
 * in one browser. Scopes come from the connector only, never from the request.
 */
export async function startAuthorizationFlow(
  deps: CoreDeps,
  input: { connectorId: string; userId: string; browserBinding: string; returnUrl?: string },
): Promise<StartedFlow> {
  const connector = await findPerUserConnector(deps, input.connectorId);
  const returnUrl = input.returnUrl
    ? checkReturnUrl(input.returnUrl, deps.oauth.publicBaseUrl)
    : null;
  const state = randomToken();
  const stateHash = sha256(state);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const { config } = connector;
  const now = deps.now();
  await deps.store.oauthStates.insert({
    stateHash,
    connectorId: connector.id,
    userId: input.userId,
    browserHash: sha256(input.browserBinding),
    sealedCodeVerifier: deps.vault.encrypt(codeVerifier, codeVerifierLocation(stateHash)),
    returnUrl,
    tokenEndpoint: config.tokenUrl,
    issuer: config.issuer ?? null,
    configVersion: connector.configVersion,
    createdAt: now,
    expiresAt: now + deps.oauth.stateTtlMs,
  });
  deps.metrics.flowStarted();
  await recordAudit(deps.store, now, {
    action: 'oauth_flow_started',
    actorUserId: input.userId,
    connectorId: connector.id,
  });
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  return { authorizationUrl: buildAuthorizationUrl(deps, config, state, codeChallenge), state };
}

export function codeVerifierLocation(stateHash: string) {
  return { table: 'oauth_states', column: 'code_verifier', rowId: stateHash };
}

function buildAuthorizationUrl(
  deps: CoreDeps,
  config: StoredPerUserConfig,
  state: string,
  codeChallenge: string,
): string {
  const url = new URL(config.authorizationUrl);
  for (const [key, value] of Object.entries(config.authorizationParams ?? {})) {
    url.searchParams.set(key, value);
  }
  // Before the flow's own parameters: whatever the connector names cannot replace them.
  if (config.scope) url.searchParams.set(config.scopeParamName ?? 'scope', config.scope);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', deps.oauth.redirectUri);
  url.searchParams.set('state', state);
  if (config.pkce !== false) {
    url.searchParams.set('code_challenge', codeChallenge);
    url.searchParams.set('code_challenge_method', PKCE_METHOD);
  }
  return url.href;
}
