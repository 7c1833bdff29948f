/**
 * @latchkey/sdk — a typed client for the Latchkey HTTP API and React hooks for connecting a
 * user's own account to a connector. Types come from `@latchkey/core` as types only.
 */
export {
  type ClientCredential,
  createLatchkeyClient,
  type LatchkeyClient,
  type LatchkeyClientOptions,
} from './client';
export {
  isLatchkeyApiError,
  LatchkeyApiError,
  type LatchkeyErrorCode,
  toLatchkeyApiError,
} from './errors/latchkey-api-error';
export { SDK_ERROR_CODES, type SdkErrorCode } from './errors/sdk-error-codes';
export {
  type BrowserEnvironment,
  browserEnvironment,
  type TabHandle,
} from './oauth/browser-environment';
export { readCallerConnector } from './oauth/caller-connector';
export { createConnectFlow } from './oauth/connect-flow';
export {
  type ConnectFlow,
  type ConnectFlowOptions,
  type ConnectFlowState,
  type ConnectSuccess,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type RedirectFallbackNotice,
  type RedirectMode,
} from './oauth/connect-flow-types';
export {
  OAUTH_CHANNEL_NAME,
  type OAuthFlowMessage,
  type OAuthRedirectResult,
  parseOAuthFlowMessage,
  RESULT_PARAMS,
  readOAuthRedirectResult,
  withOAuthRedirectResult,
  withoutResultParams,
} from './oauth/oauth-result';
export {
  LatchkeyClientProvider,
  type LatchkeyClientProviderProps,
  useLatchkeyClient,
} from './react/client-context';
export {
  type UseConnectorOAuthConnectOptions,
  type UseConnectorOAuthConnectResult,
  useConnectorOAuthConnect,
} from './react/use-connector-oauth-connect';
export {
  type UseConnectorOAuthDisconnectOptions,
  type UseConnectorOAuthDisconnectResult,
  useConnectorOAuthDisconnect,
} from './react/use-connector-oauth-disconnect';
export {
  type UseOAuthRedirectResultOptions,
  type UseOAuthRedirectResultValue,
  useOAuthRedirectResult,
} from './react/use-oauth-redirect-result';
export type * from './wire-types';
