import type { AuthSettings, ConnectorInput } from './connector-schema';
import { ENDPOINT_URL_FIELDS } from './connector-schema';
import { checkEndpointUrl, type EndpointPolicy } from './endpoint-policy';

/**
 * Validates every endpoint of a connector; the schema has already required the fields its
 * credential type needs. Returns the auth mode with its config, the two tied together.
 */
export function checkConnectorConfig(input: ConnectorInput, policy: EndpointPolicy): AuthSettings {
  const config: Record<string, unknown> = input.config;
  for (const field of ENDPOINT_URL_FIELDS) {
    const value = config[field];
    if (typeof value === 'string') checkEndpointUrl(`config.${field}`, value, policy);
  }
  // A fresh object of these two fields alone: the input also holds the secrets.
  switch (input.authMode) {
    case 'per-user':
      return { authMode: input.authMode, config: input.config };
    case 'shared':
      return { authMode: input.authMode, config: input.config };
  }
}
