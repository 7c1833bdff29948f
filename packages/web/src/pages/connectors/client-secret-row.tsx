import { EuiFieldPassword, EuiFormRow } from '@elastic/eui';

/**
 * The write-only client secret: "replace" when one is set and may be kept, the reason when an
 * edit needs it typed again (`againText`).
 */
export function ClientSecretRow(props: {
  keepsSecret: boolean;
  againText: string | undefined;
  error: string | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <EuiFormRow
      label={props.keepsSecret ? 'Replace client secret' : 'Client secret'}
      helpText={
        props.keepsSecret
          ? 'A secret is set. Leave empty to keep it.'
          : (props.againText ?? 'Stored encrypted; it is never shown again.')
      }
      isInvalid={Boolean(props.error)}
      error={props.error}
    >
      <EuiFieldPassword
        name="clientSecret"
        type="dual"
        aria-required={!props.keepsSecret}
        autoComplete="new-password"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </EuiFormRow>
  );
}

/** Why a stored client secret must be typed again after an edit of `changedLabels`. */
export function secretAgainText(changedLabels: string[]): string {
  return `Enter the client secret again: you changed ${changedLabels.join(', ')}, and a stored secret is only sent where it was entered for.`;
}
