import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { registerCreateApiKey } from './api/api_keys/create';
import { registerRevokeApiKey } from './api/api_keys/delete';
import { registerListApiKeys } from './api/api_keys/list';
import { registerListAudit } from './api/audit/list';
import { registerLogin } from './api/auth/login';
import { registerLogout } from './api/auth/logout';
import { registerMe } from './api/auth/me';
import { registerGetConnectSession } from './api/connect_session/get';
import { registerCreateConnectSession } from './api/connect_sessions/create';
import { registerMyAuthStatus } from './api/connectors/_me/auth-status';
import { registerConnectionStatus } from './api/connectors/connection-status';
import { registerCreateConnector } from './api/connectors/create';
import { registerDeleteConnector } from './api/connectors/delete';
import { registerGetConnector } from './api/connectors/get';
import { registerListConnectors } from './api/connectors/list';
import { registerOAuthBegin } from './api/connectors/oauth-begin';
import { registerOAuthCallback } from './api/connectors/oauth-callback';
import { registerOAuthCallbackScript } from './api/connectors/oauth-callback-script';
import { registerOAuthCancel } from './api/connectors/oauth-cancel';
import { registerOAuthDisconnect } from './api/connectors/oauth-disconnect';
import { registerProxy } from './api/connectors/proxy';
import { registerStartOAuthFlow } from './api/connectors/start-oauth-flow';
import { registerGetToken } from './api/connectors/token';
import { registerUpdateConnector } from './api/connectors/update';
import { registerVerifyConnection } from './api/connectors/verify';
import { registerDeleteEndUser } from './api/end_users/delete';
import { registerGetEndUser } from './api/end_users/get';
import { registerListEndUsers } from './api/end_users/list';
import { registerOpenApi } from './api/openapi';
import { registerListProviders } from './api/providers/list';
import { registerCreateUser } from './api/users/create';
import { registerDeleteUser } from './api/users/delete';
import { registerListUsers } from './api/users/list';
import { registerUpdateUser } from './api/users/update';
import { registerCreateWebhook } from './api/webhooks/create';
import { registerDeleteWebhook } from './api/webhooks/delete';
import { registerListWebhookDeliveries } from './api/webhooks/deliveries/list';
import { registerRedeliverWebhook } from './api/webhooks/deliveries/redeliver';
import { registerGetWebhook } from './api/webhooks/get';
import { registerListWebhooks } from './api/webhooks/list';
import { registerRotateWebhookSecret } from './api/webhooks/rotate-secret';
import { registerHealthz, registerReadyz } from './health';
import type { RegisterRoute } from './route';

const ROUTES: RegisterRoute[] = [
  registerHealthz,
  registerReadyz,
  registerOpenApi,
  registerLogin,
  registerLogout,
  registerMe,
  registerListUsers,
  registerCreateUser,
  registerUpdateUser,
  registerDeleteUser,
  registerListConnectors,
  registerListProviders,
  registerMyAuthStatus,
  registerGetConnector,
  registerCreateConnector,
  registerUpdateConnector,
  registerDeleteConnector,
  registerStartOAuthFlow,
  registerOAuthBegin,
  registerOAuthCallback,
  registerOAuthCallbackScript,
  registerOAuthCancel,
  registerOAuthDisconnect,
  registerVerifyConnection,
  registerListAudit,
  registerCreateApiKey,
  registerListApiKeys,
  registerRevokeApiKey,
  registerGetToken,
  registerCreateConnectSession,
  registerGetConnectSession,
  registerListEndUsers,
  registerGetEndUser,
  registerDeleteEndUser,
  registerConnectionStatus,
  registerCreateWebhook,
  registerListWebhooks,
  registerGetWebhook,
  registerDeleteWebhook,
  registerRotateWebhookSecret,
  registerListWebhookDeliveries,
  registerRedeliverWebhook,
];

export async function registerRoutes(app: FastifyInstance, deps: AppDeps) {
  for (const register of ROUTES) register(app, deps);
  await registerProxy(app, deps);
}
