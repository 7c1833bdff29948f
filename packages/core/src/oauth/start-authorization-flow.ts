import * as oauth from 'oauth4webapi';
import { type RequestedScope, requestedScopeFor } from '../connections/requested-scope';
import type { StoredPerUserConfig } from '../connectors/connector-schema';
import { findPerUserConnector } from '../connectors/find-per-user-connector';
import type { CoreDeps } from '../deps';
import { recordAudit } from './audit';
import { authorizationUrlOf } from './authorization-url';
import { sealBeginToken } from './deferred-browser-binding';
import { authorizationServerFor } from './discovery/authorization-server-for';
import { randomToken, sha256 } from './hashes';
import { endpointOf } from './oauth-client';
import { pushAuthorizationRequest, usesPushedAuthorization } from './pushed-authorization-request';
import { checkReturnUrl } from './return-url';

export interface StartedFlow {
  authorizationUrl: string;
  state: string;
  /** Only for a flow started without a browser binding: see deferred-browser-binding.ts. */
  begin?: string;
}

const PKCE_METHOD = 'S256';

/**
 * Starts the authorization code flow (RFC 6749 §4.1) with PKCE S256 (RFC 7636) for one user
 * in one browser. Scopes come from the connector and the user's existing grant, never from
 * the request (requested-scope.ts). When the
 * server offers or requires PAR (RFC 9126), the parameters are pushed to it first and the
 * browser carries only `client_id` and `request_uri`.
 */
export async function startAuthorizationFlow(
  deps: CoreDeps,
  input: {
    connectorId: string;
    userId: string;
    /** Absent when the browser cannot take the cookie now: the flow then waits for `begin`. */
    browserBinding?: string;
    returnUrl?: string;
    /** The connect session starting it for its end user, who may return to the app's origins. */
    connectSessionHash?: string;
  },
): Promise<StartedFlow> {
  const connector = await findPerUserConnector(deps, input.connectorId);
  const returnUrl = input.returnUrl ? checkFlowReturnUrl(deps, input.returnUrl, input) : null;
  const as = await authorizationServerFor(deps, connector);
  const state = randomToken();
  const stateHash = sha256(state);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const requested = await requestedScopeFor(deps, connector, input.userId);
  const parameters = authorizationParameters(deps, connector.config, requested, {
    state,
    codeChallenge,
  });
  const authorizationUrl = usesPushedAuthorization(as)
    ? await pushAuthorizationRequest(deps, connector, as, parameters)
    : authorizationUrlOf(as, parameters);
  const { binding, begin } = flowBinding(deps, input.browserBinding, authorizationUrl, stateHash);
  const now = deps.now();
  await deps.store.oauthStates.insert({
    stateHash,
    connectorId: connector.id,
    userId: input.userId,
    browserHash: sha256(binding),
    sealedCodeVerifier: deps.vault.encrypt(codeVerifier, codeVerifierLocation(stateHash)),
    returnUrl,
    tokenEndpoint: endpointOf(as, 'token_endpoint'),
    issuer: connector.config.issuer ?? null,
    configVersion: connector.configVersion,
    createdAt: now,
    expiresAt: now + deps.oauth.stateTtlMs,
    connectSessionHash: input.connectSessionHash ?? null,
  });
  deps.metrics.flowStarted();
  await recordAudit(deps.store, now, {
    action: 'oauth_flow_started',
    actorUserId: input.userId,
    connectorId: connector.id,
  });
  return { authorizationUrl, state, ...(begin ? { begin } : {}) };
}

/** The browser's cookie value, or for a flow that waits for one, its begin token. */
function flowBinding(
  deps: CoreDeps,
  browserBinding: string | undefined,
  authorizationUrl: string,
  stateHash: string,
): { binding: string; begin?: string } {
  if (browserBinding !== undefined) return { binding: browserBinding };
  const begin = sealBeginToken(deps, authorizationUrl, stateHash);
  return { binding: begin, begin };
}

function checkFlowReturnUrl(
  deps: CoreDeps,
  returnUrl: string,
  input: { connectSessionHash?: string },
): string {
  const { publicBaseUrl, connectReturnOrigins } = deps.oauth;
  const origins = input.connectSessionHash
    ? [publicBaseUrl, ...connectReturnOrigins]
    : [publicBaseUrl];
  return checkReturnUrl(returnUrl, publicBaseUrl, origins);
}

export function codeVerifierLocation(stateHash: string) {
  return { table: 'oauth_states', column: 'code_verifier', rowId: stateHash };
}

/** The authorization request's parameters, in the browser's URL or pushed (RFC 9126 §2.1). */
function authorizationParameters(
  deps: CoreDeps,
  config: StoredPerUserConfig,
  requested: RequestedScope,
  { state, codeChallenge }: { state: string; codeChallenge: string },
): URLSearchParams {
  const parameters = new URLSearchParams(config.authorizationParams ?? {});
  // Before the flow's own parameters: whatever the connector names cannot replace them.
  if (requested.scope) parameters.set(config.scopeParamName ?? 'scope', requested.scope);
  // Incremental authorization: the provider keeps the earlier grant's scopes in the new one.
  if (requested.extendsGrant && config.incrementalAuthorization) {
    parameters.set('include_granted_scopes', 'true');
  }
  parameters.set('response_type', 'code');
  parameters.set('client_id', config.clientId);
  parameters.set('redirect_uri', deps.oauth.redirectUri);
  parameters.set('state', state);
  if (config.pkce !== false) {
    parameters.set('code_challenge', codeChallenge);
    parameters.set('code_challenge_method', PKCE_METHOD);
  }
  return parameters;
}
