import { afterEach, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/test-service';

const EXPECTED = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
};

describe('security headers on API answers', () => {
  let service: TestService | undefined;
  afterEach(async () => service?.stop());

  it('come on answers, refusals and unknown routes alike, without HSTS over http', async () => {
    service = await startTestService();
    const answers = [
      await service.request({ method: 'GET', url: '/healthz' }),
      await service.request({ method: 'GET', url: '/api/connectors' }),
      await service.request({ method: 'GET', url: '/api/no-such-route' }),
      await service.request({
        method: 'GET',
        url: '/api/connectors',
        headers: { authorization: 'ApiKey not-a-key' },
      }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404, 401]);
    for (const answer of answers) {
      expect(answer.headers).toMatchObject(EXPECTED);
      expect(answer.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('include HSTS when the public URL is https', async () => {
    service = await startTestService({ LATCHKEY_PUBLIC_BASE_URL: 'https://latchkey.example' });
    const answer = await service.request({ method: 'GET', url: '/healthz' });
    expect(answer.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(answer.headers).toMatchObject(EXPECTED);
  });
});
