import {
  EuiButtonIcon,
  EuiCopy,
  EuiFieldText,
  EuiFormRow,
  EuiLink,
  EuiSpacer,
  EuiText,
  EuiToolTip,
} from '@elastic/eui';
import type { ProviderView } from '@latchkey/core';

/**
 * Where to register the OAuth app and the redirect URI to give it: what an admin does at the
 * provider before the client ID and secret exist.
 */
export function ProviderRegistration(props: { provider: ProviderView; redirectUri: string }) {
  const { provider } = props;
  return (
    <>
      <EuiText size="s">
        <p>
          {'Register an OAuth app at '}
          {provider.docs.console ? (
            <EuiLink href={provider.docs.console} target="_blank" external>
              the {provider.name} console
            </EuiLink>
          ) : (
            provider.name
          )}
          {' with this redirect URI, then enter its client ID below. '}
          <EuiLink href={provider.docs.oauth} target="_blank" external>
            {provider.name}'s OAuth documentation
          </EuiLink>
          {` (preset checked ${provider.lastVerified}).`}
        </p>
      </EuiText>
      <EuiSpacer size="m" />
      <EuiFormRow label="Redirect URI" helpText="Register it exactly as shown." fullWidth>
        <EuiFieldText
          readOnly
          fullWidth
          name="redirectUri"
          value={props.redirectUri}
          data-test-subj="redirect-uri"
          append={
            <EuiCopy textToCopy={props.redirectUri} afterMessage="Copied">
              {(copy) => (
                <EuiToolTip content="Copy">
                  <EuiButtonIcon iconType="copy" aria-label="Copy redirect URI" onClick={copy} />
                </EuiToolTip>
              )}
            </EuiCopy>
          }
        />
      </EuiFormRow>
    </>
  );
}
