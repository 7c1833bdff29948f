import type { AuditEvent } from '@latchkey/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';

/** Issue 4: every use by a key is audited (key, user, connector, outcome), refusals included. */
describe('audit of API key use', () => {
  let scene: ProxyScene;
  let userB: { userId: string };

  beforeAll(async () => {
    scene = await startProxyScene();
    userB = await scene.service.sessionFor('viewer');
  });
  afterAll(() => scene.stop());

  type Use = Pick<AuditEvent, 'outcome' | 'reason' | 'subjectUserId' | 'connectorId'>;

  /** The audit events of one key, oldest first, in the fields that matter here. */
  async function usesOf(apiKeyId: string): Promise<Use[]> {
    const events = await scene.service.deps.store.audit.page(1000);
    return events
      .filter((e) => e.apiKeyId === apiKeyId)
      .reverse()
      .map(({ action, outcome, reason, subjectUserId, connectorId }) => {
        expect(action).toBe('api_key_used');
        return { outcome, reason, subjectUserId, connectorId };
      });
  }
  /** One call; the clock moves on so that audit events sort in call order. */
  async function call(path: string, key: string, actingUser?: string) {
    scene.service.clock.now += 1;
    return scene.service.request({
      method: 'GET',
      url: path,
      headers: {
        authorization: `ApiKey ${key}`,
        ...(actingUser ? { 'x-latchkey-user': actingUser } : {}),
      },
    });
  }
  const proxyPath = (path: string, connectorId = scene.connectorId) =>
    `/api/connectors/${connectorId}/proxy/${path}`;
  const tokenPath = (connectorId = scene.connectorId) => `/api/connectors/${connectorId}/_token`;

  it('records successful and failed uses of a key that may act for users', async () => {
    const { key, id } = await createApiKey(scene.service, ['proxy', 'tokens:read', 'on_behalf']);
    const a = scene.user.userId;
    const c = scene.connectorId;
    expect((await call(proxyPath('ok'), key, a)).statusCode).toBe(200);
    expect((await call(tokenPath(), key, a)).statusCode).toBe(200);
    scene.api.failNextWith401(2);
    expect((await call(proxyPath('refused'), key, a)).statusCode).toBe(401);
    expect((await call(proxyPath('b'), key, userB.userId)).statusCode).toBe(409);
    expect((await call(tokenPath(), key)).statusCode).toBe(400);
    expect((await call(proxyPath('x', 'no-such-connector'), key, a)).statusCode).toBe(404);
    expect((await call(tokenPath(), key, 'no-such-user')).statusCode).toBe(404);
    expect((await call(proxyPath('x', 'nope'), key, 'no-such-user')).statusCode).toBe(404);

    expect(await usesOf(id)).toEqual([
      { outcome: 'success', reason: 'proxy:200', subjectUserId: a, connectorId: c },
      { outcome: 'success', reason: 'token', subjectUserId: a, connectorId: c },
      { outcome: 'failure', reason: 'proxy:401', subjectUserId: a, connectorId: c },
      { outcome: 'failure', reason: 'not_connected', subjectUserId: userB.userId, connectorId: c },
      { outcome: 'failure', reason: 'acting_user_required', subjectUserId: null, connectorId: c },
      { outcome: 'failure', reason: 'connector_not_found', subjectUserId: a, connectorId: null },
      { outcome: 'failure', reason: 'user_not_found', subjectUserId: null, connectorId: c },
      // The audit never names a user that does not exist.
      { outcome: 'failure', reason: 'connector_not_found', subjectUserId: null, connectorId: null },
    ]);
  });

  it('records uses the key is not allowed, naming the user it tried to act for', async () => {
    const { key, id } = await createApiKey(scene.service, ['proxy']);
    const a = scene.user.userId;
    expect((await call(proxyPath('as-a'), key, a)).statusCode).toBe(403);
    expect((await call(tokenPath(), key, a)).statusCode).toBe(403);

    expect(await usesOf(id)).toEqual([
      { outcome: 'failure', reason: 'api_key_forbidden', subjectUserId: a, connectorId: null },
      { outcome: 'failure', reason: 'api_key_forbidden', subjectUserId: a, connectorId: null },
    ]);
  });

  it('audits no session use as a key use', async () => {
    const before = (await scene.service.deps.store.audit.page(1000)).length;
    expect((await scene.proxied('by-session')).statusCode).toBe(200);
    const events = await scene.service.deps.store.audit.page(1000);
    expect(events.length).toBe(before);
  });
});
