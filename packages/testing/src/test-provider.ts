import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import { type ConsentMode, createInteractionHandler, INTERACTION_PATH } from './interaction-route';
import { type IntrospectionResponse, introspectToken } from './introspect';
import { loadProvider } from './load-oidc-provider';
import { closeServer, LOOPBACK_HOST, listenOnLoopback } from './loopback-server';
import { MemoryStore } from './memory-adapter';
import {
  buildProviderConfiguration,
  type PushedAuthorizationMode,
  type TestClient,
} from './provider-config';
import { discoverEndpoints, type ProviderEndpoints } from './provider-endpoints';
import { installRequestCounters, type RequestCounts } from './request-counters';
import {
  createTokenResponseQuirks,
  type TokenResponseQuirks,
  type TokenResponseQuirksHandle,
} from './token-response-quirks';

export interface TestProviderOptions {
  clients: TestClient[];
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  scopes?: string[];
  /** 0 (default) picks a free port; a fixed one lets a test restart on the same port. */
  port?: number;
  consent?: ConsentMode;
  pushedAuthorizationRequests?: PushedAuthorizationMode;
}

export interface TestProvider extends ProviderEndpoints {
  issuer: string;
  port: number;
  /** Live counters of requests that reached the provider; see resetCounts(). */
  counts: RequestCounts;
  /** The adapter's storage, to inspect issued grants and tokens. */
  store: MemoryStore;
  resetCounts(): void;
  /** Destroys the grants of the account (all accounts if omitted) and all their tokens. */
  revokeAllGrants(accountId?: string): number;
  setConsentMode(mode: ConsentMode): void;
  /** When false the revocation endpoint answers 503 without processing the request. */
  setRevocationAvailable(available: boolean): void;
  /** When false the token endpoint answers 503 without processing the request. */
  setTokenEndpointAvailable(available: boolean): void;
  /** Makes token responses leave out `expires_in` or the rotated refresh token; {} undoes. */
  setTokenResponseQuirks(quirks: TokenResponseQuirks): void;
  /** Introspects with the first client's credentials. */
  introspect(token: string): Promise<IntrospectionResponse>;
  /** Closes the listener and every open socket; state is kept for start(). */
  stop(): Promise<void>;
  /** Listens again on the same port with the same keys, clients and stored tokens. */
  start(): Promise<void>;
}

export const DEFAULT_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'read', 'write'];
const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;
const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 14 * 24 * 3600;

/** Starts a real oidc-provider authorization server on 127.0.0.1. */
export async function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  const [introspectionClient] = options.clients;
  if (introspectionClient === undefined) {
    throw new Error('startTestProvider needs at least one client');
  }
  const ProviderClass = await loadProvider();
  // The issuer contains the port, so the socket is bound before the provider exists. Until
  // a request listener is attached nobody can know the port, so nothing arrives meanwhile.
  const server = createServer();
  const port = await listenOnLoopback(server, options.port ?? 0);
  try {
    const issuer = `http://${LOOPBACK_HOST}:${port}`;
    const store = new MemoryStore();
    const quirks = createTokenResponseQuirks();
    const provider = new ProviderClass(issuer, configurationFor(options, store, quirks));
    quirks.install(provider);
    const consent = options.consent ?? 'grant';
    return await serveProvider({
      server,
      port,
      provider,
      store,
      introspectionClient,
      consent,
      quirks,
    });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
}

function configurationFor(
  options: TestProviderOptions,
  store: MemoryStore,
  quirks: TokenResponseQuirksHandle,
) {
  return buildProviderConfiguration({
    clients: options.clients,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TOKEN_TTL_SECONDS,
    scopes: options.scopes ?? DEFAULT_SCOPES,
    store,
    rotateRefreshToken: quirks.rotateRefreshToken,
    pushedAuthorizationRequests: options.pushedAuthorizationRequests ?? 'offered',
  });
}

interface ServedProvider {
  server: Server;
  port: number;
  provider: Provider;
  store: MemoryStore;
  introspectionClient: TestClient;
  consent: ConsentMode;
  quirks: TokenResponseQuirksHandle;
}

/** Routes requests to the interaction handler or to oidc-provider, and builds the handle. */
async function serveProvider(served: ServedProvider): Promise<TestProvider> {
  const { server, port, provider, store, introspectionClient } = served;
  let consentMode = served.consent;
  const counters = installRequestCounters(provider);
  const interact = createInteractionHandler(provider, () => consentMode);
  const providerCallback = provider.callback();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.url?.startsWith(INTERACTION_PATH)) {
      void interact(request, response);
    } else {
      void providerCallback(request, response);
    }
  });

  const endpoints = await discoverEndpoints(provider.issuer);
  return {
    issuer: provider.issuer,
    port,
    ...endpoints,
    counts: counters.counts,
    store,
    resetCounts: counters.reset,
    revokeAllGrants: (accountId) => store.revokeGrants(accountId),
    setConsentMode: (mode) => {
      consentMode = mode;
    },
    setRevocationAvailable: counters.setRevocationAvailable,
    setTokenEndpointAvailable: counters.setTokenEndpointAvailable,
    setTokenResponseQuirks: (next) => served.quirks.set(next),
    introspect: (token) =>
      introspectToken(endpoints.introspectionEndpoint, introspectionClient, token),
    stop: () => closeServer(server),
    start: async () => {
      await listenOnLoopback(server, port);
    },
  };
}
