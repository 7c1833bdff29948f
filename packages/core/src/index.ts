export * from './api-keys/api-keys';
export * from './connections/access-token';
export * from './connections/access-tokens';
export * from './connections/connection-api-base-url';
export * from './connections/connection-credentials';
export * from './connections/connection-view';
export * from './connections/keep-connections-alive';
export * from './connections/mark-reauth-required';
export * from './connections/purge-unused-connections';
export * from './connections/save-connection-tokens';
export * from './connections/verify-connection';
export * from './connectors/connector-schema';
export * from './connectors/connector-secrets';
export * from './connectors/connector-view';
export * from './connectors/create-connector';
export * from './connectors/delete-connector';
export * from './connectors/endpoint-policy';
export * from './connectors/list-connectors';
export * from './connectors/presets/provider-view';
export * from './connectors/provider-view-schema';
export * from './connectors/shared-credentials';
export * from './connectors/stored-auth-settings';
export * from './connectors/update-connector';
export type * from './deps';
export { connectUrlOf, createConnectSession } from './end-users/create-connect-session';
export { deleteEndUser, type EndUserDeletion } from './end-users/delete-end-user';
export { isEndUserId } from './end-users/end-user-id';
export {
  type CreateConnectSessionInput,
  type CreatedConnectSession,
  connectSessionCreatedSchema,
  createConnectSessionSchema,
  endUserProfileSchema,
  externalIdSchema,
} from './end-users/end-user-schema';
export {
  type EndUserConnectionView,
  type EndUserDetail,
  type EndUserView,
  endUserConnections,
  endUserConnectionViewSchema,
  endUserDetailSchema,
  endUserViewSchema,
  toEndUserView,
} from './end-users/end-user-view';
export {
  ensureSessionEndUser,
  findLiveConnectSession,
  sessionAllowsConnector,
} from './end-users/live-connect-session';
export * from './errors/error-codes';
export * from './errors/latchkey-error';
export * from './events/connection-event';
export * from './events/webhook-schema';
export * from './locks/lease-lock';
export * from './metrics/core-metrics';
export * from './oauth/audit';
export * from './oauth/callback/complete-authorization-flow';
export * from './oauth/cancel-authorization-flow';
export { bindDeferredFlow } from './oauth/deferred-browser-binding';
export * from './oauth/disconnect-connection';
export { createMetadataCache, METADATA_TTL_MS } from './oauth/discovery/metadata-cache';
export * from './oauth/hashes';
export * from './oauth/retry-pending-revocations';
export * from './oauth/return-url';
export * from './oauth/start-authorization-flow';
export type * from './store';
export * from './users/password-hasher';
export * from './users/roles';
export * from './users/user-accounts';
export * from './users/user-schema';
export * from './vault/encryption-keys';
export * from './vault/rotate-keys';
export * from './vault/vault';
