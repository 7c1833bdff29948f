import type { ErrorCode } from '@latchkey/core';
import { SDK_ERROR_CODES, type SdkErrorCode } from './sdk-error-codes';

/** Every code a `LatchkeyApiError` may carry today: the server's registry and the SDK's own. */
export type LatchkeyErrorCode = ErrorCode | SdkErrorCode;

/**
 * The one error the SDK throws or reports. `code` is stable (match on it, never on the
 * message); `status` is the HTTP status, or 0 when no HTTP answer was involved (network
 * failure, timeout, a result read from a channel message or a URL).
 */
export class LatchkeyApiError extends Error {
  /** A server code (see docs/errors.md) or an SDK code; typed `string` for codes added later. */
  readonly code: LatchkeyErrorCode | (string & Record<never, never>);
  readonly status: number;
  /** Field-level details the server added (e.g. `issues` of `validation_failed`). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    status = 0,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LatchkeyApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** An error with one of the SDK's own codes and its default message. */
  static fromSdkCode(code: SdkErrorCode, options?: { cause?: unknown; status?: number }) {
    return new LatchkeyApiError(code, SDK_ERROR_CODES[code], options?.status ?? 0, undefined, {
      cause: options?.cause,
    });
  }
}

export function isLatchkeyApiError(error: unknown): error is LatchkeyApiError {
  return error instanceof LatchkeyApiError;
}

/** Anything thrown, as a `LatchkeyApiError` (hooks report only that type). */
export function toLatchkeyApiError(error: unknown): LatchkeyApiError {
  if (error instanceof LatchkeyApiError) return error;
  return LatchkeyApiError.fromSdkCode('network_error', { cause: error });
}
