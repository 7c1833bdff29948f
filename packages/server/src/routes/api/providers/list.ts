import { providerListSchema, toProviderView } from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerListProviders: RegisterRoute = (app, deps) => {
  typed(app).get('/api/providers', {
    schema: { tags: ['connectors'], response: { 200: providerListSchema } },
    handler: async (request) => {
      requirePrivilege(request, 'connectors:read');
      return {
        redirectUri: deps.oauth.redirectUri,
        providers: deps.catalog.list().map(toProviderView),
      };
    },
  });
};
