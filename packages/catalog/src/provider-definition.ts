import { z } from 'zod';

/**
 * One provider of the catalog as its file under `providers/` says it: where its endpoints are,
 * how it wants scopes, client authentication and token requests, where its answers keep what
 * the standard puts elsewhere, and what its API wants on every call. URLs are templates over
 * the preset's inputs (`{tenant}`) and, for the API base URL, over values kept from the
 * token response or the callback (`{instance_url}`). `providers/provider.schema.json` is
 * generated from this schema (a test keeps it in step).
 */
const template = z.string().min(1).max(2048);
const parameters = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.string().max(1000));
const headers = z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(1000));
const placeholderName = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);
const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope token (RFC 6749 §3.3)');

/** What kind of value an input is, and so how it is checked before it enters a URL. */
export const INPUT_KINDS = {
  /** A DNS host name, with an optional port: `github.example.com`. */
  host: /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/,
  /** One DNS label: a Zendesk subdomain, a Shopify shop, a ServiceNow instance. */
  subdomain: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
  /** One URL path segment: a Microsoft tenant, a Keycloak realm. */
  segment: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
  /** An https URL without query, fragment or user info: a generic server's issuer. */
  url: /^https:\/\/[a-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*\/?$/,
} as const;
export type InputKind = keyof typeof INPUT_KINDS;

const input = z.strictObject({
  name: placeholderName,
  label: z.string().min(1).max(100),
  kind: z.enum(Object.keys(INPUT_KINDS) as [InputKind, ...InputKind[]]),
  description: z.string().max(500).optional(),
  example: z.string().max(200).optional(),
  default: z.string().max(200).optional(),
});

const keptValue = z.strictObject({
  name: placeholderName,
  /** The token endpoint's answer (a dot path into it) or the callback's query (a parameter). */
  from: z.enum(['token_response', 'callback']),
  field: z.string().regex(/^[A-Za-z0-9_.]{1,100}$/),
  /** A `url` may only start the API base URL, and only on an https host with these suffixes. */
  kind: z.enum(['url', 'text']),
  hostSuffixes: z.array(z.string().regex(/^\.[a-z0-9.-]+$/)).optional(),
});

const revocation = z.discriminatedUnion('method', [
  /** RFC 7009 at this URL, authenticated as the token endpoint is. */
  z.strictObject({ method: z.literal('rfc7009'), url: template }),
  /** The provider's own way, in its quirk module. */
  z.strictObject({ method: z.literal('quirk') }),
]);

export const providerDefinitionSchema = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(100),
  docs: z.strictObject({
    /** The provider's OAuth documentation this entry was checked against. */
    oauth: z.url(),
    /** Where an admin registers the client and its redirect URI. */
    console: z.url().optional(),
    api: z.url().optional(),
  }),
  /** When this entry was last checked against `docs.oauth` (YYYY-MM-DD). */
  lastVerified: z.iso.date(),
  authModes: z.array(z.enum(['per-user', 'shared'])).min(1),
  inputs: z.array(input).default([]),
  /** The issuer (RFC 8414 §2). */
  issuer: template.optional(),
  /** The authorization response carries `iss` (RFC 9207), which must then equal the issuer. */
  issParameter: z.boolean().default(false),
  /** Endpoints come from the issuer's metadata (RFC 8414, OpenID Connect Discovery). */
  discovery: z.boolean().default(false),
  authorizationUrl: template.optional(),
  tokenUrl: template.optional(),
  revocation: revocation.optional(),
  scopes: z
    .strictObject({
      /** Asked for when the admin types none. */
      default: z.array(scopeToken).default([]),
      /** Always asked for, whatever the admin types: what it takes to get a refresh token. */
      required: z.array(scopeToken).default([]),
      /** Granted but never echoed back in the token response's `scope`. */
      notEchoed: z.array(scopeToken).default([]),
      /**
       * The provider adds new scopes to those granted before when asked with
       * `include_granted_scopes=true` (incremental authorization, as Google does).
       */
      incremental: z.boolean().default(false),
      separator: z.enum([' ', ',', '+']).default(' '),
      /** The authorization request parameter of a per-user connector's scopes. */
      param: z
        .string()
        .regex(/^[a-z_]{1,32}$/)
        .default('scope'),
    })
    .prefault({}),
  clientAuth: z
    .enum(['client_secret_basic', 'client_secret_post', 'none'])
    .default('client_secret_basic'),
  /** How token requests are encoded: RFC 6749's form, or the JSON some providers want. */
  tokenRequestBody: z.enum(['form', 'json']).default('form'),
  pkce: z.boolean().default(true),
  /** Added to the authorization request: what it takes to get a refresh token, and so on. */
  authorizationParams: parameters.default({}),
  /** Added to every token request (code exchange and refresh). */
  tokenParams: parameters.default({}),
  /** Added to refresh requests only (RFC 6749 §6), after `tokenParams`. */
  refreshParams: parameters.default({}),
  /**
   * The provider drops a refresh token unused for this many days: connectors with keep-alive
   * on refresh their connections before that.
   */
  refreshTokenIdleDays: z.number().int().min(1).max(3650).optional(),
  tokenResponse: z
    .strictObject({
      /** A dot path to the object holding the tokens, when not at the top level. */
      path: z
        .string()
        .regex(/^[A-Za-z0-9_.]{1,100}$/)
        .optional(),
      /** Assumed when the provider sends no `token_type`. */
      tokenType: z
        .string()
        .regex(/^[A-Za-z]{1,20}$/)
        .optional(),
    })
    .optional(),
  keep: z.array(keptValue).default([]),
  apiBaseUrl: template,
  /** Headers the API wants on every call; `{client_id}` stands for the connector's client. */
  apiHeaders: headers.default({}),
  /** Where the API takes the access token, when not `Authorization: Bearer` (RFC 6750 §2.1). */
  apiTokenHeader: z
    .strictObject({
      name: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
      prefix: z.string().max(20).default(''),
    })
    .optional(),
  /**
   * Who the user is at the provider, for display ("Connected as octocat"), and whether the
   * grant still works: a GET of `url` with the user's token, whose JSON answer holds the
   * identity at the dot path `identityPath`. OpenID providers need none: the ID token or
   * userinfo say it.
   */
  verification: z
    .strictObject({
      url: template,
      identityPath: z.string().regex(/^[A-Za-z0-9_.]{1,100}$/),
    })
    .optional(),
  /** The module under `src/quirks/` for what data cannot say. */
  quirks: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional(),
});

/** A provider entry as written in its file. */
export type ProviderDefinitionInput = z.input<typeof providerDefinitionSchema>;
/** A provider entry with its defaults applied. */
export type ProviderDefinition = z.output<typeof providerDefinitionSchema>;
export type ProviderInput = ProviderDefinition['inputs'][number];
export type KeptValue = ProviderDefinition['keep'][number];
