import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelValues, sampleValue, scrape } from './support/metrics-scrape';
import { PROVIDER_CLIENT_SECRET, startFlow, storedTokens } from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';
import { ADMIN_PASSWORD, TEST_KEY_A } from './support/test-service';

/**
 * One real flow against oidc-provider, proxied calls and a refresh, then `GET /metrics` on
 * the service's own metrics listener: the series operators watch, and nothing they must not see.
 */
describe('metrics after a flow, proxied calls and a refresh', () => {
  let scene: ProxyScene;
  const probeName = `metrics-probe-${randomUUID()}`;
  let probe: { cookie: string; userId: string };
  let probeState: string;
  const secrets: string[] = [];
  let text: string;

  beforeAll(async () => {
    scene = await startProxyScene({ env: { LATCHKEY_METRICS_ADDRESS: '127.0.0.1:0' } });
    await scene.service.listen('127.0.0.1', 0);
    const { service, connectorId, user } = scene;
    const first = await storedTokens(service, connectorId, user.userId);
    expect((await scene.proxied('before-expiry')).statusCode).toBe(200);
    expireAccessTokens(service);
    expect((await scene.proxied('after-expiry')).statusCode).toBe(200);
    const second = await storedTokens(service, connectorId, user.userId);
    // A flow started and cancelled by a user whose name must not show.
    probe = await service.sessionFor('viewer', probeName);
    probeState = (await startFlow(service, probe.cookie, connectorId)).state;
    const cancelled = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_cancel`,
      cookie: probe.cookie,
      body: { state: probeState },
    });
    expect(cancelled.statusCode).toBe(204);
    expect(await service.jobs.runNow('expired-flows')).toBe(true);
    secrets.push(
      ...[first, second].flatMap((t) => [t?.accessToken ?? '', t?.refreshToken ?? '']),
      PROVIDER_CLIENT_SECRET,
      ADMIN_PASSWORD,
      TEST_KEY_A.split(':')[1] as string,
      user.cookie.split('=')[1] as string,
      probe.cookie.split('=')[1] as string,
      probeState,
    );
    text = await scrape(service.metricsUrl());
  });
  afterAll(() => scene.stop());

  it('counts the flows: one connected, one cancelled', () => {
    expect(sampleValue(text, 'latchkey_flows_started_total')).toBe(2);
    expect(sampleValue(text, 'latchkey_flows_finished_total', { outcome: 'connected' })).toBe(1);
    expect(sampleValue(text, 'latchkey_flows_finished_total', { outcome: 'cancelled' })).toBe(1);
  });

  it('counts the refresh and its wait for the lock', () => {
    expect(labelValues(text, 'latchkey_refreshes_total', 'outcome')).toEqual(['refreshed']);
    expect(sampleValue(text, 'latchkey_refreshes_total', { outcome: 'refreshed' })).toBe(1);
    const lockWaits = { lock: 'refresh', outcome: 'acquired' };
    expect(sampleValue(text, 'latchkey_lock_wait_seconds_count', lockWaits)).toBe(1);
  });

  it('counts proxied calls by connector and upstream status, with upstream latency', () => {
    const connector = scene.connectorId;
    // One before the refresh, one after.
    const calls = { connector, upstream_status: '200' };
    expect(sampleValue(text, 'latchkey_proxy_calls_total', calls)).toBe(2);
    expect(sampleValue(text, 'latchkey_proxy_upstream_duration_seconds_count', { connector })).toBe(
      2,
    );
    expect(
      sampleValue(text, 'latchkey_proxy_upstream_duration_seconds_bucket', {
        connector,
        le: '+Inf',
      }),
    ).toBe(2);
  });

  it('counts HTTP requests by route pattern and status, with their latency', () => {
    const proxied = { method: 'GET', route: '/api/connectors/:id/proxy/*', status_code: '200' };
    expect(sampleValue(text, 'http_requests_total', proxied)).toBe(2);
    expect(sampleValue(text, 'http_request_duration_seconds_count', proxied)).toBe(2);
    const callback = { route: '/api/connectors/_oauth_callback', status_code: '200' };
    expect(sampleValue(text, 'http_requests_total', callback)).toBe(1);
    expect(labelValues(text, 'http_requests_total', 'route')).not.toContain(
      `/api/connectors/${scene.connectorId}`,
    );
  });

  it('counts job runs and serves the process metrics', () => {
    const run = { job: 'expired-flows', outcome: 'succeeded' };
    expect(sampleValue(text, 'latchkey_job_runs_total', run)).toBe(1);
    expect(sampleValue(text, 'latchkey_job_duration_seconds_count', { job: 'expired-flows' })).toBe(
      1,
    );
    expect(sampleValue(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(text, 'nodejs_eventloop_lag_seconds')).toBeDefined();
  });

  it('has the PostgreSQL pool series on PostgreSQL only', () => {
    const onPostgres = scene.service.database.dialect === 'postgres';
    expect(text.includes('latchkey_database_pool')).toBe(onPostgres);
  });

  it('shows no token, secret, session, state, user name or user id', () => {
    expect(secrets.filter((secret) => secret.length < 8)).toEqual([]);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(probeName);
    expect(text).not.toContain(probe.userId);
    expect(text).not.toContain(scene.user.userId);
  });

  it('counts one reauth_required refresh for concurrent calls whose grant is gone', async () => {
    scene.provider.revokeAllGrants();
    expireAccessTokens(scene.service);
    const refused = await Promise.all(Array.from({ length: 5 }, () => scene.proxied('gone')));
    expect(refused.map((response) => response.statusCode)).toEqual(Array(5).fill(409));
    const after = await scrape(scene.service.metricsUrl());
    expect(sampleValue(after, 'latchkey_refreshes_total', { outcome: 'reauth_required' })).toBe(1);
    const unanswered = { connector: scene.connectorId, upstream_status: 'none' };
    expect(sampleValue(after, 'latchkey_proxy_calls_total', unanswered)).toBe(5);
    const proxied409 = { route: '/api/connectors/:id/proxy/*', status_code: '409' };
    expect(sampleValue(after, 'http_requests_total', proxied409)).toBe(5);
  });
});
