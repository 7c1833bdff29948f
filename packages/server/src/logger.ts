import type { FastifyBaseLogger } from 'fastify';
import pino, {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type LogFn,
  type Logger,
} from 'pino';

/**
 * Paths pino censors wherever they appear. Values we never want in a log line: tokens,
 * codes, verifiers, secrets and passwords, and the headers that carry them.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.clientSecret',
  '*.secrets',
  '*.token',
  '*.apiKey',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.code',
  '*.codeVerifier',
  '*.code_verifier',
  '*.state',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        // Query strings carry OAuth codes and states: log the path only.
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
      },
    },
    destination,
  );
}

/**
 * What is logged of a failure: its type, code, message and stack (not those of a
 * SyntaxError), but none of the properties libraries attach to errors (a response, its
 * body, a `cause`), which may carry what a provider or an API sent — tokens included. Logged under `failure`, not `err`:
 * pino's error serializer would copy those properties back in.
 */
export function failureSummary(error: unknown) {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    // Not `code`: the logger censors every `code` field (OAuth authorization codes).
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    // JSON.parse quotes what it could not parse: that could be decrypted plaintext.
    ...(error instanceof SyntaxError ? {} : { message: error.message, stack: error.stack }),
  };
}

/**
 * Fastify's `childLoggerFactory`: a request's logger that becomes a pino child (bound to the
 * request id) only when it writes a line at an enabled level. At the usual `warn` most
 * requests write none, and a child made for each costs a few µs (its bindings serialised,
 * redaction set up). A route with its own level or serializers gets its child at once.
 */
export function lazyRequestLogger(
  this: unknown,
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined) {
    return parent.child(bindings, options);
  }
  return new LazyRequestLogger(parent as Logger, bindings);
}

class LazyRequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
  ) {}
  get level() {
    return this.parent.level;
  }
  fatal(...args: Parameters<LogFn>) {
    if (this.parent.isLevelEnabled('fatal')) this.made().fatal(...args);
  }
  error(...args: Parameters<LogFn>) {
    if (this.parent.isLevelEnabled('error')) this.made().error(...args);
  }
  warn(...args: Parameters<LogFn>) {
    if (this.parent.isLevelEnabled('warn')) this.made().warn(...args);
  }
  info(...args: Parameters<LogFn>) {
    if (this.parent.isLevelEnabled('info')) this.made().info(...args);
  }
  debug(...args: Parameters<LogFn>) {
    if (this.parent.isLevelEnabled('debug')) this.made().debug(...args);
  }
  trace(...args: Parameters<LogFn>) {
    if (this.parent.isLevelEnabled('trace')) this.made().trace(...args);
  }
  silent() {}
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.made().child(bindings, options);
  }
  private made(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings);
    return this.#child;
  }
}
