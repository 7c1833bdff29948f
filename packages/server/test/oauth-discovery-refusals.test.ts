import { METADATA_TTL_MS } from '@latchkey/core';
import { startTestProvider, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDiscoveryConnector,
  discoveryConnectorBody,
  type MetadataStub,
  metadataOf,
  saveDiscoveryConnector,
  startMetadataStub,
} from './support/discovery-harness';
import {
  countRows,
  sessionsFor,
  startOAuthService,
  testClient,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

const OIDC_PATH = '/.well-known/openid-configuration';
const OAUTH_PATH = '/.well-known/oauth-authorization-server';

/** What a connector that discovers its endpoints refuses, at save time and at run time. */
describe('discovery: issuers and metadata refused (stand-in metadata servers)', () => {
  let provider: TestProvider;
  let stub: MetadataStub;
  let service: TestService;
  let user: UserSession;
  /** The real provider's metadata, for the stand-in to serve (altered) under its own name. */
  let metadata: Record<string, unknown>;

  beforeAll(async () => {
    provider = await startTestProvider({ clients: [testClient('latchkey')] });
    stub = await startMetadataStub();
    service = await startOAuthService();
    metadata = await metadataOf(provider);
    [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([provider.stop(), stub.stop()]);
  });
  beforeEach(() => {
    stub.clear();
    stub.requests.length = 0;
    provider.resetCounts();
  });

  async function expectRefused(issuer: string, status: number, code: string) {
    const before = await countRows(service, 'connectors');
    const response = await saveDiscoveryConnector(service, issuer);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
    expect(await countRows(service, 'connectors')).toBe(before);
    return response.json().error;
  }

  it('refuses metadata that names another issuer, and stores nothing', async () => {
    stub.serve(OIDC_PATH, metadata);
    await expectRefused(stub.url, 400, 'issuer_mismatch');
  });

  it('compares the issuer character for character: a trailing slash is another issuer', async () => {
    stub.serve(OIDC_PATH, { ...metadata, issuer: `${stub.url}/` });
    await expectRefused(stub.url, 400, 'issuer_mismatch');
  });

  it('refuses an update to an issuer whose metadata names another, keeping the connector', async () => {
    const id = await createDiscoveryConnector(service, provider.issuer);
    const before = await service.deps.store.connectors.findById(id);
    stub.serve(OIDC_PATH, metadata);
    const body = discoveryConnectorBody(stub.url, 'Moved');
    const response = await service.asAdmin({ method: 'PUT', url: `/api/connectors/${id}`, body });
    expect(response.json().error.code).toBe('issuer_mismatch');
    expect(await service.deps.store.connectors.findById(id)).toEqual(before);
  });

  it('falls back to the RFC 8414 location when OpenID Connect Discovery has nothing', async () => {
    stub.serve(OAUTH_PATH, { ...metadata, issuer: stub.url });
    expect(await createDiscoveryConnector(service, stub.url)).toBeTruthy();
    expect(stub.requests).toEqual([OIDC_PATH, OAUTH_PATH]);
  });

  it('says so when neither location serves metadata', async () => {
    await expectRefused(stub.url, 502, 'discovery_failed');
    expect(stub.requests).toEqual([OIDC_PATH, OAUTH_PATH]);
  });

  it('refuses metadata without PKCE S256, or with an endpoint the policy refuses', async () => {
    const own = { ...metadata, issuer: stub.url };
    stub.serve(OIDC_PATH, { ...own, code_challenge_methods_supported: ['plain'] });
    await expectRefused(stub.url, 400, 'discovery_metadata_unsupported');
    stub.serve(OIDC_PATH, { ...own, code_challenge_methods_supported: undefined });
    await expectRefused(stub.url, 400, 'discovery_metadata_unsupported');
    stub.serve(OIDC_PATH, { ...own, token_endpoint: 'http://tokens.example/token' });
    const error = await expectRefused(stub.url, 400, 'insecure_endpoint');
    expect(error.message).toContain('metadata.token_endpoint');
  });

  it('starts no flow once the metadata names another issuer at run time', async () => {
    stub.serve(OIDC_PATH, { ...metadata, issuer: stub.url });
    const id = await createDiscoveryConnector(service, stub.url);
    stub.serve(OIDC_PATH, metadata);
    service.clock.now += METADATA_TTL_MS;
    const statesBefore = await countRows(service, 'oauth_states');
    const response = await service.request({
      method: 'POST',
      url: `/api/connectors/${id}/_start_oauth_flow`,
      cookie: user.cookie,
      body: {},
    });
    expect(response.statusCode).toBe(502);
    expect(response.json().error.code).toBe('discovery_failed');
    expect(await countRows(service, 'oauth_states')).toBe(statesBefore);
    expect(provider.counts.pushedAuthorization + provider.counts.authorization).toBe(0);
  });

  it('takes typed endpoints or discovery, never both and never neither', async () => {
    const both = discoveryConnectorBody(provider.issuer);
    const typed = { ...both, config: { ...both.config, tokenUrl: provider.tokenEndpoint } };
    const neither = { ...both, config: { ...both.config, discovery: false } };
    for (const body of [typed, neither]) {
      const response = await service.asAdmin({ method: 'POST', url: '/api/connectors', body });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
  });
});
