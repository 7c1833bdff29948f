import { mkdirSync } from 'node:fs';
import { createApiKey, ERROR_CODES, type ErrorCode, recordAudit } from '@latchkey/core';
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, startBrowserEnv } from './support/browser-env';
import { type PageWatch, watchContext } from './support/page-watch';

const SCREENSHOTS = 'artifacts/screenshots';

/** What a page shows for a list that is empty; it must never show it for one that failed. */
const EMPTY = 'No items found';

type Failure = { answer: ErrorCode } | { answer: 'connection_refused' };

/**
 * Makes the service fail the requests `matches` selects, the way it fails for real: the
 * error shape of docs/errors.md with the registry's status and message, or no answer at
 * all. Each request is held until `release()`, so the loading state can be seen first.
 */
async function failRequests(page: Page, matches: (url: URL) => boolean, failure: Failure) {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handler = async (route: Route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    await held;
    if (failure.answer === 'connection_refused') return route.abort('connectionrefused');
    const { status, message } = ERROR_CODES[failure.answer];
    await route.fulfill({
      status,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ error: { code: failure.answer, message } }),
    });
  };
  await page.route(matches, handler);
  return { release, stop: () => page.unroute(matches, handler) };
}

const path = (pathname: string) => (url: URL) => url.pathname === pathname;

