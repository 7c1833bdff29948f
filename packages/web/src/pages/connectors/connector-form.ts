import type {
  ConnectorInput,
  ConnectorView,
  PerUserConfig,
  SecretBoundConfigField,
} from '@latchkey/core';

export const CONNECTOR_FIELDS = [
  { name: 'name', label: 'Name', required: true },
  {
    name: 'authorizationUrl',
    label: 'Authorization URL',
    required: true,
    help: 'The provider page where users sign in and consent.',
  },
  { name: 'tokenUrl', label: 'Token URL', required: true },
  {
    name: 'revocationUrl',
    label: 'Revocation URL',
    required: false,
    help: 'Optional. Tokens are revoked here on disconnect.',
  },
  {
    name: 'issuer',
    label: 'Issuer',
    required: false,
    help: 'Optional. When set, the iss of every response must match.',
  },
  {
    name: 'scope',
    label: 'Scopes',
    required: false,
    help: 'Space-separated, as the provider names them.',
  },
  { name: 'clientId', label: 'Client ID', required: true },
  {
    name: 'apiBaseUrl',
    label: 'API base URL',
    required: true,
    help: 'Proxied calls must stay under this URL.',
  },
] as const;

export type FieldName = (typeof CONNECTOR_FIELDS)[number]['name'];

/** The field names the server's errors may point at in the custom connector's form. */
export const CONNECTOR_FIELD_NAMES: readonly string[] = [
  ...CONNECTOR_FIELDS.map((field) => field.name),
  'clientSecret',
];

/**
 * The form's fields the stored client secret is bound to: change one and the server keeps the
 * secret no longer (core's `SECRET_BOUND_CONFIG_FIELDS`; the type fails when the two part).
 */
const SECRET_BOUND_FIELDS = {
  authorizationUrl: true,
  tokenUrl: true,
  revocationUrl: true,
  issuer: true,
  apiBaseUrl: true,
  clientId: true,
} as const satisfies Record<Extract<SecretBoundConfigField, FieldName>, true>;

/** The labels of the secret-bound fields an edit changed, in form order. */
export function secretBoundChanges(
  connector: ConnectorView | undefined,
  values: Record<FieldName, string>,
): string[] {
  if (!connector) return [];
  const before = initialValues(connector);
  return CONNECTOR_FIELDS.filter(
    (field) =>
      field.name in SECRET_BOUND_FIELDS && values[field.name].trim() !== before[field.name],
  ).map((field) => field.label);
}

export function initialValues(connector: ConnectorView | undefined): Record<FieldName, string> {
  const config = (connector?.config ?? {}) as Record<string, unknown>;
  const values = {} as Record<FieldName, string>;
  for (const field of CONNECTOR_FIELDS) {
    const value = field.name === 'name' ? connector?.name : config[field.name];
    values[field.name] = typeof value === 'string' ? value : '';
  }
  return values;
}

/** The form's values as a per-user connector's config; an empty optional field is left out. */
export function toPerUserConfig(values: Record<FieldName, string>): PerUserConfig {
  const text = (name: FieldName) => values[name].trim();
  const optional = (name: FieldName) => text(name) || undefined;
  // Every field of the form but the name has its place here, or the type check fails.
  const config = {
    authorizationUrl: text('authorizationUrl'),
    tokenUrl: text('tokenUrl'),
    revocationUrl: optional('revocationUrl'),
    issuer: optional('issuer'),
    scope: optional('scope'),
    clientId: text('clientId'),
    apiBaseUrl: text('apiBaseUrl'),
  } satisfies Record<Exclude<FieldName, 'name'>, string | undefined>;
  return config;
}

type PerUserInput = Extract<ConnectorInput, { authMode: 'per-user' }>;

/** Whether a stored connector has keep-alive on: a new one starts with it off. */
export function keepsAlive(connector: ConnectorView | undefined): boolean {
  return connector?.config.keepAlive === true;
}

/**
 * The body that saves the form. It starts from the stored config, so settings the form does
 * not show (`scopeParamName`, `tokenEndpointAuthMethod`, `authorizationParams`) survive an
 * edit instead of being dropped, which would also void every user's connection.
 */
export function connectorInputFrom(
  connector: ConnectorView | undefined,
  values: Record<FieldName, string>,
  choices: { clientSecret: string; keepAlive: boolean },
): PerUserInput {
  const { clientSecret } = choices;
  const shown = { ...toPerUserConfig(values), keepAlive: choices.keepAlive || undefined };
  const config: Record<string, unknown> = { ...connector?.config, ...shown };
  for (const [name, value] of Object.entries(shown)) if (value === undefined) delete config[name];
  return {
    name: values.name.trim(),
    provider: 'custom',
    authMode: 'per-user',
    // The view's config is the stored per-user config: its shown fields were just typed.
    config: config as PerUserConfig,
    ...(clientSecret ? { secrets: { clientSecret } } : {}),
  };
}
