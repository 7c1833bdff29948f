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

export const createConnectSessionSchema = z.strictObject({
  endUser: endUserProfileSchema,
  connectorIds: z.array(z.string().min(1).max(128)).min(1).max(100).optional(),
  // No length limit here: checkReturnUrl owns every return URL rule.
  returnUrl: z.string().optional(),
});

export type CreateConnectSessionInput = z.infer<typeof createConnectSessionSchema>;

export const connectSessionCreatedSchema = z.object({
  token: z.string(),
  url: z.string(),
  expiresAt: z.string(),
});
