import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, CLIENT_SECRET, startBrowserEnv } from './support/browser-env';
import { type PageWatch, watchContext } from './support/page-watch';

const SCREENSHOTS = 'artifacts/screenshots';

/**
 * The catalog entry the test picks, and what its form is given: the generic OpenID Connect
 * preset, on the test provider's issuer (found through discovery).
 */
function presetFor(env: BrowserEnv) {
  return {
    id: 'oidc',
    search: 'openid',
    inputs: { Issuer: env.provider.issuer },
  };
}

describe('a connector created from a preset in the UI, in Chromium', () => {
  let env: BrowserEnv;
  let watch: PageWatch;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startBrowserEnv();
    watch = await watchContext(env.browser, env.baseUrl);
    await env.browser.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: env.baseUrl,
    });
    page = await env.browser.newPage();
    await env.login(page, 'admin');
  }, 60_000);
  afterAll(() => env?.stop());

  const row = (name: string) => page.getByTestId(`connector-row-${name}`);

  it('creates the connector from the picker and the preset form, then completes the flow', async () => {
    const preset = presetFor(env);
    await page.getByRole('button', { name: 'Create connector' }).click();
    const flyout = page.getByRole('dialog');
    await flyout.getByTestId(`provider-option-${preset.id}`).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/provider-picker.png` });
    await flyout.getByLabel('Search providers').fill(preset.search);
    await flyout.getByTestId(`provider-option-${preset.id}`).click();

    const redirectUri = `${env.baseUrl}/api/connectors/_oauth_callback`;
    expect(await flyout.getByTestId('redirect-uri').inputValue()).toBe(redirectUri);
    await flyout.getByRole('button', { name: 'Copy redirect URI' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(redirectUri);

    await flyout.getByLabel('Name').fill('From preset');
    for (const [label, value] of Object.entries(preset.inputs)) {
      await flyout.getByLabel(label, { exact: true }).fill(value);
    }
    await flyout.getByLabel('Client ID').fill('browser');
    await flyout.getByLabel('Client secret', { exact: true }).fill(CLIENT_SECRET);
    await flyout.getByLabel('Scopes').fill('openid read');
    await page.screenshot({ path: `${SCREENSHOTS}/provider-preset-form.png` });
    await flyout.getByRole('button', { name: 'Create connector' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const stored = (await env.service.deps.store.connectors.list()).find(
      (c) => c.name === 'From preset',
    );
    expect(stored?.provider).toBe(preset.id);

    const popupPromise = env.browser.waitForEvent('page');
    await row('From preset').getByRole('button', { name: 'Connect to From preset' }).click();
    const popup = await popupPromise;
    await popup.waitForEvent('close', { timeout: 20_000 });
    await expect
      .poll(() => row('From preset').getByTestId('connector-status').textContent())
      .toBe('Connected');
  });

  it('opens the preset connector in its own form, showing where its calls go', async () => {
    await page.getByRole('button', { name: 'Edit From preset' }).click();
    const flyout = page.getByRole('dialog');
    const endpoints = flyout.getByTestId('connector-endpoints');
    await endpoints.waitFor();
    expect(await endpoints.textContent()).toContain(env.provider.issuer);
    expect(await flyout.getByLabel('Search providers').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/provider-preset-edit.png` });
    await flyout.getByRole('button', { name: 'Cancel' }).click();
  });

  it('turns keep-alive on in the edit form, and the connection stays', async () => {
    await page.getByRole('button', { name: 'Edit From preset' }).click();
    const flyout = page.getByRole('dialog');
    const keepAlive = flyout.getByRole('switch', { name: 'Keep connections alive' });
    expect(await keepAlive.getAttribute('aria-checked')).toBe('false');
    await keepAlive.click();
    await flyout.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const stored = (await env.service.deps.store.connectors.list()).find(
      (c) => c.name === 'From preset',
    );
    expect(stored?.authMode === 'per-user' && stored.config.keepAlive).toBe(true);
    await expect
      .poll(() => row('From preset').getByTestId('connector-status').textContent())
      .toBe('Connected');
  });

  it('made no request to another origin and raised no CSP violation', () => {
    expect(watch.offOrigin).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});
