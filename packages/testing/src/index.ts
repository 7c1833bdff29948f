export { CookieJar } from './cookie-jar';
export { type FollowAuthorizationOptions, followAuthorization } from './follow-authorization';
export { type ConsentMode, DEFAULT_ACCOUNT_ID } from './interaction-route';
export type { IntrospectionResponse } from './introspect';
export { MemoryStore } from './memory-adapter';
export { createTestPostgresDatabase, type TestPostgresDatabase } from './postgres-database';
export { queryPostgres } from './postgres-query';
export type { PushedAuthorizationMode, TestClient } from './provider-config';
export type { ProviderEndpoints } from './provider-endpoints';
export {
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from './recording-server';
export type { RequestCounts } from './request-counters';
export { type ResourceApi, startResourceApi } from './resource-api';
export { type DropboxStandIn, startDropboxStandIn } from './stand-ins/dropbox';
export {
  type GitHubStandIn,
  type GitHubStandInOptions,
  startGitHubStandIn,
} from './stand-ins/github';
export { type NotionStandIn, startNotionStandIn } from './stand-ins/notion';
export { type SalesforceStandIn, startSalesforceStandIn } from './stand-ins/salesforce';
export { type SlackStandIn, type SlackStandInOptions, startSlackStandIn } from './stand-ins/slack';
export type { StandInRequest, StandInServer } from './stand-ins/stand-in-server';
export { type StravaStandIn, startStravaStandIn } from './stand-ins/strava';
export {
  DEFAULT_SCOPES,
  startTestProvider,
  type TestProvider,
  type TestProviderOptions,
} from './test-provider';
export type { TokenResponseQuirks } from './token-response-quirks';
export {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from './webhook-receiver';
