import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { labelValues, sampleValue, scrape } from './support/metrics-scrape';
import { startTestService, type TestService } from './support/test-service';

/**
 * A client that sends made-up paths, connector ids and states must not add a series each,
 * nor see its input echoed in the scrape: labels come from route patterns, connectors that
 * exist and error codes.
 */
describe('metrics under made-up input', () => {
  let service: TestService;
  const madeUp = Array.from({ length: 20 }, () => randomUUID().replaceAll('-', ''));
  let text: string;

  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_METRICS_ADDRESS: '127.0.0.1:0',
      LATCHKEY_JOBS_ENABLED: 'false',
    });
    await service.listen('127.0.0.1', 0);
    const { key } = await createApiKey(service, ['proxy', 'on_behalf']);
    const { userId } = await service.sessionFor('viewer');
    for (const value of madeUp) {
      await service.request({ method: 'GET', url: `/api/${value}/x?q=${value}` });
      await service.request({
        method: 'GET',
        url: `/api/connectors/${value}/proxy/${value}`,
        headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': userId },
      });
      await service.request({
        method: 'GET',
        url: `/api/connectors/_oauth_callback?code=${value}&state=${value}`,
      });
    }
    text = await scrape(service.metricsUrl());
  });
  afterAll(() => service.stop());

  it('labels requests no route matched as one route', () => {
    const unmatched = { route: 'unmatched', status_code: '404' };
    expect(sampleValue(text, 'http_requests_total', unmatched)).toBe(madeUp.length);
  });

  it('counts no proxied call for a connector that does not exist', () => {
    const refused = { route: '/api/connectors/:id/proxy/*', status_code: '404' };
    expect(sampleValue(text, 'http_requests_total', refused)).toBe(madeUp.length);
    expect(text).not.toContain('latchkey_proxy_calls_total{');
  });

  it('counts callbacks with unknown states under their error code', () => {
    const outcomes = labelValues(text, 'latchkey_flows_finished_total', 'outcome');
    expect(outcomes).toEqual(['oauth_state_invalid']);
    const invalid = { outcome: 'oauth_state_invalid' };
    expect(sampleValue(text, 'latchkey_flows_finished_total', invalid)).toBe(madeUp.length);
  });

  it('never repeats what the client sent', () => {
    for (const value of madeUp) expect(text).not.toContain(value);
  });

  it('answers nothing but GET /metrics on the metrics listener', async () => {
    const url = String(service.metricsUrl());
    const other = new URL('/api/auth/me', url).href;
    expect((await fetch(other)).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(404);
    expect((await fetch(new URL('/metrics/x', url))).status).toBe(404);
    expect((await fetch(`${url}?name[]=http_requests_total`)).status).toBe(200);
  });
});
