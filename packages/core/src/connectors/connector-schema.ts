import { z } from 'zod';
import { connectionViewSchema } from '../connections/connection-view';
import type { PresetSelection, ProviderBehaviour } from './provider-behaviour';
import { connectorEndpointsSchema } from './provider-view-schema';

/**
 * The wire contract of connectors, shared by the server and the SDK.
 * Endpoint URLs are checked for scheme and host by `endpoint-policy.ts`, which needs config.
 */
const url = z.string().trim().min(1).max(2048);
// No U+0000: PostgreSQL cannot store it.
const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((value) => !value.includes('\u0000'), 'must not contain the character U+0000');
const clientId = z.string().min(1).max(512);
const secret = z.string().min(1).max(8192);
const scope = z.string().trim().max(2000);
const tokenEndpointAuthMethod = z.enum(['client_secret_basic', 'client_secret_post']);

/** A field one credential type cannot work without, missing from its config. */
const requiredForCredentialType = {
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is required for this credential type' : undefined,
};

/** Parameters Latchkey sets itself; a connector may not override them. */
export const RESERVED_AUTHORIZATION_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'scope',
  'nonce',
  'request',
  'request_uri',
] as const;

function isReservedAuthorizationParam(name: string): boolean {
  return (RESERVED_AUTHORIZATION_PARAMS as readonly string[]).includes(name);
}

/** Config fields that hold an endpoint URL, in either auth mode. */
export const ENDPOINT_URL_FIELDS = [
  'authorizationUrl',
  'tokenUrl',
  'revocationUrl',
  'issuer',
  'apiBaseUrl',
] as const;

/**
 * Config fields that change nothing about how a connection was made: a change to them keeps
 * the connections (and the flows under way).
 */
export const CONNECTION_NEUTRAL_CONFIG_FIELDS = ['keepAlive', 'refreshTokenIdleDays'] as const;

/**
 * Config fields a stored secret is bound to: where it is sent (every endpoint), the client it
 * belongs to, and how it is presented (the credential type, an API key's header). A change to
 * any of them, or to the auth mode, needs the secrets again (docs/api.md, "Editing").
 * `tokenEndpointAuthMethod` is not one: it changes how the same client authenticates at the
 * same token endpoint, not where its secret goes.
 */
export const SECRET_BOUND_CONFIG_FIELDS = [
  ...ENDPOINT_URL_FIELDS,
  // Turning discovery on or off moves every endpoint at once.
  'discovery',
  'clientId',
  'credentialType',
  'headerName',
] as const;
export type SecretBoundConfigField = (typeof SECRET_BOUND_CONFIG_FIELDS)[number];

const authorizationParams = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.string().max(1000))
  .refine((params) => Object.keys(params).length <= 20, 'at most 20 parameters')
  .refine(
    (params) => !Object.keys(params).some(isReservedAuthorizationParam),
    `may not set ${RESERVED_AUTHORIZATION_PARAMS.join(', ')}`,
  );

/** The endpoints a discovering connector reads from its issuer's metadata instead. */
export const DISCOVERED_ENDPOINT_FIELDS = [
  'authorizationUrl',
  'tokenUrl',
  'revocationUrl',
] as const;

export const perUserConfigSchema = z
  .strictObject({
    authorizationUrl: url.optional(),
    tokenUrl: url.optional(),
    revocationUrl: url.optional(),
    issuer: url.optional(),
    /** Read the endpoints from the issuer's metadata (OpenID Connect Discovery, RFC 8414). */
    discovery: z.boolean().optional(),
    scope: scope.optional(),
    scopeParamName: z
      .string()
      .regex(/^[a-z_]{1,32}$/)
      // Set after the flow's own parameters, so a reserved name would overwrite one of them.
      .refine(
        (param) => param === 'scope' || !isReservedAuthorizationParam(param),
        `may not be ${RESERVED_AUTHORIZATION_PARAMS.filter((p) => p !== 'scope').join(', ')}`,
      )
      .optional(),
    clientId,
    tokenEndpointAuthMethod: tokenEndpointAuthMethod.optional(),
    authorizationParams: authorizationParams.optional(),
    apiBaseUrl: url,
    /** Opt in to the keep-alive job: it refreshes connections before their tokens lapse. */
    keepAlive: z.boolean().optional(),
    /** The provider drops refresh tokens unused this many days (keep-alive acts before). */
    refreshTokenIdleDays: z.number().int().min(1).max(3650).optional(),
  })
  .superRefine(requireEndpointsOrDiscovery);

