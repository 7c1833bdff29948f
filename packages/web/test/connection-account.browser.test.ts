import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, startBrowserEnv } from './support/browser-env';

/** "Connected as …" and "Grant new permissions" after real flows (Chromium, oidc-provider). */
describe('connected account and new permissions in the connectors list', () => {
  let env: BrowserEnv;
  let page: Page;
  let connectorId: string;
  let adminId: string;

  beforeAll(async () => {
    env = await startBrowserEnv();
    connectorId = await env.createConnector('Scoped');
    adminId = await env.createUser('ada', 'admin');
    await env.createUser('vic', 'viewer');
    page = await env.browser.newPage();
    await env.login(page, 'vic');
  }, 60_000);
  afterAll(() => env?.stop());

  const row = () => page.getByTestId('connector-row-Scoped');

  async function connectInNewTab(button: string) {
    const popupPromise = env.browser.waitForEvent('page');
    await row().getByRole('button', { name: button }).click();
    const popup = await popupPromise;
    await popup.waitForEvent('close', { timeout: 20_000 });
  }

  it('shows which account is connected after a real flow', async () => {
    expect(await row().getByTestId('connection-account').count()).toBe(0);
    await connectInNewTab('Connect to Scoped');
    await expect
      .poll(() => row().getByTestId('connection-account').textContent(), { timeout: 10_000 })
      .toBe('Connected as user-1');
  });

  it('offers Grant new permissions when the connector asks for more, and grants them', async () => {
    await env.setConnectorScope(connectorId, 'Scoped', 'openid read write', adminId);
    await page.reload();
    await expect
      .poll(() => row().getByTestId('connection-scopes-missing').textContent())
      .toBe('1 new permission to grant');
    expect(await row().getByTestId('connector-status').textContent()).toBe('Connected');
    await connectInNewTab('Grant new permissions to Scoped');
    await expect
      .poll(() => row().getByTestId('connection-scopes-missing').count(), { timeout: 10_000 })
      .toBe(0);
    expect(
      await row().getByRole('button', { name: 'Grant new permissions to Scoped' }).count(),
    ).toBe(0);
    expect(await row().getByTestId('connection-account').textContent()).toBe('Connected as user-1');
  });
});
