import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionResults, Provider, UnknownObject } from 'oidc-provider';

export type ConsentMode = 'grant' | 'deny';

/** Path prefix of the provider's `interactions.url`; the test server routes it here. */
export const INTERACTION_PATH = '/interaction/';

/** Used when the authorization request carries no `login_hint`. */
export const DEFAULT_ACCOUNT_ID = 'user-1';

/**
 * Stands in for the login and consent pages: every interaction is answered at once, so a
 * plain redirect-following HTTP client (or a headless browser) completes the flow.
 */
export function createInteractionHandler(
  provider: Provider,
  consentMode: () => ConsentMode,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    try {
      const result = await resolveInteraction(provider, request, response, consentMode());
      // Each prompt is a separate interaction: never carry a previous submission over.
      await provider.interactionFinished(request, response, result, {
        mergeWithLastSubmission: false,
      });
    } catch (error) {
      // A plain-text 400 ends followAuthorization with a readable reason.
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

async function resolveInteraction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
  mode: ConsentMode,
): Promise<InteractionResults> {
  const interaction = await provider.interactionDetails(request, response);
  if (mode === 'deny') {
    return { error: 'access_denied', error_description: 'the user refused access' };
  }
  if (interaction.prompt.name === 'login') {
    return { login: { accountId: accountIdFrom(interaction.params) } };
  }
  const accountId = interaction.session?.accountId;
  const clientId = interaction.params.client_id;
  if (accountId === undefined || typeof clientId !== 'string') {
    throw new Error(
      `cannot consent without a session and a client (prompt ${interaction.prompt.name})`,
    );
  }
  const grantId = await grantMissing(
    provider,
    interaction.grantId,
    accountId,
    clientId,
    interaction.prompt.details,
  );
  // Only a new grant must be announced; an existing one was updated in place.
  return { consent: interaction.grantId === undefined ? { grantId } : {} };
}

/** `login_hint` selects the account so that one test can connect several distinct users. */
function accountIdFrom(params: UnknownObject): string {
  const hint = params.login_hint;
  return typeof hint === 'string' && hint !== '' ? hint : DEFAULT_ACCOUNT_ID;
}

/** Adds whatever scopes and claims the consent prompt reports as missing, then saves. */
async function grantMissing(
  provider: Provider,
  existingGrantId: string | undefined,
  accountId: string,
  clientId: string,
  details: UnknownObject,
): Promise<string> {
  const existing =
    existingGrantId === undefined ? undefined : await provider.Grant.find(existingGrantId);
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const missingScopes = stringsIn(details.missingOIDCScope);
  if (missingScopes.length > 0) grant.addOIDCScope(missingScopes.join(' '));
  const missingClaims = stringsIn(details.missingOIDCClaims);
  if (missingClaims.length > 0) grant.addOIDCClaims(missingClaims);
  return grant.save();
}

function stringsIn(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