describe('admin lists in Chromium when the list request fails', () => {
  let env: BrowserEnv;
  let watch: PageWatch;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startBrowserEnv();
    watch = await watchContext(env.browser, env.baseUrl);
    page = await env.browser.newPage();
    // Fail on a missing element well before the test's own timeout, naming the element.
    page.setDefaultTimeout(10_000);
    // An unhandled rejection (a failed load nobody handled) surfaces here.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await env.login(page, 'admin');
  }, 60_000);
  afterAll(() => env?.stop());
  afterEach(async () => {
    await page.unrouteAll();
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
    expect(watch.offOrigin).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });

  it('users: loading, then the server message and no "no items", then the rows on retry', async () => {
    const failing = await failRequests(page, path('/api/users'), { answer: 'internal_error' });
    await page.goto(`${env.baseUrl}/users`);
    await page.getByRole('cell', { name: 'Loading users…' }).waitFor();
    expect(await page.getByText(EMPTY).count()).toBe(0);

    failing.release();
    const callout = page.getByTestId('list-load-error');
    await callout.getByText('Something went wrong on our side.').waitFor();
    expect(await callout.getByText('Could not load the users').count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'The users did not load.' }).count()).toBe(1);
    expect(await page.getByText(EMPTY).count()).toBe(0);
    expect(await page.getByRole('cell', { name: 'admin', exact: true }).count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/users-list-failed.png` });

    await failing.stop();
    await callout.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('cell', { name: 'admin', exact: true }).waitFor();
    await expect.poll(() => callout.count()).toBe(0);
    expect(await page.getByText('The users did not load.').count()).toBe(0);
  });

  it('users: a failed reload after an action keeps the rows and says so; the next one clears it', async () => {
    await env.createUser('olga', 'viewer');
    await page.goto(`${env.baseUrl}/users`);
    await page.getByLabel('Role of olga').waitFor();
    const failing = await failRequests(page, path('/api/users'), { answer: 'rate_limited' });
    failing.release();
    await page.getByLabel('Role of olga').selectOption('editor');
    const callout = page.getByTestId('list-load-error');
    await callout.getByText('Too many requests; try again later.').waitFor();
    expect(await page.getByLabel('Role of olga').count()).toBe(1);

    await failing.stop();
    await page.getByLabel('Username').fill('pavel');
    await page.getByLabel('Password', { exact: true }).fill('pavel-long-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel('Role of pavel').waitFor();
    await expect.poll(() => callout.count()).toBe(0);
    expect(await page.getByLabel('Role of olga').inputValue()).toBe('editor');
  });

  it('API keys: a service that cannot be reached is reported, and retry shows the keys', async () => {
    const admin = await env.service.deps.store.users.findByUsername('admin');
    await createApiKey(
      env.service.deps.store,
      { name: 'nightly export', permissions: ['proxy'] },
      admin!.id,
      Date.now(),
    );
    const failing = await failRequests(page, path('/api/api_keys'), {
      answer: 'connection_refused',
    });
    await page.goto(`${env.baseUrl}/api-keys`);
    await page.getByRole('cell', { name: 'Loading API keys…' }).waitFor();
    expect(await page.getByText(EMPTY).count()).toBe(0);

    failing.release();
    const callout = page.getByTestId('list-load-error');
    await callout.getByText('The Latchkey service could not be reached.').waitFor();
    expect(await callout.getByText('Could not load the API keys').count()).toBe(1);
    expect(await page.getByText(EMPTY).count()).toBe(0);

    await failing.stop();
    await callout.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('cell', { name: 'nightly export', exact: true }).waitFor();
    await expect.poll(() => callout.count()).toBe(0);
  });

  // An `unauthenticated` answer is no list failure: the app shows its login page
  // (session-end.browser.test.ts).
  it('audit log: a refusal is reported with its message, and retry shows the events', async () => {
    await recordAudit(env.service.deps.store, Date.now(), {
      action: 'oauth_flow_started',
      reason: 'before the outage',
    });
    const failing = await failRequests(page, path('/api/audit'), { answer: 'forbidden' });
    await page.goto(`${env.baseUrl}/audit`);
    await page.getByRole('cell', { name: 'Loading audit events…' }).waitFor();
    expect(await page.getByText(EMPTY).count()).toBe(0);

    failing.release();
    const callout = page.getByTestId('list-load-error');
    await callout.getByText('Your role does not allow this.').waitFor();
    expect(await callout.getByText('Could not load the audit events').count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'The audit events did not load.' }).count()).toBe(
      1,
    );
    expect(await page.getByText(EMPTY).count()).toBe(0);

    await failing.stop();
    await callout.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('cell', { name: 'before the outage' }).waitFor();
    await expect.poll(() => callout.count()).toBe(0);
  });

  it('audit log: a failed "Load more" keeps the first page, and retry appends the next', async () => {
    const start = Date.now();
    for (let i = 0; i < 60; i++) {
      await recordAudit(env.service.deps.store, start + i, {
        action: 'api_key_used',
        reason: `paged event ${i}`,
      });
    }
    const rows = page.getByRole('cell', { name: /paged event \d+/ });
    await page.goto(`${env.baseUrl}/audit`);
    await expect.poll(() => rows.count()).toBe(50);

    const failing = await failRequests(
      page,
      (url) => url.pathname === '/api/audit' && url.searchParams.has('cursor'),
      { answer: 'service_unavailable' },
    );
    failing.release();
    await page.getByRole('button', { name: 'Load more' }).click();
    const callout = page.getByTestId('list-load-error');
    await callout.getByText('The service is not ready.').waitFor();
    expect(await rows.count()).toBe(50);

    await failing.stop();
    await callout.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => rows.count()).toBe(60);
    await expect.poll(() => callout.count()).toBe(0);
    // Appended once: the retry asked for the page that failed, not the first one again.
    expect(await page.getByRole('cell', { name: 'paged event 0', exact: true }).count()).toBe(1);
  });

  it('connectors: the load failure is on the page, not only in a toast, and retry clears it', async () => {
    await env.createConnector('Reachable');
    const failing = await failRequests(page, path('/api/connectors'), {
      answer: 'internal_error',
    });
    await page.goto(`${env.baseUrl}/`);
    await page.getByRole('cell', { name: 'Loading connectors…' }).waitFor();

    failing.release();
    const callout = page.getByTestId('list-load-error');
    await callout.getByText('Something went wrong on our side.').waitFor();
    expect(await page.getByText('No connectors yet').count()).toBe(0);

    await failing.stop();
    await callout.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('connector-row-Reachable').waitFor();
    await expect.poll(() => callout.count()).toBe(0);
  });
});
