/**
 * The shapes of the HTTP API as the SDK sees them. Where the server's zod schemas live in
 * `@latchkey/core`, the types come from there (type-only imports: nothing of core reaches a
 * browser bundle); the few schemas that are local to a server route are restated here.
 */
import type {
  ApiKeyView,
  AuthStatus,
  ConnectionView,
  ConnectorView,
  EndUserView,
  WebhookView,
} from '@latchkey/core';

export type {
  ApiKeyPermission,
  ApiKeyView,
  AuthStatus,
  ConnectionState,
  ConnectionView,
  ConnectorEndpoints,
  ConnectorInput,
  ConnectorView,
  CreateApiKeyInput,
  CreateConnectSessionInput,
  CreatedConnectSession,
  CreateUserInput,
  CreateWebhookInput,
  EndUserConnectionView,
  EndUserDetail,
  EndUserView,
  ErrorCode,
  PresetConnectorInput,
  ProviderInputKind,
  ProviderInputView,
  ProviderList,
  ProviderView,
  Role,
  UpdateUserInput,
  UserAuthStatus,
  UserView,
  WebhookDeliveryView,
  WebhookView,
} from '@latchkey/core';

/** `POST /api/auth/login`. */
export interface LoginInput {
  username: string;
  password: string;
}

/** `POST /api/connectors/_me/auth_status`: the caller's status for every connector. */
export type AuthStatusMap = Record<string, AuthStatus>;

/** `POST /api/connectors/:id/_verify`: the connection as the provider's check left it. */
export type VerifiedConnection = ConnectionView;

/** `POST /api/connectors/:id/_start_oauth_flow`. */
export interface StartOAuthFlowInput {
  /** A same-origin URL to come back to; without it the flow ends on the result page. */
  returnUrl?: string;
}

export interface StartedOAuthFlow {
  authorizationUrl: string;
  /** Needed to cancel the flow (`cancelOAuthFlow`); never put it in a URL or a log. */
  state: string;
}

/** `GET /api/connectors/:id/_token` (API keys with `tokens:read` only). */
export interface AccessTokenView {
  accessToken: string;
  tokenType: string;
  /** ISO 8601, or null when the provider did not say. */
  expiresAt: string | null;
}

/** `POST /api/api_keys`: the key itself is in this answer only. */
export type CreatedApiKey = ApiKeyView & { key: string };

/** `POST /api/webhooks`: the endpoint with its `whsec_…` secret, shown only here. */
export type CreatedWebhook = WebhookView & { secret: string };

/** One row of `GET /api/audit`. */
export interface AuditEventView {
  id: string;
  createdAt: string;
  action: string;
  outcome: 'success' | 'failure';
  reason: string | null;
  actorUserId: string | null;
  apiKeyId: string | null;
  subjectUserId: string | null;
  connectorId: string | null;
  /**
   * More about the event, e.g. for `connector_updated`
   * `{changes: {"config.tokenUrl": "changed", "secrets.clientSecret": "replaced"}}`.
   */
  details: Record<string, unknown> | null;
}

export interface AuditPage {
  events: AuditEventView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface ListAuditInput {
  /** 1–500; the server's default is 50. */
  limit?: number;
  cursor?: string;
}

/** `GET /api/connect_session`: what a connect session may do, as the session sees it. */
export interface ConnectSessionView {
  endUser: { externalId: string; displayName?: string };
  /** ISO 8601. */
  expiresAt: string;
  returnUrl?: string;
  /** Only the session's connectors, with `userAuthStatus` for its end user. */
  connectors: ConnectorView[];
}

/** `GET /api/end_users`. */
export interface EndUserPage {
  endUsers: EndUserView[];
  /** Pass as `cursor` for the next page; absent (or null) on the last one. */
  nextCursor?: string | null;
}
