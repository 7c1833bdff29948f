import { z } from 'zod';
import { CONNECTION_EVENT_TYPES } from './connection-event';

export const createWebhookSchema = z.strictObject({
  url: z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .refine((value) => !value.includes('\u0000'), 'must not contain the character U+0000'),
  events: z.array(z.enum(CONNECTION_EVENT_TYPES)).min(1).max(CONNECTION_EVENT_TYPES.length),
});
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const webhookViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(CONNECTION_EVENT_TYPES)),
  /** Until then, deliveries are signed with the replaced secret too. */
  previousSecretExpiresAt: z.string().nullable(),
  failingSince: z.string().nullable(),
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookView = z.infer<typeof webhookViewSchema>;

export const webhookDeliveryViewSchema = z.object({
  /** The `webhook-id` of every attempt. */
  eventId: z.string(),
  type: z.enum(CONNECTION_EVENT_TYPES),
  connectorId: z.string(),
  userId: z.string(),
  /** The app's own id for an end user's connection (as in the payload); null for a user's. */
  endUserId: z.string().nullable(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastResponseStatus: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryViewSchema>;
