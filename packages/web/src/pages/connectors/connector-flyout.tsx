import {
  EuiButton,
  EuiButtonEmpty,
  EuiCallOut,
  EuiFieldPassword,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlyout,
  EuiFlyoutBody,
  EuiFlyoutFooter,
  EuiFlyoutHeader,
  EuiForm,
  EuiFormRow,
  EuiSpacer,
  EuiTitle,
} from '@elastic/eui';
import type { ConnectorView } from '@latchkey/core';
import { LatchkeyApiError } from '@latchkey/sdk';
import { type FormEvent, useState } from 'react';
import { client } from '../../api';
import { errorText } from '../../components/error-message';
import {
  CONNECTOR_FIELDS,
  connectorInputFrom,
  type FieldName,
  fieldErrorsOf,
  initialValues,
  secretBoundChanges,
} from './connector-form';

/** Create or edit a per-user connector; the client secret is write-only. */
export function ConnectorFlyout(props: {
  connector: ConnectorView | undefined;
  onClose: () => void;
  onSaved: (connector: ConnectorView) => void;
}) {
  const existing = props.connector;
  const [values, setValues] = useState(() => initialValues(existing));
  const [clientSecret, setClientSecret] = useState('');
  const [errors, setErrors] = useState<
    Partial<Record<FieldName | 'clientSecret' | 'form', string>>
  >({});
  const [saving, setSaving] = useState(false);
  const secretIsSet = existing?.secretsSet.includes('clientSecret') ?? false;
  // A stored secret is only sent where it was entered for: moving an endpoint needs it again.
  const rebound = secretBoundChanges(existing, values);
  const keepsSecret = secretIsSet && rebound.length === 0;
  const secretNeededAgain =
    secretIsSet && rebound.length > 0 ? secretAgainText(rebound) : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local = localErrors();
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setSaving(true);
    try {
      const body = connectorInputFrom(existing, values, clientSecret);
      props.onSaved(
        existing
          ? await client.updateConnector(existing.id, body)
          : await client.createConnector(body),
      );
    } catch (error) {
      setErrors(
        error instanceof LatchkeyApiError ? fieldErrorsOf(error) : { form: errorText(error) },
      );
    } finally {
      setSaving(false);
    }
  }

  function localErrors() {
    const found: Partial<Record<FieldName | 'clientSecret', string>> = {};
    for (const field of CONNECTOR_FIELDS) {
      if (field.required && !values[field.name].trim())
        found[field.name] = `${field.label} is required`;
    }
    if (!keepsSecret && !clientSecret)
      found.clientSecret = secretNeededAgain ?? 'Client secret is required';
    return found;
  }

  return (
    <EuiFlyout onClose={props.onClose} size="m" aria-labelledby="connector-flyout-title">
      <EuiFlyoutHeader hasBorder>
        <EuiTitle size="m">
          <h2 id="connector-flyout-title">
            {existing ? `Edit ${existing.name}` : 'Create connector'}
          </h2>
        </EuiTitle>
      </EuiFlyoutHeader>
      <EuiFlyoutBody>
        {errors.form && (
          <>
            <EuiCallOut title={errors.form} color="danger" iconType="error" role="alert" />
            <EuiSpacer />
          </>
        )}
        <EuiForm
          id="connector-form"
          component="form"
          onSubmit={submit}
          isInvalid={Object.keys(errors).length > 0}
        >
          {CONNECTOR_FIELDS.map((field) => (
            <EuiFormRow
              key={field.name}
              label={field.label}
              helpText={'help' in field ? field.help : undefined}
              isInvalid={Boolean(errors[field.name])}
              error={errors[field.name]}
            >
              <EuiFieldText
                name={field.name}
                value={values[field.name]}
                isInvalid={Boolean(errors[field.name])}
                onChange={(e) => {
                  setValues({ ...values, [field.name]: e.target.value });
                  setErrors(({ [field.name]: _fixed, ...rest }) => rest);
                }}
              />
            </EuiFormRow>
          ))}
          <EuiFormRow
            label={keepsSecret ? 'Replace client secret' : 'Client secret'}
            helpText={
              keepsSecret
                ? 'A secret is set. Leave empty to keep it.'
                : (secretNeededAgain ?? 'Stored encrypted; it is never shown again.')
            }
            isInvalid={Boolean(errors.clientSecret)}
            error={errors.clientSecret}
          >
            <EuiFieldPassword
              name="clientSecret"
              type="dual"
              aria-required={!keepsSecret}
              autoComplete="new-password"
              value={clientSecret}
              onChange={(e) => {
                setClientSecret(e.target.value);
                setErrors(({ clientSecret: _fixed, ...rest }) => rest);
              }}
            />
          </EuiFormRow>
        </EuiForm>
      </EuiFlyoutBody>
      <EuiFlyoutFooter>
        <EuiFlexGroup justifyContent="spaceBetween">
          <EuiButtonEmpty onClick={props.onClose}>Cancel</EuiButtonEmpty>
          <EuiButton type="submit" form="connector-form" fill isLoading={saving}>
            {existing ? 'Save changes' : 'Create connector'}
          </EuiButton>
        </EuiFlexGroup>
      </EuiFlyoutFooter>
    </EuiFlyout>
  );
}

function secretAgainText(changedLabels: string[]): string {
  return `Enter the client secret again: you changed ${changedLabels.join(', ')}, and a stored secret is only sent where it was entered for.`;
}
