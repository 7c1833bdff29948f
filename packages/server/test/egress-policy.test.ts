import { lookup as dnsLookup } from 'node:dns';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolveHost } from '@latchkey/outbound';
import { type RecordingServer, startRecordingServer, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { readResult } from './support/callback-results';
import { perUserConnectorBody, sharedConnectorBody } from './support/connector-bodies';
import {
  connect,
  createProviderConnector,
  providerConnectorBody,
  startProvider,
  statusOf,
  storedTokens,
} from './support/oauth-harness';
import { countRows } from './support/stored-state';
import { startTestService, type TestService } from './support/test-service';

/**
 * A DNS of the test's own: the names in the table answer what the test says (and can be
 * changed between calls, as a rebinding name would), every other name goes to the system.
 */
function testDns(table: Record<string, string>): ResolveHost {
  return (hostname, options, callback) => {
    const address = table[hostname];
    if (address === undefined) return dnsLookup(hostname, options, callback);
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  };
}

const NO_JOBS = { LATCHKEY_JOBS_ENABLED: 'false' };

async function egressEvents(service: TestService) {
  return (await service.deps.store.audit.page(500)).filter((e) => e.action === 'egress_denied');
}

async function keyUseReasons(service: TestService) {
  return (await service.deps.store.audit.page(500))
    .filter((e) => e.action === 'api_key_used')
    .map((e) => e.reason);
}

describe('saving an endpoint the egress policy refuses', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ ...NO_JOBS, LATCHKEY_ALLOW_HTTP_LOOPBACK: 'false' });
  });
  afterAll(() => service.stop());

  const save = (body: unknown) => service.asAdmin({ method: 'POST', url: '/api/connectors', body });

  it.each([
    ['tokenUrl', 'https://10.0.0.5/token'],
    ['revocationUrl', 'https://172.16.0.1/revoke'],
    ['authorizationUrl', 'https://192.168.1.1/authorize'],
    ['issuer', 'https://127.0.0.1'],
    ['apiBaseUrl', 'https://169.254.169.254/latest/'],
    ['apiBaseUrl', 'https://100.64.0.1/'],
    ['apiBaseUrl', 'https://[fd00::1]/'],
    ['apiBaseUrl', 'https://[::ffff:10.0.0.5]/'],
    ['apiBaseUrl', 'https://[::ffff:a00:5]/'],
    ['tokenUrl', 'https://[64:ff9b::a00:5]/token'],
    ['tokenUrl', 'https://[fe80::1]/token'],
    ['tokenUrl', 'https://localhost/token'],
    ['apiBaseUrl', 'https://api.localhost/'],
    ['apiBaseUrl', 'https://0x7f.1/'],
  ])('refuses config.%s = %s with 400 egress_denied, storing nothing', async (field, url) => {
    const body = perUserConnectorBody();
    const response = await save({ ...body, config: { ...body.config, [field]: url } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'egress_denied',
      details: { field: `config.${field}` },
    });
    expect(await countRows(service, 'connectors')).toBe(0);
  });

  it('refuses a shared connector, and an update, that points inward', async () => {
    const body = sharedConnectorBody({
      config: { credentialType: 'bearer_token', apiBaseUrl: 'https://10.1.2.3/' },
    });
    const refused = await save(body);
    expect(refused.json().error.code).toBe('egress_denied');
    const created = await save(sharedConnectorBody());
    expect(created.statusCode).toBe(201);
    const update = await service.asAdmin({
      method: 'PUT',
      url: `/api/connectors/${created.json().id}`,
      body: { ...body, name: created.json().name },
    });
    expect(update.statusCode).toBe(400);
    expect(update.json().error.code).toBe('egress_denied');
    const stored = await service.deps.store.connectors.findById(created.json().id);
    expect(stored?.config).toMatchObject({ apiBaseUrl: 'https://api.example.com/' });
  });

  it('accepts public addresses and names', async () => {
    const body = perUserConnectorBody();
    const config = { ...body.config, tokenUrl: 'https://8.8.8.8/token' };
    expect((await save({ ...body, config })).statusCode).toBe(201);
  });

  it('accepts what LATCHKEY_EGRESS_ALLOW allows', async () => {
    const allowing = await startTestService({
      ...NO_JOBS,
      LATCHKEY_ALLOW_HTTP_LOOPBACK: 'false',
      LATCHKEY_EGRESS_ALLOW: '10.0.0.0/8,fd00::/8',
    });
    try {
      const body = perUserConnectorBody();
      const config = {
        ...body.config,
        tokenUrl: 'https://10.0.0.5/token',
        apiBaseUrl: 'https://[fd00::1]/',
      };
      const response = await allowing.asAdmin({
        method: 'POST',
        url: '/api/connectors',
        body: { ...body, config },
      });
      expect(response.statusCode).toBe(201);
    } finally {
      await allowing.stop();
    }
  });
});

