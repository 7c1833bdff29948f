import { LatchkeyError } from '../errors/latchkey-error';
import { type ConnectorConfig, type ConnectorInput, ENDPOINT_URL_FIELDS } from './connector-schema';
import { checkEndpointUrl, type EndpointPolicy } from './endpoint-policy';

/** Validates every endpoint of a connector and the fields its credential type needs. */
export function checkConnectorConfig(
  input: ConnectorInput,
  policy: EndpointPolicy,
): ConnectorConfig {
  const config: Record<string, unknown> = input.config;
  for (const field of ENDPOINT_URL_FIELDS) {
    const value = config[field];
    if (typeof value === 'string') checkEndpointUrl(`config.${field}`, value, policy);
  }
  if (input.authMode === 'shared') checkSharedCredentialFields(input.config);
  return input.config;
}

function checkSharedCredentialFields(
  config: Extract<ConnectorInput, { authMode: 'shared' }>['config'],
) {
  if (config.credentialType === 'api_key_header' && !config.headerName) {
    throw missingField('config.headerName');
  }
  if (config.credentialType === 'client_credentials') {
    if (!config.tokenUrl) throw missingField('config.tokenUrl');
    if (!config.clientId) throw missingField('config.clientId');
  }
}

function missingField(field: string): LatchkeyError {
  return new LatchkeyError('validation_failed', `${field} is required for this credential type.`, {
    field,
  });
}
