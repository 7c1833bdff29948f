import { withOAuthRedirectResult, withoutResultParams } from '@latchkey/sdk';
import type { ConnectOutcome } from '../connectors/connector-actions';

/**
 * Where Done sends the person: the session's return URL with the last attempt's result, in
 * the SDK's one spelling of a redirect-mode callback's parameters; without any parameter of
 * ours (a stale result, `auto_close`) when nothing was tried. The rest is kept as it is.
 */
export function doneUrl(returnUrl: string, outcome: ConnectOutcome | undefined): string {
  return outcome ? withOAuthRedirectResult(returnUrl, outcome) : withoutResultParams(returnUrl);
}
