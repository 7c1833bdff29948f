import { type CallbackOutcome, completeAuthorizationFlow, LatchkeyError } from '@latchkey/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readBrowserBinding } from '../../../oauth/browser-binding';
import { OAUTH_CALLBACK_PATH } from '../../../oauth/paths';
import { RESULT_PAGE_HEADERS, renderResultPage } from '../../../oauth/result-page';
import { resultRedirectUrl } from '../../../oauth/result-redirect';
import { clientAddressKey } from '../../../plugins/client-address';
import { createRateLimitCheck } from '../../../plugins/rate-limits';
import type { RegisterRoute } from '../../route';

const MAX_QUERY_LENGTH = 8192;
const MAX_VALUE_LENGTH = 4096;
/** Parameters we read; each may appear once. Others from providers are tolerated. */
const SINGLE_VALUED = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri'];

/** Step 1: the raw query, checked for size and repeats before anything else happens. */
function parseCallbackQuery(url: string): URLSearchParams {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  if (query.length > MAX_QUERY_LENGTH) throw new LatchkeyError('oauth_callback_invalid');
  const params = new URLSearchParams(query);
  for (const [, value] of params) {
    if (value.length > MAX_VALUE_LENGTH) throw new LatchkeyError('oauth_callback_invalid');
  }
  for (const name of SINGLE_VALUED) {
    if (params.getAll(name).length > 1) throw new LatchkeyError('oauth_callback_invalid');
  }
  return params;
}

/** Last step: back to the stored return URL, or the result page for new-tab flows. */
function respond(reply: FastifyReply, outcome: CallbackOutcome, status = 200) {
  if (outcome.returnUrl) {
    const target = resultRedirectUrl(outcome.returnUrl, {
      oauth_authorization: outcome.status,
      ...(outcome.connectorId ? { connector_id: outcome.connectorId } : {}),
      ...(outcome.status === 'error' ? { error: outcome.error } : {}),
    });
    return reply
      .headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .redirect(target, 302);
  }
  const page = renderResultPage({
    status: outcome.status,
    connectorId: outcome.connectorId,
    ...(outcome.status === 'error' ? { error: outcome.error } : {}),
  });
  return reply.status(status).headers(RESULT_PAGE_HEADERS).send(page);
}

function failure(error: unknown): CallbackOutcome {
  if (!(error instanceof LatchkeyError)) throw error;
  return { status: 'error', error: error.code, connectorId: null, returnUrl: null };
}

export const registerOAuthCallback: RegisterRoute = (app, deps) => {
  const limit = createRateLimitCheck(app, {
    name: 'oauth-callback',
    max: deps.config.oauthCallbackLimitPerHour,
    windowSeconds: 3600,
    key: (request) => request.user?.id ?? clientAddressKey(request),
  });
  app.get(
    OAUTH_CALLBACK_PATH,
    {
      schema: { tags: ['oauth'], hide: false },
      // HEAD must stay safe: Fastify's automatic HEAD route would run the whole callback
      // (consume the flow, exchange the code) for a link checker or a prefetch.
      exposeHeadRoute: false,
    },
    async (request: FastifyRequest, reply) => {
      let params: URLSearchParams;
      try {
        params = parseCallbackQuery(request.url);
        await limit(request, reply);
      } catch (error) {
        const outcome = failure(error);
        return respond(
          reply,
          outcome,
          outcome.status === 'error' && outcome.error === 'rate_limited' ? 429 : 400,
        );
      }
      const outcome = await completeAuthorizationFlow(deps, {
        params,
        userId: request.user?.id,
        browserBinding: readBrowserBinding(deps.config, request),
      });
      request.log.info(
        {
          connectorId: outcome.connectorId,
          outcome: outcome.status,
          ...(outcome.status === 'error' ? { error: outcome.error } : {}),
        },
        'oauth callback handled',
      );
      return respond(reply, outcome, outcome.status === 'error' ? 400 : 200);
    },
  );
};
