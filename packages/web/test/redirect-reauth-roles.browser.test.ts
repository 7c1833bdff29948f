import { mkdirSync } from 'node:fs';
import { createConnector } from '@latchkey/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, startBrowserEnv } from './support/browser-env';
import { type PageWatch, watchContext } from './support/page-watch';

const SCREENSHOTS = 'artifacts/screenshots';

describe('redirect mode, reconnect and roles in Chromium', () => {
  let env: BrowserEnv;
  let watch: PageWatch;
  let connectorId: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startBrowserEnv();
    watch = await watchContext(env.browser, env.baseUrl);
    connectorId = await env.createConnector('Demo');
  }, 60_000);
  afterAll(() => env?.stop());

  async function loggedIn(username: string, role: 'viewer' | 'editor'): Promise<Page> {
    await env.createUser(username, role);
    // One browser profile, several users: start each one logged out.
    await env.browser.clearCookies();
    const page = await env.browser.newPage();
    await env.login(page, username);
    return page;
  }

  it('round-trips in redirect mode: back on the page with a toast and a clean URL', async () => {
    const page = await loggedIn('rita', 'viewer');
    await page.getByRole('switch', { name: 'Open the provider in a new tab' }).click();
    await page.getByRole('button', { name: 'Connect to Demo' }).click();
    await page.waitForURL((url) => url.origin === env.baseUrl && url.pathname === '/', {
      timeout: 20_000,
    });
    await expect
      .poll(() => page.getByText('Your account is connected').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() =>
        page.getByTestId('connector-row-Demo').getByTestId('connector-status').textContent(),
      )
      .toBe('Connected');
    const url = new URL(page.url());
    expect([...url.searchParams.keys()]).toEqual([]);
    await page.close();
  });

  it('shows Reconnect after the grant is revoked at the provider', async () => {
    const page = await loggedIn('reza', 'viewer');
    await page.getByRole('switch', { name: 'Open the provider in a new tab' }).click();
    await page.getByRole('button', { name: 'Connect to Demo' }).click();
    await page.waitForURL((url) => url.origin === env.baseUrl && url.pathname === '/', {
      timeout: 20_000,
    });
    await expect
      .poll(() =>
        page.getByTestId('connector-row-Demo').getByTestId('connector-status').textContent(),
      )
      .toBe('Connected');
    const user = await env.service.deps.store.users.findByUsername('reza');
    env.provider.revokeAllGrants();
    // Expire the access token so the next use must refresh, which the provider now refuses.
    const connection = await env.service.deps.store.connections.find(connectorId, user!.id);
    if (connection?.status !== 'connected') throw new Error('not connected');
    await env.service.deps.store.connections.replaceIfVersion(
      { ...connection, expiresAt: Date.now() - 1000, version: connection.version + 1 },
      connection.version,
    );
    await expect(env.service.deps.accessTokens.get(connectorId, user!.id)).rejects.toMatchObject({
      code: 'reauth_required',
    });
    await page.reload();
    await expect
      .poll(() =>
        page.getByTestId('connector-row-Demo').getByTestId('connector-status').textContent(),
      )
      .toBe('Reconnect required');
    expect(await page.getByRole('button', { name: 'Reconnect to Demo' }).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/connectors-reconnect-required.png` });
    await page.close();
  });

  it('shows a viewer no create, edit or delete controls', async () => {
    const page = await loggedIn('vic', 'viewer');
    // Wait for the rows: an empty table would pass the checks below trivially.
    await page
      .getByTestId('connector-row-Demo')
      .getByRole('button', { name: /Connect|Disconnect|Reconnect/ })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Create connector' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit Demo' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete Demo' }).count()).toBe(0);
    await page.close();
  });

  it('lets an editor create a connector through the form, with server errors next to the field', async () => {
    const page = await loggedIn('eddie', 'editor');
    await page.getByRole('button', { name: 'Create connector' }).click();
    const flyout = page.getByRole('dialog');
    await flyout.getByTestId('provider-option-custom').click();
    await flyout.getByLabel('Name').fill('GitHub');
    await flyout.getByLabel('Authorization URL').fill('https://github.com/login/oauth/authorize');
    await flyout.getByLabel('Token URL').fill('http://github.example.com/token');
    await flyout.getByLabel('Client ID').fill('abc123');
    await flyout.getByLabel('API base URL').fill('https://api.github.com/');
    await flyout.getByLabel('Client secret', { exact: true }).fill('s3cret-value');
    await page.screenshot({ path: `${SCREENSHOTS}/connector-form.png` });
    await flyout.getByRole('button', { name: 'Create connector' }).click();
    await expect
      .poll(() => flyout.getByText('config.tokenUrl must use https.').count())
      .toBeGreaterThan(0);
    await flyout.getByLabel('Token URL').fill('https://github.com/login/oauth/access_token');
    await flyout.getByRole('button', { name: 'Create connector' }).click();
    await expect.poll(() => page.getByTestId('connector-row-GitHub').count()).toBe(1);
    await page.close();
  });

  it('asks an editor for the client secret again when an endpoint changes', async () => {
    const id = await env.createConnector('Moving');
    const before = await env.service.deps.store.connectors.findById(id);
    const page = await loggedIn('edna', 'editor');
    await page.getByRole('button', { name: 'Edit Moving' }).click();
    const flyout = page.getByRole('dialog');
    await flyout.getByLabel('Replace client secret').waitFor();
    await flyout.getByLabel('Token URL').fill('https://attacker.example/token');
    const help = 'Enter the client secret again: you changed Token URL';
    await expect.poll(() => flyout.getByText(help).count()).toBeGreaterThan(0);
    await flyout.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => flyout.getByText(help).count()).toBe(2);
    expect(await env.service.deps.store.connectors.findById(id)).toEqual(before);

    await flyout.getByLabel('Client secret', { exact: true }).fill('entered-again');
    await flyout.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const after = await env.service.deps.store.connectors.findById(id);
    expect(after?.config).toMatchObject({ tokenUrl: 'https://attacker.example/token' });
    await page.close();
  });

  it('keeps the settings the form does not show when an editor renames a connector', async () => {
    const id = await env.createConnector('Tuned');
    const store = env.service.deps.store;
    const created = await store.connectors.findById(id);
    const hidden = {
      scopeParamName: 'user_scope',
      tokenEndpointAuthMethod: 'client_secret_post' as const,
      authorizationParams: { access_type: 'offline' },
    };
    if (created?.authMode !== 'per-user') throw new Error('Tuned is a per-user connector');
    await store.connectors.update({ ...created, config: { ...created.config, ...hidden } });
    const before = await store.connectors.findById(id);
    const page = await loggedIn('edwin', 'editor');
    await page.getByRole('button', { name: 'Edit Tuned' }).click();
    const flyout = page.getByRole('dialog');
    await flyout.getByLabel('Name').fill('Tuned again');
    await flyout.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const after = await store.connectors.findById(id);
    expect(after?.name).toBe('Tuned again');
    expect(after?.config).toEqual(before?.config);
    // Nothing but the name changed: the users' connections were not voided.
    expect(after?.configVersion).toBe(before?.configVersion);
    await page.close();
  });

  it('offers an editor no form for a shared connector, which it would turn into a per-user one', async () => {
    await createConnector(env.service.deps, {
      name: 'Shared API',
      provider: 'custom',
      authMode: 'shared',
      config: { credentialType: 'bearer_token', apiBaseUrl: 'https://api.example.com/' },
      secrets: { token: 'shared-token-value' },
    });
    const page = await loggedIn('edith', 'editor');
    await page.getByTestId('connector-row-Shared API').waitFor();
    expect(await page.getByRole('button', { name: 'Edit Shared API' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete Shared API' }).count()).toBe(1);
    await page.close();
  });

  it('made no request to another origin and raised no CSP violation', () => {
    expect(watch.offOrigin).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});
