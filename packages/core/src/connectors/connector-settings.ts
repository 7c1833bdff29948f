import type { Catalog } from '@latchkey/catalog';
import type { AuthSettings, ConnectorInput, CustomConnectorInput } from './connector-schema';
import { ENDPOINT_URL_FIELDS } from './connector-schema';
import { checkEndpointUrl, type EndpointPolicy } from './endpoint-policy';
import { settingsFromPreset } from './presets/settings-from-preset';

/**
 * The auth mode with its config, the two tied together, as they will be stored: a custom
 * connector's as given, with every endpoint checked (the schema has already required the
 * fields its credential type needs), or those a catalog preset resolves to.
 */
export function connectorSettingsOf(
  input: ConnectorInput,
  catalog: Catalog,
  policy: EndpointPolicy,
): AuthSettings {
  return isCustom(input)
    ? customConnectorSettings(input, policy)
    : settingsFromPreset(catalog, input, policy);
}

/** A preset's provider is never `custom` (presetConnectorInputSchema). */
function isCustom(input: ConnectorInput): input is CustomConnectorInput {
  return input.provider === 'custom';
}

function customConnectorSettings(input: CustomConnectorInput, policy: EndpointPolicy) {
  const config: Record<string, unknown> = input.config;
  for (const field of ENDPOINT_URL_FIELDS) {
    const value = config[field];
    if (typeof value === 'string') checkEndpointUrl(`config.${field}`, value, policy);
  }
  // A fresh object of these two fields alone: the input also holds the secrets.
  switch (input.authMode) {
    case 'per-user':
      return { authMode: input.authMode, config: input.config } satisfies AuthSettings;
    case 'shared':
      return { authMode: input.authMode, config: input.config } satisfies AuthSettings;
  }
}
