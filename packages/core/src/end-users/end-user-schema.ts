import { z } from 'zod';

/** An application's id for its user: 1–256 printable ASCII characters (it travels in a header). */
export const externalIdSchema = z
  .string()
  .regex(/^[\x20-\x7e]{1,256}$/, '1-256 printable ASCII characters');

export const endUserProfileSchema = z.strictObject({
  externalId: externalIdSchema,
  displayName: z.string().min(1).max(256).optional(),
  email: z.email().max(320).optional(),
});

/** `POST /api/connect_sessions` (API keys with `end_users`). */
export const createConnectSessionSchema = z.strictObject({
  endUser: endUserProfileSchema,
  /** Default: every per-user connector. */
  connectorIds: z.array(z.string().min(1).max(128)).min(1).max(100).optional(),
  // No length limit here: checkReturnUrl owns every return URL rule.
  /** Where the hosted page's Done button leads; its origin must be in `LATCHKEY_CONNECT_RETURN_ORIGINS`. */
  returnUrl: z.string().optional(),
});

export type CreateConnectSessionInput = z.infer<typeof createConnectSessionSchema>;

export const connectSessionCreatedSchema = z.object({
  /** Give it to the end user's browser only (the hosted page's `url` carries it in the fragment). */
  token: z.string(),
  /** The hosted connect page, `<base URL>/connect#session=<token>`. */
  url: z.string(),
  /** ISO 8601. */
  expiresAt: z.string(),
});

export type CreatedConnectSession = z.infer<typeof connectSessionCreatedSchema>;
