import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, startBrowserEnv } from './support/browser-env';
import { type PageWatch, watchContext } from './support/page-watch';

const SCREENSHOTS = 'artifacts/screenshots';

describe('admin pages in Chromium: users, API keys, audit log', () => {
  let env: BrowserEnv;
  let watch: PageWatch;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startBrowserEnv();
    watch = await watchContext(env.browser, env.baseUrl);
    page = await env.browser.newPage();
    await env.login(page, 'admin');
  }, 60_000);
  afterAll(() => env?.stop());

  it('creates a user, changes the role and removes the user', async () => {
    await page
      .getByRole('link', { name: 'Users', exact: true })
      .or(page.getByRole('button', { name: 'Users', exact: true }))
      .first()
      .click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByLabel('Username').fill('nora');
    await page.getByLabel('Password', { exact: true }).fill('nora-long-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel('Role of nora').waitFor();
    expect((await env.service.deps.store.users.findByUsername('nora'))?.role).toBe('viewer');
    await page.getByLabel('Role of nora').selectOption('editor');
    await expect
      .poll(async () => (await env.service.deps.store.users.findByUsername('nora'))?.role)
      .toBe('editor');
    await page.getByRole('button', { name: 'Remove nora' }).click();
    await expect.poll(() => env.service.deps.store.users.findByUsername('nora')).toBeUndefined();
  });

  it('shows a new API key once, never again, and revokes it', async () => {
    await page
      .getByRole('link', { name: 'API keys' })
      .or(page.getByRole('button', { name: 'API keys' }))
      .first()
      .click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel('Key name').fill('workflow engine');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const key = /lk_[A-Za-z0-9_-]+/.exec((await shown.textContent()) ?? '')?.[0] ?? '';
    expect(key).toMatch(/^lk_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: `${SCREENSHOTS}/api-key-shown-once.png` });
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByText(key).count()).toBe(0);
    await page.reload();
    const revoke = page.getByRole('button', { name: 'Revoke workflow engine' });
    await revoke.waitFor();
    expect(await page.content()).not.toContain(key);
    await revoke.click();
    await expect.poll(() => page.getByText('Revoked', { exact: true }).count()).toBe(1);
    const response = await fetch(`${env.baseUrl}/api/connectors`, {
      headers: { authorization: `ApiKey ${key}` },
    });
    expect(response.status).toBe(401);
  });

  it('lists audit events', async () => {
    const connectorId = await env.createConnector('Audited');
    const started = await page.request.post(
      `${env.baseUrl}/api/connectors/${connectorId}/_start_oauth_flow`,
      {
        data: {},
        headers: { origin: env.baseUrl },
      },
    );
    expect(started.status()).toBe(200);
    await page
      .getByRole('link', { name: 'Audit log' })
      .or(page.getByRole('button', { name: 'Audit log' }))
      .first()
      .click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const flowStarted = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'oauth_flow_started' }) });
    await expect.poll(() => flowStarted.count()).toBe(1);
    expect(await flowStarted.getByRole('cell', { name: connectorId }).count()).toBe(1);
    // Creating the connector is audited too, on a row of its own.
    const created = page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'connector_created' }) });
    expect(await created.getByRole('cell', { name: connectorId }).count()).toBe(1);
  });

  it('made no request to another origin and raised no CSP violation', () => {
    expect(watch.offOrigin).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});
