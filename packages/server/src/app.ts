import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { AppDeps } from './app-deps';
import { lazyRequestLogger } from './logger';
import { registerHttpMetrics } from './metrics/http-metrics';
import { registerApiKeyAuth } from './plugins/api-key-auth';
import { fastifyTrustProxy } from './plugins/client-address';
import { registerConnectSessionAuth } from './plugins/connect-session-auth';
import { registerConnectSessionCors } from './plugins/connect-session-cors';
import { registerConnectSessionLimit } from './plugins/connect-session-limit';
import { registerCrossSiteGuard } from './plugins/cross-site-guard';
import { handleFrameworkError, registerErrorHandler } from './plugins/error-handler';
import { apiHelmetOptions, registerSecurityHeaders } from './plugins/security-headers';
import { registerSessions } from './plugins/sessions';
import { asPluginStore } from './rate-limits/plugin-store';
import { RequestLogController } from './request-log-controller';
import { registerRoutes } from './routes/index';
import { registerWebUi } from './web/web-ui';

/** Builds the HTTP app without listening, so tests can call it in-process. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    childLoggerFactory: lazyRequestLogger,
    logController: new RequestLogController(),
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: fastifyTrustProxy(deps.config.trustProxy),
    // An end user's external id (up to 256 characters) percent-encoded fits.
    routerOptions: { maxParamLength: 800 },
    frameworkErrors: handleFrameworkError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerHttpMetrics(app, deps.metrics.http);

  await app.register(fastifyCookie);
  registerSecurityHeaders(app, apiHelmetOptions(deps.config.publicBaseUrl));
  await app.register(fastifyRateLimit, {
    global: false,
    store: asPluginStore(deps.rateLimitStore),
  });
  await app.register(fastifySwagger, {
    openapi: { info: { title: 'Latchkey', version: '0.1.0' } },
    transform: jsonSchemaTransform,
  });

  registerSessions(app, deps);
  registerApiKeyAuth(app, deps);
  registerConnectSessionCors(app, deps.config);
  registerConnectSessionAuth(app, deps);
  registerConnectSessionLimit(app, deps);
  registerCrossSiteGuard(app, deps.config);
  await registerRoutes(app, deps);
  await registerWebUi(app);
  return app;
}
