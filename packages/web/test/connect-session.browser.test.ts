import { mkdirSync } from 'node:fs';
import { createLatchkeyClient, type LatchkeyClient } from '@latchkey/sdk';
import { type ResourceApi, startResourceApi } from '@latchkey/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppOrigin, bundleEmbeddedApp, startAppOrigin } from './support/app-origin';
import { type BrowserEnv, startBrowserEnv } from './support/browser-env';
import { type PageWatch, watchContext } from './support/page-watch';

const SCREENSHOTS = 'artifacts/screenshots';
const SESSION_TTL_MS = 1800 * 1000;

/**
 * An app's backend makes connect sessions with its key; a browser with no Latchkey login
 * connects on the hosted page; the app then acts for that end user; admins see them.
 */
describe('connect sessions in Chromium (real server, real oidc-provider)', () => {
  let appSite: AppOrigin;
  let otherSite: AppOrigin;
  let env: BrowserEnv;
  let watch: PageWatch;
  let api: ResourceApi;
  let app: LatchkeyClient;
  let demoId: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const bundle = await bundleEmbeddedApp();
    appSite = await startAppOrigin(bundle);
    otherSite = await startAppOrigin(bundle);
    env = await startBrowserEnv({
      config: { LATCHKEY_CONNECT_RETURN_ORIGINS: appSite.origin },
    });
    api = await startResourceApi({ provider: env.provider });
    watch = await watchContext(env.browser, env.baseUrl);
    demoId = await env.createConnector('Demo', { apiBaseUrl: `${api.url}/` });
    await env.createConnector('Other');
    const key = await env.createApiKey(['end_users', 'proxy']);
    app = createLatchkeyClient({ baseUrl: env.baseUrl, apiKey: key });
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
    await api?.stop();
    await appSite?.close();
    await otherSite?.close();
  });

  const rowOf = (page: Page, name: string) => page.getByTestId(`connector-row-${name}`);
  const statusOf = (page: Page, name: string) =>
    rowOf(page, name).getByTestId('connector-status').textContent();

  it('connects on the hosted page without a login; the app proxies for the end user; Done returns to the app', async () => {
    const session = await app.createConnectSession({
      endUser: { externalId: 'cust-42', displayName: 'Ada Lovelace' },
      connectorIds: [demoId],
      returnUrl: `${appSite.origin}/done?from=latchkey`,
    });
    // No one ever logged in to Latchkey in this browser.
    expect(await env.browser.cookies(env.baseUrl)).toEqual([]);
    const before = await app.actingForEndUser('cust-42').proxy(demoId, '/me');
    expect(before.status).toBe(409);

    const page = await env.browser.newPage();
    await page.goto(session.url);
    await expect.poll(() => statusOf(page, 'Demo')).toBe('Not connected');
    // The token left the address bar; the session offers only its connector.
    expect(page.url()).toBe(`${env.baseUrl}/connect`);
    expect(await rowOf(page, 'Other').count()).toBe(0);
    await page.getByText('For Ada Lovelace.', { exact: false }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/connect-page.png` });

    const popupPromise = env.browser.waitForEvent('page');
    await rowOf(page, 'Demo').getByRole('button', { name: 'Connect to Demo' }).click();
    const popup = await popupPromise;
    await popup.waitForEvent('close', { timeout: 20_000 });
    await expect.poll(() => statusOf(page, 'Demo'), { timeout: 10_000 }).toBe('Connected');
    await page.screenshot({ path: `${SCREENSHOTS}/connect-page-connected.png` });
    // Still no Latchkey login in this browser: only the flow's browser binding.
    const names = (await env.browser.cookies(env.baseUrl)).map((c) => c.name);
    expect(names.filter((name) => /session/i.test(name))).toEqual([]);

    const proxied = await app.actingForEndUser('cust-42').proxy(demoId, '/me');
    expect(proxied.status).toBe(200);
    expect(await proxied.json()).toMatchObject({ ok: true });

    await page.getByRole('button', { name: 'Done' }).click();
    await page.waitForURL(`${appSite.origin}/**`);
    const back = new URL(page.url());
    expect(back.pathname).toBe('/done');
    expect(Object.fromEntries(back.searchParams)).toEqual({
      from: 'latchkey',
      oauth_authorization: 'success',
      connector_id: demoId,
    });
    // Done ends the page's hold on the token.
    await page.goto(`${env.baseUrl}/connect`);
    await page.getByText('This connect link is incomplete').waitFor();
    await page.close();
  });

  it('connects by redirect too: the provider comes back to the hosted page, which reports it', async () => {
    const session = await app.createConnectSession({
      endUser: { externalId: 'cust-88' },
      connectorIds: [demoId],
      returnUrl: `${appSite.origin}/done`,
    });
    const page = await env.browser.newPage();
    await page.goto(session.url);
    await expect.poll(() => statusOf(page, 'Demo')).toBe('Not connected');
    await page.getByRole('switch', { name: 'Open the provider in a new tab' }).click();
    const authorizationsBefore = env.provider.counts.authorization;
    try {
      await rowOf(page, 'Demo').getByRole('button', { name: 'Connect to Demo' }).click();
      // Back from the provider: the result is reported and cleaned from the address bar.
      await expect.poll(() => statusOf(page, 'Demo'), { timeout: 20_000 }).toBe('Connected');
      expect(page.url()).toBe(`${env.baseUrl}/connect`);
      expect(env.provider.counts.authorization).toBe(authorizationsBefore + 1);
      await page.getByText('Connected to Demo').first().waitFor();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.waitForURL(`${appSite.origin}/**`);
      expect(new URL(page.url()).search).toBe(
        `?oauth_authorization=success&connector_id=${demoId}`,
      );
    } finally {
      await page.goto(session.url);
      await page.getByRole('switch', { name: 'Open the provider in a new tab' }).click();
      await page.close();
    }
  });

  it('shows the end user and their connection status on the admin End users page', async () => {
    const page = await env.browser.newPage();
    await env.login(page, 'admin');
    await page
      .getByRole('button', { name: 'End users' })
      .or(page.getByRole('link', { name: 'End users' }))
      .first()
      .click();
    await page.getByRole('heading', { name: 'End users' }).waitFor();
    await page.getByTestId('end-user-row-cust-42').waitFor();
    await page.getByLabel('Find an end user by external id').fill('cust-42');
    await page.getByRole('button', { name: 'Find' }).click();
    const connection = page.getByTestId('end-user-connection-Demo');
    await expect
      .poll(() => connection.getByTestId('connector-status').textContent())
      .toBe('Connected');
    await page.screenshot({ path: `${SCREENSHOTS}/end-users.png` });
    await page.close();
  });

  it('the headless SDK reads the session from a listed origin; an unlisted one is refused by CORS', async () => {
    const session = await app.createConnectSession({
      endUser: { externalId: 'cust-42' },
      connectorIds: [demoId],
    });
    const read = (page: Page) =>
      page.evaluate(([baseUrl, token]) => window.embeddedApp.readSession(baseUrl, token), [
        env.baseUrl,
        session.token,
      ] as const);
    const listed = await env.browser.newPage();
    await listed.goto(`${appSite.origin}/`);
    expect(await read(listed)).toEqual({ ok: true, externalId: 'cust-42', count: 1 });
    expect(
      await listed.evaluate(
        ([baseUrl, token, id]) => window.embeddedApp.readStatus(baseUrl, token, id),
        [env.baseUrl, session.token, demoId] as const,
      ),
    ).toBe('connected');

    const unlisted = await env.browser.newPage();
    await unlisted.goto(`${otherSite.origin}/`);
    expect(await read(unlisted)).toEqual({ ok: false, code: 'network_error' });
    await listed.close();
    await unlisted.close();
  });

  it("the SDK on the app's own site, another site than Latchkey, connects in a new tab", async () => {
    const session = await app.createConnectSession({
      endUser: { externalId: 'cust-55' },
      connectorIds: [demoId],
    });
    const page = await env.browser.newPage();
    await page.goto(`${appSite.origin}/`);
    const popupPromise = env.browser.waitForEvent('page');
    const outcome = page.evaluate(
      ([baseUrl, token, id, returnUrl]) =>
        window.embeddedApp.connectInNewTab(baseUrl, token, id, returnUrl),
      [env.baseUrl, session.token, demoId, `${appSite.origin}/done?auto_close=true`] as const,
    );
    const popup = await popupPromise;
    await popup.waitForEvent('close', { timeout: 20_000 });
    expect(await outcome).toEqual({ ok: true });
    const proxied = await app.actingForEndUser('cust-55').proxy(demoId, '/me');
    expect(proxied.status).toBe(200);
    await page.close();
  });

  it('an expired session shows its message and starts nothing', async () => {
    const session = await app.createConnectSession({
      endUser: { externalId: 'cust-77' },
      connectorIds: [demoId],
    });
    const authorizationsBefore = env.provider.counts.authorization;
    env.advanceClock(SESSION_TTL_MS + 1000);
    try {
      const page = await env.browser.newPage();
      await page.goto(session.url);
      await page.getByText('This connect link has expired').waitFor();
      expect(await page.getByRole('button', { name: /Connect/ }).count()).toBe(0);
      await page.screenshot({ path: `${SCREENSHOTS}/connect-page-expired.png` });
      await page.close();
    } finally {
      env.advanceClock(-(SESSION_TTL_MS + 1000));
    }
    expect(env.provider.counts.authorization).toBe(authorizationsBefore);
  });

  it('made no request to another origin and raised no CSP violation', () => {
    expect(watch.offOrigin).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});

declare global {
  interface Window {
    embeddedApp: typeof import('./support/embedded-app-entry');
  }
}
