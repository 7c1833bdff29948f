import type { RegisterRoute } from '../route';

/** The OpenAPI document, generated from the route schemas by @fastify/swagger. */
export const registerOpenApi: RegisterRoute = (app) => {
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
