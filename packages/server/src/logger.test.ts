import { describe, expect, it, vi } from 'vitest';
import { createLogger, failureSummary, lazyRequestLogger } from './logger';

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

describe('lazyRequestLogger', () => {
  function capture(level: string) {
    const lines: Record<string, unknown>[] = [];
    const parent = createLogger(level, {
      write: (line: string) => lines.push(JSON.parse(line)),
    });
    const children = vi.spyOn(parent, 'child');
    return { parent, lines, children };
  }

  it('makes no child for a request that writes nothing at an enabled level', () => {
    const { parent, lines, children } = capture('warn');
    const log = lazyRequestLogger(parent, { reqId: 'req-1' }, {});
    log.info({ req: { id: 'req-1', method: 'GET', url: '/x' } }, 'incoming request');
    log.debug('detail');
    expect(children).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('writes with the request id and the parent redaction once a line is enabled', () => {
    const { parent, lines, children } = capture('warn');
    const log = lazyRequestLogger(parent, { reqId: 'req-2' }, {});
    log.warn({ body: { token: 'tok_secret-value' } }, 'first');
    log.error('second');
    expect(children).toHaveBeenCalledTimes(1);
    expect(lines.map(({ reqId, msg, body }) => ({ reqId, msg, body }))).toEqual([
      { reqId: 'req-2', msg: 'first', body: { token: '[redacted]' } },
      { reqId: 'req-2', msg: 'second', body: undefined },
    ]);
  });

  it('gives a route with its own level its child at once', () => {
    const { parent, lines } = capture('warn');
    const log = lazyRequestLogger(parent, { reqId: 'req-3' }, { level: 'debug' });
    log.debug('route detail');
    expect(lines).toMatchObject([{ reqId: 'req-3', msg: 'route detail' }]);
  });
});
