import type { ConnectorInput, ConnectorView } from '@latchkey/core';
import { LatchkeyApiError } from '@latchkey/sdk';
import { client } from '../../api';
import { errorText } from '../../components/error-message';
import { fieldErrorsOf } from './field-errors';

/** Creates the connector, or replaces the settings of the one being edited. */
export function saveConnector(
  existing: ConnectorView | undefined,
  body: ConnectorInput,
): Promise<ConnectorView> {
  return existing ? client.updateConnector(existing.id, body) : client.createConnector(body);
}

/** What a form shows for a failed save: the server's refusals by field, else one message. */
export function saveErrorsOf(
  error: unknown,
  fieldNames: readonly string[],
): Partial<Record<string, string>> {
  return error instanceof LatchkeyApiError
    ? fieldErrorsOf(error, fieldNames)
    : { form: errorText(error) };
}
