import { Webhook } from 'standardwebhooks';

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers for one attempt: the same `webhook-id` on every attempt of a
 * message, a fresh timestamp, and one `v1,` signature per live secret, space-separated, so a
 * receiver holding either the new or the old secret during a rotation accepts it.
 */
export function signWebhook(
  messageId: string,
  sentAt: Date,
  body: string,
  secrets: readonly string[],
): WebhookHeaders {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, sentAt, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
