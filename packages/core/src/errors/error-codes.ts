/**
 * Every error code Latchkey answers with, its HTTP status and its default message.
 * `docs/errors.md` lists the same codes; `error-codes-doc.test.ts` keeps the two in step.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, message: 'The request is malformed.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  validation_failed: { status: 400, message: 'The request does not match the schema.' },
  unsupported_media_type: { status: 415, message: 'State-changing requests need a JSON body.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  cross_site_request: { status: 403, message: 'Cross-site requests are refused.' },
  unauthenticated: { status: 401, message: 'Log in first.' },
  invalid_credentials: { status: 401, message: 'Wrong username or password.' },
  forbidden: { status: 403, message: 'Your role does not allow this.' },
  not_found: { status: 404, message: 'No such route.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  rate_limited: { status: 429, message: 'Too many requests; try again later.' },
  user_not_found: { status: 404, message: 'No such user.' },
  username_taken: { status: 409, message: 'That username is taken.' },
  last_admin: { status: 409, message: 'The last admin cannot be removed or demoted.' },
  connector_not_found: { status: 404, message: 'No such connector.' },
  connector_name_taken: { status: 409, message: 'A connector with that name exists.' },
  connection_incomplete: {
    status: 409,
    message:
      'The connection lacks a value its API address needs (such as an instance URL); connect again.',
  },
  provider_not_found: {
    status: 400,
    message: 'No such provider in the catalog; GET /api/providers lists them.',
  },
  insecure_endpoint: {
    status: 400,
    message: 'Endpoints must use https (http only for loopback hosts when allowed).',
  },
  secret_required: { status: 400, message: 'A required secret is missing.' },
  egress_denied: {
    status: 502,
    message: 'The egress policy refuses connections to this address.',
    // Saving an endpoint whose address the policy refuses is the request's fault.
    otherStatuses: [400],
  },
  issuer_mismatch: {
    status: 400,
    message: "The issuer's metadata names another issuer than the one configured.",
  },
  discovery_metadata_unsupported: {
    status: 400,
    message: "The issuer's metadata lacks what Latchkey needs (endpoints, PKCE S256).",
  },
  discovery_failed: { status: 502, message: "The issuer's metadata could not be obtained." },
  decryption_failed: { status: 500, message: 'A stored secret could not be decrypted.' },
  unknown_encryption_key: {
    status: 500,
    message: 'A stored secret was encrypted with a key that is not configured.',
  },
  connector_not_per_user: {
    status: 400,
    message: 'This connector uses a shared credential; there is nothing to connect.',
  },
  invalid_return_url: {
    status: 400,
    message: 'returnUrl must be a same-origin URL of this Latchkey.',
  },
  oauth_callback_invalid: {
    status: 400,
    message: 'The authorization response is malformed or too large.',
  },
  oauth_state_invalid: {
    status: 400,
    message: 'This authorization flow is unknown or was already used.',
  },
  oauth_state_expired: { status: 400, message: 'This authorization flow has expired.' },
  oauth_state_user_mismatch: {
    status: 403,
    message: 'This authorization flow was started by another user.',
  },
  oauth_state_browser_mismatch: {
    status: 403,
    message: 'This authorization flow was started in another browser.',
  },
  oauth_flow_forbidden: {
    status: 403,
    message: 'This authorization flow belongs to another user.',
  },
  oauth_flow_connector_mismatch: {
    status: 400,
    message: 'This authorization flow was started for another connector.',
  },
  oauth_connector_changed: {
    status: 409,
    message: 'The connector changed while you were authorizing; connect again.',
  },
  oauth_pushed_authorization_failed: {
    status: 502,
    message: 'The provider refused the pushed authorization request.',
  },
  oauth_access_denied: { status: 400, message: 'Access was denied at the provider.' },
  oauth_provider_error: { status: 502, message: 'The provider refused the authorization.' },
  oauth_response_invalid: {
    status: 400,
    message: 'The authorization response failed validation (state or issuer).',
  },
  oauth_client_authentication_failed: {
    status: 502,
    message: 'The provider rejected the client credentials; check the client ID and secret.',
  },
  oauth_invalid_grant: {
    status: 400,
    message: 'The provider rejected the authorization code; connect again.',
  },
  oauth_token_exchange_failed: {
    status: 502,
    message: 'The provider did not return a usable token response.',
  },
  invalid_api_key: { status: 401, message: 'The API key is unknown or revoked.' },
  api_key_forbidden: { status: 403, message: 'This API key lacks the permission for this.' },
  api_key_required: {
    status: 403,
    message: 'Tokens are handed out to API keys with tokens:read only, never to browsers.',
  },
  acting_user_required: {
    status: 400,
    message: 'Name the user to act for in X-Latchkey-User (needs the on_behalf permission).',
  },
  api_key_not_found: { status: 404, message: 'No such API key.' },
  connect_session_invalid: {
    status: 401,
    message:
      'The connect session is unknown, has expired or was withdrawn; ask the application for a new link.',
  },
  connect_session_forbidden: {
    status: 403,
    message: 'A connect session may only connect its own connectors on its few routes.',
  },
  end_user_not_found: { status: 404, message: 'No such end user.' },
  acting_user_ambiguous: {
    status: 400,
    message: 'Name either X-Latchkey-User or X-Latchkey-End-User, not both.',
  },
  webhook_not_found: { status: 404, message: 'No such webhook endpoint.' },
  webhook_delivery_not_found: {
    status: 404,
    message: 'This webhook endpoint has no delivery of that event.',
  },
  proxy_path_invalid: {
    status: 400,
    message: 'The proxied path must stay under the connector API base URL.',
  },
  proxy_body_too_large: { status: 413, message: 'The proxied request body is too large.' },
  proxy_busy: {
    status: 503,
    message: 'Too many proxied calls are in flight on this instance; retry shortly.',
  },
  upstream_unauthorized_not_replayed: {
    status: 401,
    message: 'The API refused the token and the request body could not be replayed; retry.',
  },
  upstream_response_too_large: { status: 502, message: 'The API response is too large.' },
  upstream_unavailable: { status: 502, message: 'The connector API could not be reached.' },
  shared_credential_failed: {
    status: 502,
    message: 'The shared credential of this connector could not be obtained.',
  },
  not_connected: {
    status: 409,
    message: 'You have not connected your account to this connector.',
  },
  reauth_required: {
    status: 409,
    message: 'The provider no longer accepts this connection; connect again.',
  },
  refresh_busy: {
    status: 503,
    message: 'Another instance is refreshing this token; try again shortly.',
  },
  provider_unavailable: { status: 502, message: 'The provider could not be reached.' },
  service_unavailable: { status: 503, message: 'The service is not ready.' },
  server_busy: { status: 503, message: 'The server is busy; try again shortly.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<
  string,
  { status: number; message: string; otherStatuses?: readonly number[] }
>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Every status a code can answer with: its usual one first. */
export function statusesOf(code: ErrorCode): readonly number[] {
  const entry: { status: number; otherStatuses?: readonly number[] } = ERROR_CODES[code];
  return [entry.status, ...(entry.otherStatuses ?? [])];
}
