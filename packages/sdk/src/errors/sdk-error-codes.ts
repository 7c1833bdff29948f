/**
 * Codes the SDK raises itself, when there is no server answer to take a code from.
 * They never collide with the server's registry (`ErrorCode` of `@latchkey/core`);
 * the README lists them and `sdk-error-codes-doc.test.ts` keeps the two in step.
 */
export const SDK_ERROR_CODES = {
  network_error: 'The Latchkey service could not be reached.',
  unexpected_response: 'The Latchkey service answered with something that is not its API.',
  oauth_flow_timeout: 'The provider did not answer in time; connect again.',
  oauth_result_unconfirmed: 'The service does not confirm the connection; connect again.',
} as const satisfies Record<string, string>;

export type SdkErrorCode = keyof typeof SDK_ERROR_CODES;