/**
 * Connectors saved while loopback was allowed, called after a restart without it: names that
 * resolve to loopback (`localhost` by the system's DNS) are refused when connecting, and
 * the listening server sees no connection at all.
 */
describe('a name that resolves to a refused address, at call time', () => {
  let upstream: RecordingServer;
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-egress-'));
  const dns = testDns({ 'idp.localhost': '127.0.0.1' });
  let byLocalhost: string;
  let byAllowedName: string;

  beforeAll(async () => {
    upstream = await startRecordingServer();
    const port = new URL(upstream.url).port;
    const setup = await startTestService(NO_JOBS, dataDir);
    const create = async (apiBaseUrl: string) => {
      const body = sharedConnectorBody({ config: { credentialType: 'bearer_token', apiBaseUrl } });
      const response = await setup.asAdmin({ method: 'POST', url: '/api/connectors', body });
      return response.json().id as string;
    };
    byLocalhost = await create(`http://localhost:${port}/`);
    byAllowedName = await create(`http://idp.localhost:${port}/`);
    await setup.stop({ keepData: true });
  });
  afterAll(() => upstream.stop());

  async function restarted(env: Record<string, string>) {
    return startTestService(
      { ...NO_JOBS, LATCHKEY_ALLOW_HTTP_LOOPBACK: 'false', ...env },
      dataDir,
      {
        egress: { resolve: dns },
      },
    );
  }

  it('refuses with 502 egress_denied, audited, and opens no connection', async () => {
    const service = await restarted({});
    try {
      const { key } = await createApiKey(service, ['proxy']);
      for (const connectorId of [byLocalhost, byAllowedName]) {
        const response = await service.request({
          method: 'POST',
          url: `/api/connectors/${connectorId}/proxy/items`,
          headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/json' },
          body: { secret: 'must not leave' },
        });
        expect(response.statusCode).toBe(502);
        expect(response.json().error.code).toBe('egress_denied');
        expect(response.body).not.toContain('127.0.0.1');
      }
      expect(upstream.connections()).toBe(0);
      expect(upstream.requests).toEqual([]);
      const events = await egressEvents(service);
      expect(events.map((e) => [e.reason, e.connectorId, e.outcome]).sort()).toEqual(
        [
          ['proxy_request', byLocalhost, 'failure'],
          ['proxy_request', byAllowedName, 'failure'],
        ].sort(),
      );
      expect(await keyUseReasons(service)).toEqual(['egress_denied', 'egress_denied']);
      expect(service.logs()).toContain('egress policy refused a connection');
    } finally {
      await service.stop({ keepData: true });
    }
  });

  it('lets an allow-listed name through, and nothing else', async () => {
    const service = await restarted({ LATCHKEY_EGRESS_ALLOW: 'IDP.localhost' });
    try {
      const allowed = await service.asAdmin({
        method: 'GET',
        url: `/api/connectors/${byAllowedName}/proxy/items`,
      });
      expect(allowed.statusCode).toBe(200);
      expect(upstream.requests.map((r) => r.url)).toEqual(['/items']);
      const other = await service.asAdmin({
        method: 'GET',
        url: `/api/connectors/${byLocalhost}/proxy/items`,
      });
      expect(other.json().error.code).toBe('egress_denied');
      expect(upstream.connections()).toBe(1);
    } finally {
      await service.stop();
    }
  });
});

