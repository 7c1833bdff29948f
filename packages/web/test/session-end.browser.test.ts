import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, PASSWORD, startBrowserEnv } from './support/browser-env';
import { type PageWatch, watchContext } from './support/page-watch';

const SCREENSHOTS = 'artifacts/screenshots';

/**
 * A session that ends while the UI is open (logged out in another tab, expired, deleted with
 * its user) makes the next call answer `401 unauthenticated`: the UI must then show its login
 * page on the same path, and logging in again must bring back the page the user was on.
 */
describe('a session that ends while the UI is open, in Chromium', () => {
  let env: BrowserEnv;
  let watch: PageWatch;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startBrowserEnv();
    watch = await watchContext(env.browser, env.baseUrl);
    await env.createConnector('Demo');
  }, 60_000);
  afterAll(() => env?.stop());
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
    expect(watch.offOrigin).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });

  /** A page of a fresh login (one browser profile, several users: start logged out). */
  async function loggedIn(username: string): Promise<Page> {
    await env.browser.clearCookies();
    for (const open of env.browser.pages()) await open.close();
    const page = await env.browser.newPage();
    // Fail on a missing element well before the test's own timeout, naming the element.
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await env.login(page, username);
    return page;
  }

  /** Ends every session of the user on the server; the browser still sends its cookie. */
  async function endSessionsOf(username: string) {
    const user = await env.service.deps.store.users.findByUsername(username);
    await env.service.deps.store.sessions.deleteForUser(user!.id);
  }

  const loginHeading = (page: Page) => page.getByRole('heading', { name: 'Log in to Latchkey' });

  async function submitLogin(page: Page, username: string, password: string) {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  it('admin on the users page: logged out in another tab, back on the login page, then on the users page again', async () => {
    await env.createUser('olga', 'viewer');
    const page = await loggedIn('admin');
    await page.getByRole('button', { name: 'Users', exact: true }).click();
    await page.getByLabel('Role of olga').waitFor();

    // The page's own request context carries the session cookie, as another tab would.
    const loggedOut = await page.request.post(`${env.baseUrl}/api/auth/logout`, {
      data: {},
      headers: { origin: env.baseUrl },
    });
    expect(loggedOut.status()).toBe(204);
    await page.getByLabel('Role of olga').selectOption('editor');

    await loginHeading(page).waitFor();
    await page.getByTestId('session-ended').waitFor();
    expect(await page.getByRole('heading', { name: 'Users' }).count()).toBe(0);
    expect(await page.getByLabel('Role of olga').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create user' }).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/users');
    expect((await env.service.deps.store.users.findByUsername('olga'))?.role).toBe('viewer');
    await page.screenshot({ path: `${SCREENSHOTS}/session-ended-login.png` });

    await submitLogin(page, 'admin', PASSWORD);
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    // Loaded again on mount: the rows are the server's, olga still a viewer.
    await page.getByRole('cell', { name: 'admin', exact: true }).waitFor();
    expect(await page.getByLabel('Role of olga').inputValue()).toBe('viewer');
    expect(new URL(page.url()).pathname).toBe('/users');
    expect(await loginHeading(page).count()).toBe(0);
  });

  it('a wrong password on that login page shows the error once: no loop, no reload', async () => {
    const page = await loggedIn('admin');
    await endSessionsOf('admin');
    // Opening another page loads its list: the first call after the end.
    await page.getByRole('button', { name: 'API keys' }).click();
    await loginHeading(page).waitFor();
    expect(new URL(page.url()).pathname).toBe('/api-keys');

    const calls: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) calls.push(`${request.method()} ${url.pathname}`);
    });
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await submitLogin(page, 'admin', 'not-the-password');
    await page.getByRole('alert').getByText('Wrong username or password.').waitFor();
    // Time for a loop or a reload to show, if there were one.
    await page.waitForTimeout(1000);
    expect(calls).toEqual(['POST /api/auth/login']);
    expect(navigations).toBe(0);
    expect(await loginHeading(page).count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/api-keys');

    await submitLogin(page, 'admin', PASSWORD);
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/api-keys');
  });

  it('viewer on the connectors page: the next Connect after the session ended shows the login page', async () => {
    await env.createUser('vera', 'viewer');
    const page = await loggedIn('vera');
    await page.getByTestId('connector-row-Demo').waitFor();

    await endSessionsOf('vera');
    // The default new-tab mode opens a blank tab inside the click; the refused start closes it.
    await page.getByRole('button', { name: 'Connect to Demo' }).click();
    await loginHeading(page).waitFor();
    await page.getByTestId('session-ended').waitFor();
    expect(await page.getByRole('heading', { name: 'Connectors' }).count()).toBe(0);
    expect(await page.getByTestId('connector-row-Demo').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => env.browser.pages().length).toBe(1);

    await submitLogin(page, 'vera', PASSWORD);
    await page.getByTestId('connector-row-Demo').waitFor();
    expect(
      await page.getByTestId('connector-row-Demo').getByTestId('connector-status').textContent(),
    ).toBe('Not connected');
  });

  it('viewer connected to a connector: Disconnect after the session ended shows the login page and changes nothing', async () => {
    await env.createUser('vito', 'viewer');
    const page = await loggedIn('vito');
    const status = page.getByTestId('connector-row-Demo').getByTestId('connector-status');
    // Connect by redirect (the flow itself is connect-flow and redirect-reauth-roles' subject).
    await page.getByRole('switch', { name: 'Open the provider in a new tab' }).click();
    await page.getByRole('button', { name: 'Connect to Demo' }).click();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('Connected');
    // Back from the provider the page loads the list twice (on mount, and for the result);
    // a reload leaves one load, finished once the row shows, so no call is still on its way.
    await page.reload();
    await expect.poll(() => status.textContent()).toBe('Connected');

    await endSessionsOf('vito');
    // Unlike a failed connect, a failed disconnect reloads no list: only its own call can tell.
    await page.getByRole('button', { name: 'Disconnect from Demo' }).click();
    await loginHeading(page).waitFor();
    expect(await page.getByTestId('connector-row-Demo').count()).toBe(0);

    await submitLogin(page, 'vito', PASSWORD);
    await expect.poll(() => status.textContent()).toBe('Connected');
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