/**
 * Either the endpoints are typed in, or `discovery` reads them from the issuer's metadata:
 * never both, so that no typed URL can disagree with what the issuer publishes.
 */
function requireEndpointsOrDiscovery(
  config: { discovery?: boolean | undefined; issuer?: string | undefined } & Partial<
    Record<(typeof DISCOVERED_ENDPOINT_FIELDS)[number], string>
  >,
  context: z.RefinementCtx,
): void {
  if (config.discovery) {
    if (config.issuer === undefined) {
      context.addIssue({ code: 'custom', path: ['issuer'], message: 'is required with discovery' });
    }
    for (const field of DISCOVERED_ENDPOINT_FIELDS) {
      if (config[field] === undefined) continue;
      const message = "comes from the issuer's metadata with discovery; leave it out";
      context.addIssue({ code: 'custom', path: [field], message });
    }
    return;
  }
  for (const field of ['authorizationUrl', 'tokenUrl'] as const) {
    if (config[field] !== undefined) continue;
    const message = 'is required unless discovery is true';
    context.addIssue({ code: 'custom', path: [field], message });
  }
}

export const perUserSecretsSchema = z.strictObject({ clientSecret: secret });

/**
 * Headers HTTP defines for the connection and the message framing (RFC 9110 §7.6.1, §7.2,
 * §8.6, §10.1.1): a key sent in one breaks every call (undici refuses it) or misroutes it.
 */
export const HTTP_RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const headerName = z
  .string(requiredForCredentialType)
  .regex(/^[A-Za-z0-9-]{1,64}$/)
  .refine((header) => !HTTP_RESERVED_HEADERS.has(header.toLowerCase()), {
    message: 'HTTP reserves this header for the connection; name the API key header',
  });
/**
 * Settings every shared credential type accepts. A type reads only those its own schema
 * below requires or declares; the others are accepted and kept as given, as they always were.
 */
const sharedConfigFields = {
  apiBaseUrl: url,
  headerName: headerName.optional(),
  tokenUrl: url.optional(),
  clientId: clientId.optional(),
  scope: scope.optional(),
  tokenEndpointAuthMethod: tokenEndpointAuthMethod.optional(),
};

/** A static token, sent as `Authorization: Bearer` (RFC 6750 §2.1). */
export const bearerTokenConfigSchema = z.strictObject({
  credentialType: z.literal('bearer_token'),
  ...sharedConfigFields,
});

/** An API key, sent in the header the API names. */
export const apiKeyHeaderConfigSchema = z.strictObject({
  credentialType: z.literal('api_key_header'),
  ...sharedConfigFields,
  headerName,
});

/** An OAuth client-credentials token (RFC 6749 §4.4), requested at `tokenUrl`. */
export const clientCredentialsConfigSchema = z.strictObject({
  credentialType: z.literal('client_credentials'),
  ...sharedConfigFields,
  tokenUrl: z.string(requiredForCredentialType).trim().min(1).max(2048),
  clientId: z.string(requiredForCredentialType).min(1).max(512),
});

export const sharedConfigSchema = z.discriminatedUnion('credentialType', [
  bearerTokenConfigSchema,
  apiKeyHeaderConfigSchema,
  clientCredentialsConfigSchema,
]);

export const sharedSecretsSchema = z.strictObject({
  token: secret.optional(),
  apiKey: secret.optional(),
  clientSecret: secret.optional(),
});

const perUserConnector = z.strictObject({
  name,
  provider: z.literal('custom').default('custom'),
  authMode: z.literal('per-user'),
  config: perUserConfigSchema,
  secrets: perUserSecretsSchema.optional(),
});

const sharedConnector = z.strictObject({
  name,
  provider: z.literal('custom').default('custom'),
  authMode: z.literal('shared'),
  config: sharedConfigSchema,
  secrets: sharedSecretsSchema.optional(),
});

/** A connector whose every setting the admin gives (`provider: "custom"`, the default). */
export const customConnectorInputSchema = z.discriminatedUnion('authMode', [
  perUserConnector,
  sharedConnector,
]);

/** The catalog's provider ids (packages/catalog). */
export const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{1,40}$/;

