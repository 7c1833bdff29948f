import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, startBrowserEnv } from './support/browser-env';
import { type PageWatch, watchContext } from './support/page-watch';

const SCREENSHOTS = 'artifacts/screenshots';

describe('connectors page in Chromium (real server, real oidc-provider)', () => {
  let env: BrowserEnv;
  let watch: PageWatch;
  let page: Page;
  let otherId: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startBrowserEnv();
    watch = await watchContext(env.browser, env.baseUrl);
    await env.createConnector('Demo');
    otherId = await env.createConnector('Other');
    await env.createUser('vera', 'viewer');
    page = await env.browser.newPage();
    await env.login(page, 'vera');
  }, 60_000);
  afterAll(() => env?.stop());

  const row = (name: string) => page.getByTestId(`connector-row-${name}`);
  const statusOf = (name: string) => row(name).getByTestId('connector-status');

  it('connects in a new tab: the result page posts the message and closes itself, the row turns Connected with a toast, no reload', async () => {
    await expect.poll(() => statusOf('Demo').textContent()).toBe('Not connected');
    await page.screenshot({ path: `${SCREENSHOTS}/connectors-not-connected.png` });
    await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 42;
    });
    const popupPromise = env.browser.waitForEvent('page');
    await row('Demo').getByRole('button', { name: 'Connect to Demo' }).click();
    const popup = await popupPromise;
    await popup.waitForEvent('close', { timeout: 20_000 });
    await expect.poll(() => statusOf('Demo').textContent(), { timeout: 10_000 }).toBe('Connected');
    await expect.poll(() => page.getByText('Connected to Demo').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(
      42,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/connectors-connected.png` });
  });

  it('ignores a channel message from another page about a connector it is not connecting', async () => {
    const asked: string[] = [];
    const record = (request: { url(): string }) => asked.push(request.url());
    page.on('request', record);
    // A listener of the page's own, to know when both messages have arrived there.
    await page.evaluate(() => {
      const seen = new BroadcastChannel('oauth_flow_completed');
      const counter = window as unknown as { __channelMessages: number };
      counter.__channelMessages = 0;
      seen.onmessage = () => {
        counter.__channelMessages += 1;
      };
    });
    const other = await env.browser.newPage();
    await other.goto(`${env.baseUrl}/api/connectors/_oauth_callback_script`);
    await other.evaluate((connectorId) => {
      const channel = new BroadcastChannel('oauth_flow_completed');
      channel.postMessage({ connectorId, status: 'success' });
      channel.postMessage({ connectorId, status: 'error', error: 'oauth_access_denied' });
      channel.close();
    }, otherId);
    await other.close();
    await expect
      .poll(() =>
        page.evaluate(() => (window as unknown as { __channelMessages: number }).__channelMessages),
      )
      .toBe(2);
    // Not confirmed with the server, no toast, no change: no flow of this page was waiting.
    page.off('request', record);
    expect(asked.filter((url) => url.includes(`/api/connectors/${otherId}`))).toEqual([]);
    expect(await statusOf('Other').textContent()).toBe('Not connected');
    expect(await page.getByText('Connected to Other').count()).toBe(0);
    expect(await page.getByText('Could not connect').count()).toBe(0);
  });

  it('disconnects: the row turns Not connected', async () => {
    await row('Demo').getByRole('button', { name: 'Disconnect from Demo' }).click();
    await expect.poll(() => statusOf('Demo').textContent()).toBe('Not connected');
  });

  it('cancels while waiting for the provider', async () => {
    // Hold the provider's page so the flow stays open until we cancel.
    const held = `${env.provider.issuer}/**`;
    await env.browser.route(held, () => {});
    const popupPromise = env.browser.waitForEvent('page');
    await row('Other').getByRole('button', { name: 'Connect to Other' }).click();
    const popup = await popupPromise;
    const cancel = page.getByRole('button', { name: 'Cancel connecting to Other' });
    await cancel.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/connectors-waiting.png` });
    await cancel.click();
    await expect
      .poll(() => row('Other').getByRole('button', { name: 'Connect to Other' }).count())
      .toBe(1);
    await expect.poll(() => popup.isClosed()).toBe(true);
    await env.browser.unroute(held);
    expect(await statusOf('Other').textContent()).toBe('Not connected');
  });

  it('shows an error toast when consent is denied at the provider', async () => {
    env.provider.setConsentMode('deny');
    const popupPromise = env.browser.waitForEvent('page');
    await row('Other').getByRole('button', { name: 'Connect to Other' }).click();
    const popup = await popupPromise;
    await expect
      .poll(() => page.getByText('Could not connect to Other').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await statusOf('Other').textContent()).toBe('Not connected');
    if (!popup.isClosed()) await popup.close();
    env.provider.setConsentMode('grant');
  });

  it('made no request to another origin and raised no CSP violation', () => {
    expect(watch.offOrigin).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});
