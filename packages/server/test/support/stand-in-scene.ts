import type { StandInRequest, StandInServer } from '@latchkey/testing';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { EgressOptions } from '../../src/egress';
import { connect, statusOf, type UserSession } from './oauth-harness';
import { catalogWithStandIn } from './stand-in-catalog';
import { storedTokens } from './stored-state';
import { startTestService, type TestService } from './test-service';

/** A stand-in that issues its own client: every provider stand-in in packages/testing. */
type ClientStandIn = StandInServer & { clientId: string; clientSecret: string };

export interface StandInSceneOptions {
  /** The catalog entry the connector uses, e.g. `github`. */
  provider: string;
  /** The connector's display name. */
  name: string;
  /** The entry's endpoints on the stand-in, and any other field the test changes. */
  entry: Parameters<typeof catalogWithStandIn>[1];
  /** The connector's config beyond the stand-in's client id (e.g. a scope). */
  config?: Record<string, unknown>;
  egress?: EgressOptions;
}

/** A service with one preset connector whose provider is a loopback stand-in. */
export interface StandInScene {
  service: TestService;
  connectorId: string;
  /** A fresh viewer who has connected, checked to be `connected`. */
  connectedUser(): Promise<UserSession>;
  /** A call through `/api/connectors/:id/proxy/<path>` with the user's session. */
  proxied(
    user: UserSession,
    path: string,
    method?: 'GET' | 'POST',
  ): Promise<LightMyRequestResponse>;
  /** The user's disconnect, as the web app sends it. */
  disconnect(user: UserSession): Promise<LightMyRequestResponse>;
  /** Requests the stand-in received on `path`, in order. */
  requestsTo(path: string): StandInRequest[];
  /** The user's connection status as the API reports it. */
  statusOf(user: UserSession): ReturnType<typeof statusOf>;
  /** The user's tokens as stored, decrypted; undefined when none. */
  tokensOf(user: UserSession): ReturnType<typeof storedTokens>;
  /** The user's stored connection row. */
  connectionOf(user: UserSession): ReturnType<TestService['deps']['store']['connections']['find']>;
  /** Stops the service, then the stand-in. */
  stop(): Promise<void>;
}

// Tests move the clock by hours; sessions must outlive that. Jobs stay off so that only
// the test's own calls reach the stand-in.
const SCENE_ENV = {
  LATCHKEY_JOBS_ENABLED: 'false',
  LATCHKEY_SESSION_TTL_SECONDS: String(30 * 86400),
};

export async function startStandInScene(
  standIn: ClientStandIn,
  options: StandInSceneOptions,
): Promise<StandInScene> {
  const catalog = catalogWithStandIn(options.provider, options.entry);
  const service = await startTestService(SCENE_ENV, undefined, { catalog, egress: options.egress });
  const created = await service.asAdmin({
    method: 'POST',
    url: '/api/connectors',
    body: {
      name: options.name,
      provider: options.provider,
      authMode: 'per-user',
      config: { clientId: standIn.clientId, ...options.config },
      secrets: { clientSecret: standIn.clientSecret },
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const connectorId: string = created.json().id;

  return {
    service,
    connectorId,
    async connectedUser() {
      const user = await service.sessionFor('viewer');
      const { response } = await connect(service, user.cookie, connectorId);
      expect(response.statusCode).toBeLessThan(400);
      expect(await statusOf(service, user.cookie, connectorId)).toBe('connected');
      return user;
    },
    proxied: (user, path, method = 'GET') =>
      service.request({
        method,
        url: `/api/connectors/${connectorId}/proxy/${path}`,
        cookie: user.cookie,
      }),
    disconnect: (user) =>
      service.request({
        method: 'POST',
        url: `/api/connectors/${connectorId}/_oauth_disconnect`,
        cookie: user.cookie,
        body: {},
      }),
    requestsTo: (path) => standIn.requests.filter((request) => request.path === path),
    statusOf: (user) => statusOf(service, user.cookie, connectorId),
    tokensOf: (user) => storedTokens(service, connectorId, user.userId),
    connectionOf: (user) => service.deps.store.connections.find(connectorId, user.userId),
    async stop() {
      await service.stop();
      await standIn.close();
    },
  };
}
