import { mkdirSync } from 'node:fs';
import { recordConnectionEvent } from '@latchkey/core';
import { startWebhookReceiver, type WebhookReceiver } from '@latchkey/testing';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserEnv, startBrowserEnv } from './support/browser-env';

const SCREENSHOTS = 'artifacts/screenshots';

describe('the Webhooks page in Chromium', () => {
  let env: BrowserEnv;
  let receiver: WebhookReceiver;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    env = await startBrowserEnv();
    receiver = await startWebhookReceiver();
    page = await env.browser.newPage();
    await env.login(page, 'admin');
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    await receiver?.stop();
  });

  it('adds an endpoint, shows its secret once, and shows a delivery in its log', async () => {
    await page
      .getByRole('button', { name: 'Webhooks' })
      .or(page.getByRole('link', { name: 'Webhooks' }))
      .first()
      .click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByLabel('connection.created').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const shown = page.getByTestId('new-webhook-secret');
    await shown.waitFor();
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec((await shown.textContent()) ?? '')?.[0] ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByText(secret).count()).toBe(0);

    const deps = env.service.deps;
    await deps.store.transaction((store) =>
      recordConnectionEvent(store, deps.now(), {
        type: 'connection.created',
        connectorId: 'connector-in-the-log',
        userId: 'user-in-the-log',
      }),
    );
    // The service's own job delivers it within about a second.
    await receiver.waitForRequests(1);
    const [received] = receiver.received;
    if (!received) throw new Error('nothing delivered');
    const headers = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((n) => [
        n,
        String(received.headers[n]),
      ]),
    );
    expect(new Webhook(secret).verify(received.body, headers)).toMatchObject({
      type: 'connection.created',
    });

    await page.getByRole('button', { name: 'Delivery log' }).click();
    await page.getByRole('heading', { name: `Deliveries to ${receiver.url}` }).waitFor();
    await expect.poll(() => page.getByText('HTTP 200').count()).toBe(1);
    await expect.poll(() => page.getByText('succeeded').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/webhook-delivery-log.png` });
  }, 60_000);
});
