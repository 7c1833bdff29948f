import { OAUTH_CALLBACK_SCRIPT_PATH } from '../../../oauth/paths';
import { RESULT_PAGE_SCRIPT } from '../../../oauth/result-page-script';
import type { RegisterRoute } from '../../route';

export const registerOAuthCallbackScript: RegisterRoute = (app) => {
  app.get(OAUTH_CALLBACK_SCRIPT_PATH, { schema: { tags: ['oauth'] } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(RESULT_PAGE_SCRIPT),
  );
};
