import { LatchkeyApiError } from '@latchkey/sdk';

/** Plain-words text for an error toast: the server's message, never a stack trace. */
export function errorText(error: unknown): string {
  if (error instanceof LatchkeyApiError) return error.message;
  return 'Something went wrong. Try again.';
}