describe('per-user connections whose provider resolves inward', () => {
  let provider: TestProvider;
  let service: TestService;
  let port: string;
  /** What the test's DNS answers; the test changes it, as a rebinding name would. */
  const names: Record<string, string> = {};

  beforeAll(async () => {
    provider = await startProvider();
    port = new URL(provider.issuer).port;
    service = await startTestService(NO_JOBS, undefined, { egress: { resolve: testDns(names) } });
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  it.each([['10.0.0.5'], ['169.254.169.254'], ['fd00::1'], ['::ffff:a00:5']])(
    'refuses the code exchange at a token endpoint resolving to %s',
    async (address) => {
      const host = `exchange-${Math.random().toString(36).slice(2, 8)}.localhost`;
      names[host] = address;
      const connectorId = await createProviderConnector(service, provider, {
        tokenUrl: `http://${host}:${port}/token`,
      });
      const user = await service.sessionFor('viewer');
      provider.resetCounts();
      const { response } = await connect(service, user.cookie, connectorId);
      expect(readResult(response)).toMatchObject({ status: 'error', error: 'egress_denied' });
      expect(provider.counts.token).toBe(0);
      expect(await storedTokens(service, connectorId, user.userId)).toBeUndefined();
      const events = (await service.deps.store.audit.page(500)).filter(
        (e) => e.connectorId === connectorId,
      );
      expect(events.map((e) => [e.action, e.reason])).toEqual(
        expect.arrayContaining([
          ['egress_denied', 'provider_request'],
          ['oauth_failed', 'egress_denied'],
        ]),
      );
    },
  );

  it('refuses a refresh after the name rebinds inward, keeping the connection', async () => {
    names['rebind.localhost'] = '127.0.0.1';
    const connectorId = await createProviderConnector(service, provider, {
      tokenUrl: `http://rebind.localhost:${port}/token`,
    });
    const user = await service.sessionFor('viewer');
    const connected = await connect(service, user.cookie, connectorId);
    expect(readResult(connected.response).status).toBe('success');
    const before = await storedTokens(service, connectorId, user.userId);

    names['rebind.localhost'] = '10.0.0.5';
    // A new connection for the next request: the kept-alive one went to the old address.
    await provider.stop();
    await provider.start();
    provider.resetCounts();
    service.clock.now += 2 * 3600 * 1000;
    const { key } = await createApiKey(service, ['tokens:read', 'on_behalf']);
    const viaKey = await service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': user.userId },
    });
    const viaProxy = await service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/proxy/me`,
      cookie: user.cookie,
    });
    for (const response of [viaKey, viaProxy]) {
      expect(response.statusCode).toBe(502);
      expect(response.json().error.code).toBe('egress_denied');
    }
    expect(provider.counts.token).toBe(0);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('connected');
    expect(await storedTokens(service, connectorId, user.userId)).toEqual(before);
    const events = (await service.deps.store.audit.page(500)).filter(
      (e) => e.connectorId === connectorId,
    );
    expect(events.filter((e) => e.action === 'connection_reauth_required')).toEqual([]);
    expect(events.filter((e) => e.action === 'egress_denied').map((e) => e.reason)).toEqual([
      'provider_request',
      'provider_request',
    ]);
  });

  it('refuses a client-credentials token from an endpoint resolving inward', async () => {
    names['cc.localhost'] = '192.168.0.10';
    const api = await startRecordingServer();
    try {
      const created = await service.asAdmin({
        method: 'POST',
        url: '/api/connectors',
        body: sharedConnectorBody({
          config: {
            credentialType: 'client_credentials',
            tokenUrl: `http://cc.localhost:${port}/token`,
            clientId: 'latchkey',
            apiBaseUrl: `${api.url}/`,
          },
          secrets: { clientSecret: 'cc-secret' },
        }),
      });
      const connectorId = created.json().id as string;
      const response = await service.asAdmin({
        method: 'GET',
        url: `/api/connectors/${connectorId}/proxy/items`,
      });
      expect(response.statusCode).toBe(502);
      expect(response.json().error.code).toBe('egress_denied');
      expect(api.connections()).toBe(0);
      const events = await egressEvents(service);
      expect(events.filter((e) => e.connectorId === connectorId).map((e) => e.reason)).toEqual([
        'provider_request',
      ]);
    } finally {
      await api.stop();
    }
  });

  it('queues a revocation whose endpoint resolves inward, sending nothing', async () => {
    names['revoke.localhost'] = '127.0.0.1';
    const connectorId = await createProviderConnector(service, provider);
    const body = providerConnectorBody(provider);
    const moved = await service.asAdmin({
      method: 'PUT',
      url: `/api/connectors/${connectorId}`,
      body: {
        ...body,
        config: {
          ...body.config,
          revocationUrl: `http://revoke.localhost:${port}/token/revocation`,
        },
      },
    });
    expect(moved.statusCode).toBe(200);
    const user = await service.sessionFor('viewer');
    expect(readResult((await connect(service, user.cookie, connectorId)).response).status).toBe(
      'success',
    );
    names['revoke.localhost'] = 'fd00::1';
    provider.resetCounts();
    const disconnected = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
    expect(disconnected.statusCode).toBe(204);
    expect(provider.counts.revocation).toBe(0);
    expect(await storedTokens(service, connectorId, user.userId)).toBeUndefined();
    const events = (await service.deps.store.audit.page(500)).filter(
      (e) => e.connectorId === connectorId,
    );
    expect(events.filter((e) => e.action === 'egress_denied').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.action === 'oauth_revocation_failed').length).toBeGreaterThan(0);
  });
});
