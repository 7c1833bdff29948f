import { describe, expect, it } from 'vitest';
import { failureSummary } from './logger';

describe('failureSummary', () => {
  it('keeps type, code, message and stack, and none of what a library attached', () => {
    const error = Object.assign(new Error('provider said no'), {
      code: 'E_PROVIDER',
      body: { access_token: 'attached-secret' },
      cause: new Error('attached-cause-secret'),
    });
    const summary = failureSummary(error);
    expect(summary).toEqual({
      type: 'Error',
      errorCode: 'E_PROVIDER',
      message: 'provider said no',
      stack: error.stack,
    });
    expect(JSON.stringify(summary)).not.toContain('attached');
  });

  it('leaves out the message and stack of a JSON.parse failure, which quote their input', () => {
    const plaintext = 'tok_clear-token-value';
    let thrown: unknown;
    try {
      JSON.parse(plaintext);
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toContain('tok_clear');
    expect(failureSummary(thrown)).toEqual({ type: 'SyntaxError' });
  });
});
