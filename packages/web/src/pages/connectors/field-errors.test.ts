import { LatchkeyApiError } from '@latchkey/sdk';
import { describe, expect, it } from 'vitest';
import { CONNECTOR_FIELD_NAMES } from './connector-form';
import { fieldErrorsOf } from './field-errors';

describe('fieldErrorsOf', () => {
  it('puts secret_required next to the client secret, with the server’s message', () => {
    const message =
      'secrets.clientSecret is required. config.tokenUrl changed: a stored secret is only sent where it was entered for.';
    const error = new LatchkeyApiError('secret_required', message, 400, {
      fields: ['secrets.clientSecret'],
      changed: ['config.tokenUrl'],
    });
    expect(fieldErrorsOf(error, CONNECTOR_FIELD_NAMES)).toEqual({ clientSecret: message });
  });

  it('puts an input the form declares next to it, and what it does not know on the form', () => {
    const error = new LatchkeyApiError('validation_failed', 'body/config/tenant: bad', 400, {
      issues: [
        { path: 'body/config/tenant', message: 'not a path segment' },
        { path: 'body/config/elsewhere', message: 'unknown' },
      ],
    });
    expect(fieldErrorsOf(error, ['tenant'])).toEqual({ tenant: 'not a path segment' });
    expect(fieldErrorsOf(error, CONNECTOR_FIELD_NAMES)).toEqual({
      form: 'body/config/tenant: bad',
    });
  });
});
