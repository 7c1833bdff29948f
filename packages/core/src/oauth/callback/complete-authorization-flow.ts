import { connectedAccountOf } from '../../connections/connected-account';
import { keptMetadata } from '../../connections/kept-metadata';
import { requestedScopeFor } from '../../connections/requested-scope';
import { saveConnectionTokens } from '../../connections/save-connection-tokens';
import type { CoreDeps } from '../../deps';
import type { ErrorCode } from '../../errors/error-codes';
import { LatchkeyError } from '../../errors/latchkey-error';
import { failureOutcome } from '../../metrics/core-metrics';
import { recordAudit } from '../audit';
import { checkOAuthState, consumeOAuthState } from './consume-oauth-state';
import { exchangeAuthorizationCode } from './exchange-authorization-code';
import { loadFlowConnector } from './load-flow-connector';
import { validateAuthorizationResponse } from './validate-authorization-response';

export interface CallbackInput {
  params: URLSearchParams;
  userId: string | undefined;
  browserBinding: string | undefined;
}

export type CallbackOutcome =
  | { status: 'success'; connectorId: string; returnUrl: string | null }
  | { status: 'error'; error: ErrorCode; connectorId: string | null; returnUrl: string | null };

/** Follows the callback's checklist and counts how the flow ended. */
export async function completeAuthorizationFlow(
  deps: CoreDeps,
  input: CallbackInput,
): Promise<CallbackOutcome> {
  try {
    const outcome = await followCallbackChecklist(deps, input);
    deps.metrics.flowFinished(outcome.status === 'success' ? 'connected' : outcome.error);
    return outcome;
  } catch (error) {
    deps.metrics.flowFinished(failureOutcome(error));
    throw error;
  }
}

/**
 * The callback as a checklist. Every step before `exchangeAuthorizationCode` can only
 * refuse; none of them talks to the provider (invariant 2), but for the issuer's metadata
 * once the state is known good, when a discovering connector's cache has expired.
 */
async function followCallbackChecklist(
  deps: CoreDeps,
  input: CallbackInput,
): Promise<CallbackOutcome> {
  const state = input.params.get('state');
  let flow: Awaited<ReturnType<typeof consumeOAuthState>>;
  try {
    flow = await consumeOAuthState(deps, state);
  } catch (error) {
    await auditFailure(deps, input.userId, null, error);
    return { status: 'error', error: codeOf(error), connectorId: null, returnUrl: null };
  }
  let ownerConfirmed = false;
  try {
    await checkOAuthState(deps, flow, input);
    ownerConfirmed = true;
    const flowConnector = await loadFlowConnector(deps, flow);
    const { connector } = flowConnector;
    const params = validateAuthorizationResponse(flowConnector, input.params, state as string);
    const tokens = await exchangeAuthorizationCode(deps, flowConnector, flow, params);
    const sources = { tokens, callback: input.params };
    const requested = await requestedScopeFor(deps, connector, flow.userId);
    await saveConnectionTokens(deps, connector.id, flow.userId, tokens, {
      configVersion: flow.configVersion,
      metadata: keptMetadata(connector.config.keep, sources, null, deps.endpointPolicy),
      requestedScope: requested.scope ?? null,
      account: await connectedAccountOf(deps, connector, tokens),
    });
    await recordAudit(deps.store, deps.now(), {
      action: 'oauth_connected',
      actorUserId: flow.userId,
      connectorId: connector.id,
    });
    return { status: 'success', connectorId: connector.id, returnUrl: flow.returnUrl };
  } catch (error) {
    await auditFailure(deps, input.userId ?? flow.userId, flow.connectorId, error);
    return {
      status: 'error',
      error: codeOf(error),
      connectorId: flow.connectorId,
      // A flow another user or browser delivered must not redirect anywhere on its behalf.
      returnUrl: ownerConfirmed || input.userId === flow.userId ? flow.returnUrl : null,
    };
  }
}

function codeOf(error: unknown): ErrorCode {
  if (error instanceof LatchkeyError) return error.code;
  throw error;
}

async function auditFailure(
  deps: CoreDeps,
  userId: string | undefined,
  connectorId: string | null,
  error: unknown,
) {
  const reason = error instanceof LatchkeyError ? error.code : 'internal_error';
  const detail = error instanceof LatchkeyError ? error.details?.providerError : undefined;
  await recordAudit(deps.store, deps.now(), {
    action: 'oauth_failed',
    outcome: 'failure',
    reason: typeof detail === 'string' ? `${reason}:${detail}` : reason,
    ...(userId ? { actorUserId: userId } : {}),
    ...(connectorId ? { connectorId } : {}),
  });
}
