import { z } from 'zod';

/**
 * The wire contract of the provider catalog as admins' forms see it (`GET /api/providers`),
 * and of the endpoints a connector's calls go to. Shared by the server and the SDK; the body
 * that creates a connector from a preset is in connector-schema.ts.
 */

/** How an input's value is checked before it enters a URL (the catalog's `INPUT_KINDS`). */
export const PROVIDER_INPUT_KINDS = ['host', 'subdomain', 'segment', 'url'] as const;
export type ProviderInputKind = (typeof PROVIDER_INPUT_KINDS)[number];

/** One value a preset needs from the admin, such as a tenant or an enterprise host. */
export const providerInputViewSchema = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(PROVIDER_INPUT_KINDS),
  description: z.string().optional(),
  example: z.string().optional(),
  default: z.string().optional(),
});

/** A catalog provider: what its form asks for, and where its app is registered. */
export const providerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  authModes: z.array(z.enum(['shared', 'per-user'])),
  inputs: z.array(providerInputViewSchema),
  scopes: z.object({
    /** Asked for when the admin types none. */
    default: z.array(z.string()),
    /** Always asked for, whatever the admin types. */
    required: z.array(z.string()),
    separator: z.string(),
  }),
  clientAuth: z.enum(['client_secret_basic', 'client_secret_post', 'none']),
  docs: z.object({
    oauth: z.string(),
    /** Where an admin registers the client and its redirect URI. */
    console: z.string().optional(),
    api: z.string().optional(),
  }),
  /** When the entry was last checked against `docs.oauth` (YYYY-MM-DD). */
  lastVerified: z.string(),
});

/** `GET /api/providers`: the presets, sorted by name, and the redirect URI to register. */
export const providerListSchema = z.object({
  redirectUri: z.string(),
  providers: z.array(providerViewSchema),
});

/**
 * The endpoints a connector's flow and calls go to, as they take effect. `apiBaseUrl` may be
 * a template over a value kept per connection (`{instance_url}/services/data/v62.0`).
 */
export const connectorEndpointsSchema = z.object({
  authorizationUrl: z.string().optional(),
  tokenUrl: z.string().optional(),
  revocationUrl: z.string().optional(),
  issuer: z.string().optional(),
  apiBaseUrl: z.string(),
});

export type ProviderInputView = z.infer<typeof providerInputViewSchema>;
export type ProviderView = z.infer<typeof providerViewSchema>;
export type ProviderList = z.infer<typeof providerListSchema>;
export type ConnectorEndpoints = z.infer<typeof connectorEndpointsSchema>;
