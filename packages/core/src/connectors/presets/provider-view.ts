import type { ProviderDefinition } from '@latchkey/catalog';
import { z } from 'zod';

/**
 * A catalog preset as the API shows it (`GET /api/providers`): what an admin picks and fills
 * in. Its endpoints show on each connector made from it (`endpoints` in the connector view).
 */
export const providerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  authModes: z.array(z.enum(['per-user', 'shared'])),
  inputs: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      kind: z.enum(['host', 'subdomain', 'segment', 'url']),
      description: z.string().optional(),
      example: z.string().optional(),
      default: z.string().optional(),
    }),
  ),
  scopes: z.object({
    default: z.array(z.string()),
    /** Added to whatever scopes are typed: what it takes to get a refresh token. */
    required: z.array(z.string()),
    separator: z.string(),
  }),
  /** `none`: a public client, which needs no client secret. */
  clientAuth: z.enum(['client_secret_basic', 'client_secret_post', 'none']),
  docs: z.object({ oauth: z.string(), console: z.string().optional(), api: z.string().optional() }),
  lastVerified: z.string(),
});
export type ProviderView = z.infer<typeof providerViewSchema>;

export const providerListSchema = z.object({
  /** The redirect URI to register at every provider. */
  redirectUri: z.string(),
  providers: z.array(providerViewSchema),
});
export type ProviderList = z.infer<typeof providerListSchema>;

export function toProviderView(provider: ProviderDefinition): ProviderView {
  const { default: defaults, required, separator } = provider.scopes;
  return {
    id: provider.id,
    name: provider.name,
    authModes: provider.authModes,
    inputs: provider.inputs,
    scopes: { default: defaults, required, separator },
    clientAuth: provider.clientAuth,
    docs: provider.docs,
    lastVerified: provider.lastVerified,
  };
}
