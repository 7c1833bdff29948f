import {
  EuiCallOut,
  EuiFieldText,
  EuiFlyoutBody,
  EuiForm,
  EuiFormRow,
  EuiSpacer,
} from '@elastic/eui';
import type { ConnectorView } from '@latchkey/core';
import { type FormEvent, useState } from 'react';
import { ClientSecretRow, secretAgainText } from './client-secret-row';
import {
  CONNECTOR_FIELD_NAMES,
  CONNECTOR_FIELDS,
  connectorInputFrom,
  type FieldName,
  initialValues,
  keepsAlive,
  secretBoundChanges,
} from './connector-form';
import { ConnectorFormFooter } from './connector-form-footer';
import { KeepAliveRow } from './keep-alive-row';
import { saveConnector, saveErrorsOf } from './save-connector';

/** A `custom` per-user connector: every endpoint typed by hand; the secret is write-only. */
export function CustomConnectorForm(props: {
  connector: ConnectorView | undefined;
  onCancel: () => void;
  onBack: (() => void) | undefined;
  onSaved: (connector: ConnectorView) => void;
}) {
  const existing = props.connector;
  const [values, setValues] = useState(() => initialValues(existing));
  const [clientSecret, setClientSecret] = useState('');
  const [keepAlive, setKeepAlive] = useState(() => keepsAlive(existing));
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
      props.onSaved(
        await saveConnector(
          existing,
          connectorInputFrom(existing, values, { clientSecret, keepAlive }),
        ),
      );
    } catch (error) {
      setErrors(saveErrorsOf(error, CONNECTOR_FIELD_NAMES));
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
    <>
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
          <ClientSecretRow
            keepsSecret={keepsSecret}
            againText={secretNeededAgain}
            error={errors.clientSecret}
            value={clientSecret}
            onChange={(value) => {
              setClientSecret(value);
              setErrors(({ clientSecret: _fixed, ...rest }) => rest);
            }}
          />
          <KeepAliveRow checked={keepAlive} onChange={setKeepAlive} />
        </EuiForm>
      </EuiFlyoutBody>
      <ConnectorFormFooter
        editing={existing !== undefined}
        saving={saving}
        onCancel={props.onCancel}
        onBack={props.onBack}
      />
    </>
  );
}
