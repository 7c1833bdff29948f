import { type ResourceApi, startResourceApi, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatedForwarder, startGatedForwarder } from './support/gated-forwarder';
import {
  activeAt,
  connect,
  createProviderConnector,
  startOAuthService,
  startProvider,
  storedTokens,
  type UserSession,
} from './support/oauth-harness';
import { expireAccessTokens } from './support/proxy-scene';
import { pendingRevocationRows, revocationQueuedEvents } from './support/stored-state';
import type { TestService } from './support/test-service';

const isRefresh = (form: URLSearchParams) => form.get('grant_type') === 'refresh_token';

interface GatedConnection {
  gate: GatedForwarder;
  connectorId: string;
  user: UserSession;
}

describe('a reconnect or disconnect landing while a refresh is at the provider', () => {
  let provider: TestProvider;
  let api: ResourceApi;
  let service: TestService;

  beforeAll(async () => {
    provider = await startProvider();
    api = await startResourceApi({ provider });
    // Tests move the clock by hours; sessions must outlive that.
    service = await startOAuthService({ LATCHKEY_SESSION_TTL_SECONDS: String(30 * 86400) });
  });
  afterAll(async () => {
    await service.stop();
    await api.stop();
    await provider.stop();
  });

  /**
   * A user connected to a connector whose token endpoint sits behind a gate that holds the
   * provider's answers to refreshes: the provider has issued and rotated the tokens, and
   * Latchkey has not seen them yet. Code exchanges (the reconnect) pass straight through.
   */
  async function connectBehindGate(): Promise<GatedConnection> {
    const gate = await startGatedForwarder(provider.tokenEndpoint, {
      holds: isRefresh,
      hold: 'response',
    });
    const connectorId = await createProviderConnector(service, provider, {
      apiBaseUrl: `${api.url}/`,
      tokenUrl: gate.url,
    });
    const user = await service.sessionFor('viewer');
    const connected = await connect(service, user.cookie, connectorId);
    expect(connected.response.statusCode).toBeLessThan(400);
    return { gate, connectorId, user };
  }

  const proxied = ({ connectorId, user }: GatedConnection, path: string) =>
    service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/proxy/${path}`,
      cookie: user.cookie,
    });

  /** The tokens the provider issued to the held refresh, which Latchkey must not keep. */
  function refreshIssued(gate: GatedForwarder): [refreshToken: string, accessToken: string] {
    expect(gate.heldAnswers).toHaveLength(1);
    const answer = JSON.parse(gate.heldAnswers[0] as string);
    expect(typeof answer.refresh_token, 'the provider rotated the refresh token').toBe('string');
    return [answer.refresh_token, answer.access_token];
  }

  /**
   * A proxied call whose refresh is held at the gate while the user connects again; the
   * call's answer, and the reconnected row and tokens as they were before it was released.
   */
  async function reconnectDuringRefresh(scene: GatedConnection, path: string) {
    const { gate, connectorId, user } = scene;
    const call = proxied(scene, path);
    await gate.arrived;
    const reconnect = await connect(service, user.cookie, connectorId);
    expect(reconnect.response.statusCode).toBeLessThan(400);
    const row = await service.deps.store.connections.find(connectorId, user.userId);
    const tokens = await storedTokens(service, connectorId, user.userId);
    gate.release();
    return { response: await call, row, tokens };
  }

  it('goes on with the reconnected connection and leaves the tokens of the refresh alone', async () => {
    const scene = await connectBehindGate();
    const { gate, connectorId, user } = scene;
    try {
      expireAccessTokens(service);
      const {
        response,
        row: reconnectedRow,
        tokens: reconnected,
      } = await reconnectDuringRefresh(scene, 'during-reconnect');
      const issued = refreshIssued(gate);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ ok: true, path: '/during-reconnect' });
      expect(api.lastRequestHeaders?.authorization).toBe(`Bearer ${reconnected?.accessToken}`);
      expect(await service.deps.store.connections.find(connectorId, user.userId)).toEqual(
        reconnectedRow,
      );
      // Revoking them could end the reconnected grant at providers that revoke per user and
      // client (Google): nothing is queued, as for the tokens a reconnect replaces.
      expect(await revocationQueuedEvents(service, user.userId)).toEqual([]);
      expect(await pendingRevocationRows(service, user.userId)).toEqual([]);
      await service.jobs.runNow('revocation-retries');
      const stillConnected = [reconnected?.refreshToken ?? '', reconnected?.accessToken ?? ''];
      expect(await activeAt(provider, stillConnected)).toEqual([true, true]);
      expect(await activeAt(provider, issued)).toEqual([true, true]);
    } finally {
      gate.release();
      await gate.stop();
    }
  });

  it('goes on with the reconnected connection when the refresh it overtook met invalid_grant', async () => {
    const scene = await connectBehindGate();
    const { gate, connectorId, user } = scene;
    try {
      expireAccessTokens(service);
      // The grant ends at the provider: the held answer to the refresh is invalid_grant.
      expect(provider.revokeAllGrants()).toBeGreaterThan(0);
      const {
        response,
        row: reconnectedRow,
        tokens: reconnected,
      } = await reconnectDuringRefresh(scene, 'after-invalid-grant');

      expect(JSON.parse(gate.heldAnswers[0] as string).error).toBe('invalid_grant');
      expect(response.statusCode).toBe(200);
      expect(api.lastRequestHeaders?.authorization).toBe(`Bearer ${reconnected?.accessToken}`);
      expect(await service.deps.store.connections.find(connectorId, user.userId)).toEqual(
        reconnectedRow,
      );
      const events = await service.deps.store.audit.page(500);
      const marked = events.filter(
        (e) => e.action === 'connection_reauth_required' && e.subjectUserId === user.userId,
      );
      expect(marked).toEqual([]);
    } finally {
      gate.release();
      await gate.stop();
    }
  });

  it('answers not_connected after a disconnect, stores nothing, and revokes the tokens of the refresh', async () => {
    const scene = await connectBehindGate();
    const { gate, connectorId, user } = scene;
    try {
      expireAccessTokens(service);
      const call = proxied(scene, 'during-disconnect');
      await gate.arrived;
      // With the revocation endpoint down, the disconnect's own revocations wait for a retry
      // a minute later, and the grant (with the refresh's tokens) stays alive until then:
      // only what the refresh queued can end those tokens in the job run below.
      provider.setRevocationAvailable(false);
      const disconnected = await service.request({
        method: 'POST',
        url: `/api/connectors/${connectorId}/_oauth_disconnect`,
        cookie: user.cookie,
        body: {},
      });
      provider.setRevocationAvailable(true);
      expect(disconnected.statusCode).toBe(204);
      gate.release();
      const response = await call;
      const issued = refreshIssued(gate);

      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('not_connected');
      expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeUndefined();
      expect(await revocationQueuedEvents(service, user.userId)).toEqual([
        { outcome: 'success', reason: 'refresh_superseded', actorUserId: null, connectorId },
      ]);
      expect(await activeAt(provider, issued), 'alive until the job revokes them').toEqual([
        true,
        true,
      ]);

      await service.jobs.runNow('revocation-retries');

      expect(await activeAt(provider, issued)).toEqual([false, false]);
      // Left: the disconnect's two, due a minute after it.
      expect(await pendingRevocationRows(service, user.userId)).toMatchObject([
        { token_type_hint: 'access_token', attempts: 1 },
        { token_type_hint: 'refresh_token', attempts: 1 },
      ]);
    } finally {
      gate.release();
      await gate.stop();
    }
  });
});
