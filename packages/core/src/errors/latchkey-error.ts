import { ERROR_CODES, type ErrorCode } from './error-codes';

/** The one error class Latchkey throws on purpose; the server's error handler renders it. */
export class LatchkeyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Field-level details (e.g. which input field failed); never secrets. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'LatchkeyError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}
