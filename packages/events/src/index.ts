export {
  type DeliveryOutcome,
  type DeliveryReport,
  deliverDueWebhooks,
  type WebhookDeliveryDeps,
} from './deliver-webhooks';
export { nextWebhookAttemptAt, WEBHOOK_RETRY_WINDOW_MS } from './retry-schedule';
export type { WebhookFetch } from './send-webhook';
export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  redeliverWebhook,
  rotateWebhookSecret,
  WEBHOOK_SECRET_OVERLAP_MS,
} from './webhook-endpoints';
export type { WebhookPayload } from './webhook-payload';
export { toWebhookDeliveryView, toWebhookView } from './webhook-views';
