import { ERROR_CODES, type ErrorCode } from './error-codes';

/** The one error class Latchkey throws on purpose; the server's error handler renders it. */
export class LatchkeyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Field-level details (e.g. which input field failed); never secrets. */
  readonly details: Record<string, unknown> | undefined;
  /** Seconds the client should wait before trying again, sent as `Retry-After`. */
  retryAfterSeconds: number | undefined = undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'LatchkeyError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }

  /** The error for a refusal that passes: the client may try again after `seconds`. */
  static retryLater(code: ErrorCode, seconds: number): LatchkeyError {
    const error = new LatchkeyError(code);
    error.retryAfterSeconds = seconds;
    return error;
  }
}