/**
 * A connector made from a catalog preset: the client, the scopes as typed (space-separated),
 * and the preset's declared inputs (`tenant`, `host`, …). The endpoints come from the preset
 * and cannot be given; each input is checked against the preset when the connector is saved.
 */
export const presetConnectorInputSchema = z.strictObject({
  name,
  provider: z
    .string()
    .regex(PROVIDER_ID)
    .refine((provider) => provider !== 'custom', 'custom connectors give every setting'),
  authMode: z.enum(['per-user', 'shared']),
  config: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/), z.string().max(2048))
    .refine((config) => Object.keys(config).length <= 20, 'at most 20 settings'),
  secrets: z.strictObject({ clientSecret: secret.optional() }).optional(),
});

/**
 * Body of create and update, a custom connector or a preset one, told apart by `provider`.
 * On update, omitted secrets keep their stored values unless the auth mode or a setting they
 * are bound to changes (`SECRET_BOUND_CONFIG_FIELDS`, and a preset's inputs).
 */
export const connectorInputSchema = z.union([
  customConnectorInputSchema,
  presetConnectorInputSchema,
]);

export type CustomConnectorInput = z.infer<typeof customConnectorInputSchema>;
export type PresetConnectorInput = z.infer<typeof presetConnectorInputSchema>;
export type ConnectorInput = z.infer<typeof connectorInputSchema>;
export type PerUserConfig = z.infer<typeof perUserConfigSchema>;
export type SharedConfig = z.infer<typeof sharedConfigSchema>;
export type CredentialType = SharedConfig['credentialType'];
export type BearerTokenConfig = z.infer<typeof bearerTokenConfigSchema>;
export type ApiKeyHeaderConfig = z.infer<typeof apiKeyHeaderConfigSchema>;
export type ClientCredentialsConfig = z.infer<typeof clientCredentialsConfigSchema>;
export type ConnectorConfig = PerUserConfig | SharedConfig;

/** `none`: a public client (RFC 6749 §2.1), which only a catalog preset may declare. */
export type TokenEndpointAuthMethod = z.infer<typeof tokenEndpointAuthMethod> | 'none';

/** A per-user connector's settings as stored: as typed, or as its preset resolved them. */
export type StoredPerUserConfig = Omit<PerUserConfig, 'tokenEndpointAuthMethod'> & {
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
} & ProviderBehaviour;

/** A shared connector's settings as stored: as typed, or as its preset resolved them. */
export type StoredSharedConfig = SharedConfig & {
  preset?: PresetSelection;
  /** Headers a preset's API wants on every call. */
  apiHeaders?: Record<string, string>;
};

/** A connector's auth mode with the config of that mode: the two never vary apart. */
export type AuthSettings =
  | { authMode: 'per-user'; config: StoredPerUserConfig }
  | { authMode: 'shared'; config: StoredSharedConfig };
export type PerUserSecrets = z.infer<typeof perUserSecretsSchema>;
export type SharedSecrets = z.infer<typeof sharedSecretsSchema>;
export type ConnectorSecrets = PerUserSecrets | SharedSecrets;

export const USER_AUTH_STATUSES = [
  'connected',
  'refresh_failing',
  'not_connected',
  'reauth_required',
  'not_applicable',
] as const;
export type UserAuthStatus = (typeof USER_AUTH_STATUSES)[number];

/** A connector as the API returns it: never any secret. */
export const connectorViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  authMode: z.enum(['shared', 'per-user']),
  /** As given: every setting of a custom connector; a preset's client, scopes and inputs. */
  config: z.record(z.string(), z.unknown()),
  /**
   * Where the connector's requests go, as resolved: proxy paths are relative to `apiBaseUrl`,
   * which may start with a value kept per connection (`{instance_url}`).
   */
  endpoints: connectorEndpointsSchema,
  /** Which secrets are set, so forms can say "replace" instead of "set". */
  secretsSet: z.array(z.string()),
  userAuthStatus: z.enum(USER_AUTH_STATUSES),
  /** The caller's connection; null when not connected (and for shared connectors). */
  connection: connectionViewSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectorView = z.infer<typeof connectorViewSchema>;

/**
 * One entry of `POST /api/connectors/_me/auth_status`; `user_auth_status` is spelled as
 * Kibana's API spells it, for clients written against that.
 */
export const authStatusSchema = z.object({
  user_auth_status: z.enum(USER_AUTH_STATUSES),
  connection: connectionViewSchema.nullable(),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;
