import { ERROR_CODES, type ErrorCode, statusesOf } from './error-codes';

/** The one error class Latchkey throws on purpose; the server's error handler renders it. */
export class LatchkeyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Field-level details (e.g. which input field failed); never secrets. */
  readonly details: Record<string, unknown> | undefined;
  /** Seconds the client should wait before trying again, sent as `Retry-After`. */
  retryAfterSeconds: number | undefined = undefined;

  /** `status` picks one of the code's other statuses (error-codes.ts), if it has any. */
  constructor(
    code: ErrorCode,
    message?: string,
    details?: Record<string, unknown>,
    status?: number,
  ) {
    super(message ?? ERROR_CODES[code].message);
    if (status !== undefined && !statusesOf(code).includes(status)) {
      throw new Error(`${code} never answers with ${status}`);
    }
    this.name = 'LatchkeyError';
    this.code = code;
    this.status = status ?? ERROR_CODES[code].status;
    this.details = details;
  }

  /** The error for a refusal that passes: the client may try again after `seconds`. */
  static retryLater(code: ErrorCode, seconds: number): LatchkeyError {
    const error = new LatchkeyError(code);
    error.retryAfterSeconds = seconds;
    return error;
  }
}
