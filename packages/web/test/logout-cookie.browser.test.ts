import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, startBrowserEnv } from './support/browser-env';
import { type PageWatch, watchContext } from './support/page-watch';

/**
 * Latchkey behind https, as in production: its cookies are `__Host-` ones, which a browser
 * sets, and clears, only with `Secure` and `Path=/`.
 */
describe('cookies behind https, in Chromium', () => {
  let env: BrowserEnv;
  let watch: PageWatch;
  let page: Page;

  beforeAll(async () => {
    env = await startBrowserEnv({ https: true });
    watch = await watchContext(env.browser, env.baseUrl);
    await env.createConnector('Demo');
    await env.createUser('vera', 'viewer');
    page = await env.browser.newPage();
    page.setDefaultTimeout(10_000);
    await env.login(page, 'vera');
  }, 60_000);
  afterAll(() => env?.stop());

  const cookieNamed = async (name: string) =>
    (await env.browser.cookies(env.baseUrl)).find((cookie) => cookie.name === name);

  it('keeps the session in __Host-latchkey_session', async () => {
    expect(await cookieNamed('latchkey_session')).toBeUndefined();
    expect(await cookieNamed('__Host-latchkey_session')).toMatchObject({
      secure: true,
      httpOnly: true,
      path: '/',
      sameSite: 'Lax',
    });
  });

  it('connects through a flow bound by __Host-latchkey_oauth_browser', async () => {
    const popupPromise = env.browser.waitForEvent('page');
    await page.getByRole('button', { name: 'Connect to Demo' }).click();
    const popup = await popupPromise;
    await popup.waitForEvent('close', { timeout: 20_000 });
    const status = page.getByTestId('connector-row-Demo').getByTestId('connector-status');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Connected');
    expect(await cookieNamed('latchkey_oauth_browser')).toBeUndefined();
    expect(await cookieNamed('__Host-latchkey_oauth_browser')).toMatchObject({
      secure: true,
      httpOnly: true,
      path: '/',
      sameSite: 'Lax',
    });
  });

  it('logging out removes the session cookie from the browser', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Latchkey' }).waitFor();
    await expect.poll(() => cookieNamed('__Host-latchkey_session')).toBeUndefined();
    expect(watch.offOrigin).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});
