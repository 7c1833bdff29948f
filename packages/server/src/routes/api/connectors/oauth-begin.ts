import { bindDeferredFlow, LatchkeyError } from '@latchkey/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ensureBrowserBinding } from '../../../oauth/browser-binding';
import { OAUTH_BEGIN_PATH } from '../../../oauth/paths';
import { RESULT_PAGE_HEADERS, renderResultPage } from '../../../oauth/result-page';
import type { RegisterRoute } from '../../route';

const querySchema = z.object({
  state: z.string().min(1).max(512),
  begin: z.string().min(1).max(4096),
});

/**
 * A top-level navigation, so the browser-binding cookie is first-party here: the flow a
 * cross-site fetch started is bound to this browser (its existing binding, if any, so its
 * other flows keep working), then the browser goes on to the provider.
 */
export const registerOAuthBegin: RegisterRoute = (app, deps) => {
  app.get(
    OAUTH_BEGIN_PATH,
    // HEAD must stay safe: a prefetch must not spend the one-time begin token.
    { schema: { tags: ['oauth'] }, exposeHeadRoute: false },
    async (request: FastifyRequest, reply) => {
      try {
        const query = querySchema.safeParse(request.query);
        if (!query.success) throw new LatchkeyError('oauth_state_invalid');
        const authorizationUrl = await bindDeferredFlow(deps, {
          ...query.data,
          browserBinding: ensureBrowserBinding(deps.config, request, reply),
        });
        return reply
          .headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
          .redirect(authorizationUrl, 302);
      } catch (error) {
        if (!(error instanceof LatchkeyError)) throw error;
        const page = renderResultPage({ status: 'error', connectorId: null, error: error.code });
        return reply.status(400).headers(RESULT_PAGE_HEADERS).send(page);
      }
    },
  );
};
