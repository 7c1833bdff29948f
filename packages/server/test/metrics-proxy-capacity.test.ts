import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoUpstream, startEchoUpstream } from './support/echo-upstream';
import { startGatedForwarder } from './support/gated-forwarder';
import { sampleValue, scrape } from './support/metrics-scrape';
import { connect, createProviderConnector } from './support/oauth-harness';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';

/** The proxy's capacity in use, as the limits count it, while calls wait for the API. */
describe('metrics of the proxy capacity', () => {
  let scene: ProxyScene;
  let echo: EchoUpstream;

  beforeAll(async () => {
    scene = await startProxyScene({ env: { LATCHKEY_METRICS_ADDRESS: '127.0.0.1:0' } });
    await scene.service.listen('127.0.0.1', 0);
    echo = await startEchoUpstream();
  });
  afterAll(async () => {
    await scene.stop();
    await echo.stop();
  });

  it('shows the calls in flight and the bytes they buffer, then none', async () => {
    const gate = await startGatedForwarder(`${echo.url}/echo`);
    try {
      const id = await createProviderConnector(scene.service, scene.provider, {
        apiBaseUrl: `${new URL(gate.url).origin}/`,
      });
      await connect(scene.service, scene.user.cookie, id);
      const call = () =>
        scene.service.request({
          method: 'POST',
          url: `/api/connectors/${id}/proxy/echo`,
          cookie: scene.user.cookie,
          headers: { 'content-type': 'application/octet-stream' },
          body: 'twelve bytes',
        });
      const held = [call(), call()];
      await expect.poll(() => gate.received()).toBe(2);
      const during = await scrape(scene.service.metricsUrl());
      expect(sampleValue(during, 'latchkey_proxy_calls_in_flight')).toBe(2);
      expect(sampleValue(during, 'latchkey_proxy_buffered_bytes')).toBe(24);

      gate.release();
      for (const answer of await Promise.all(held)) expect(answer.statusCode).toBe(200);
      const after = await scrape(scene.service.metricsUrl());
      expect(sampleValue(after, 'latchkey_proxy_calls_in_flight')).toBe(0);
      expect(sampleValue(after, 'latchkey_proxy_buffered_bytes')).toBe(0);
    } finally {
      gate.release();
      await gate.stop();
    }
  });
});
