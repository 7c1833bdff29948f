import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftedCallback, readResult } from './support/callback-results';
import {
  connect,
  createProviderConnector,
  deliverCallback,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { countRows } from './support/stored-state';
import { PUBLIC_BASE_URL, type TestService } from './support/test-service';

/** Each one would send the user (and the result) somewhere else, or is not a URL of ours. */
const OPEN_REDIRECT_VECTORS = [
  '//evil.com',
  '//evil.com/app',
  '///evil.com',
  'https://evil.com',
  'http://evil.com/',
  'http://localhost:5601@evil.com',
  'http://localhost:5601:80@evil.com/',
  'http://user:pass@localhost:5601/',
  'http://localhost:5601\\@evil.com',
  '/\\evil.com',
  '\\\\evil.com',
  '/\\/evil.com',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,x',
  'vbscript:msgbox(1)',
  'http://localhost:5602/',
  'https://localhost:5601/',
  'http://127.0.0.1:5601/',
  'http://localhost.evil.com:5601/',
  '/%0d%0aLocation:evil',
  '/%0aSet-Cookie:x=1',
  '/%2f%2fevil.com',
  '/%5cevil.com',
  '/app\r\nLocation: https://evil.com',
  '/app\u0000',
  '/\t/evil.com',
  '/\n/evil.com',
  ' //evil.com',
  'http:evil.com',
  'https:evil.com',
  'http:/evil.com',
  'evil.com',
  'app/connectors',
  `/${'a'.repeat(3000)}`,
];

/** Invariant 4: return URLs are same-origin; path, query and fragment survive intact. */
describe('start: return URL rules (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let user: UserSession;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService({ LATCHKEY_OAUTH_START_LIMIT_PER_HOUR: '1000' });
    connectorId = await createProviderConnector(service, provider);
    [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  it(`refuses ${OPEN_REDIRECT_VECTORS.length} open-redirect vectors with invalid_return_url and creates no flow`, async () => {
    const refused: string[] = [];
    for (const returnUrl of OPEN_REDIRECT_VECTORS) {
      const response = await service.request({
        method: 'POST',
        url: `/api/connectors/${connectorId}/_start_oauth_flow`,
        cookie: user.cookie,
        body: { returnUrl },
      });
      if (response.statusCode === 400 && response.json().error.code === 'invalid_return_url') {
        refused.push(returnUrl);
      }
    }
    expect(refused).toEqual(OPEN_REDIRECT_VECTORS);
    expect(await countRows(service, 'oauth_states')).toBe(0);
    const events = await service.deps.store.audit.page(500);
    expect(events.filter((e) => e.action === 'oauth_flow_started')).toHaveLength(0);
  });

  /** Where the callback must send the browser: the stored URL plus our result parameters. */
  function expectedLocation(returnUrl: string, result: Record<string, string>): string {
    const url = new URL(returnUrl, `${PUBLIC_BASE_URL}/`);
    const query = `${url.search ? `${url.search}&` : '?'}${new URLSearchParams(result)}`;
    return `${url.origin}${url.pathname}${query}${url.hash}`;
  }

  const VALID = [
    '/',
    '/app?x=1#y',
    `${PUBLIC_BASE_URL}/settings/connectors?tab=mine&sort=name%20asc&flag&q=a+b#section-2`,
    '/connecteurs/café/ünïcode?q=naïve#fin',
    '/app/?empty=&x=%2F&x=2#/route?with=query',
  ];

  it.each(VALID)('keeps path, query and fragment of %s exactly after a success', async (value) => {
    const { response } = await connect(service, user.cookie, connectorId, { returnUrl: value });

    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(
      expectedLocation(value, { oauth_authorization: 'success', connector_id: connectorId }),
    );
  });

  it('keeps them after an error too, adding only our code', async () => {
    const value = '/app/connectors?x=1&sort=name%20asc#list';
    const flow = await startFlow(service, user.cookie, connectorId, { returnUrl: value });
    const callback = craftedCallback({
      state: flow.state,
      iss: provider.issuer,
      error: 'access_denied',
    });
    const response = await deliverCallback(service, callback, flow.browserCookie);

    expect(response.headers.location).toBe(
      expectedLocation(value, {
        oauth_authorization: 'error',
        connector_id: connectorId,
        error: 'oauth_access_denied',
      }),
    );
  });

  it('does not let a return URL forge our own result parameters', async () => {
    const value = '/app?oauth_authorization=success&connector_id=forged&error=none&keep=1';
    const flow = await startFlow(service, user.cookie, connectorId, { returnUrl: value });
    const callback = craftedCallback({ state: flow.state, iss: provider.issuer, error: 'x' });
    const response = await deliverCallback(service, callback, flow.browserCookie);

    const { location } = readResult(response);
    expect(location?.searchParams.getAll('oauth_authorization')).toEqual(['error']);
    expect(location?.searchParams.getAll('connector_id')).toEqual([connectorId]);
    expect(location?.searchParams.getAll('error')).toEqual(['oauth_provider_error']);
    expect(location?.searchParams.get('keep')).toBe('1');
  });

  it('shows the result page when no return URL was given', async () => {
    const { response } = await connect(service, user.cookie, connectorId);
    expect(response.statusCode).toBe(200);
    expect(readResult(response)).toMatchObject({ mode: 'page', status: 'success' });
  });
});
