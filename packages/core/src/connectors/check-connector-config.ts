import { type ConnectorConfig, type ConnectorInput, ENDPOINT_URL_FIELDS } from './connector-schema';
import { checkEndpointUrl, type EndpointPolicy } from './endpoint-policy';

/**
 * Validates every endpoint of a connector; the schema has already required the fields its
 * credential type needs.
 */
export function checkConnectorConfig(
  input: ConnectorInput,
  policy: EndpointPolicy,
): ConnectorConfig {
  const config: Record<string, unknown> = input.config;
  for (const field of ENDPOINT_URL_FIELDS) {
    const value = config[field];
    if (typeof value === 'string') checkEndpointUrl(`config.${field}`, value, policy);
  }
  return input.config;
}
