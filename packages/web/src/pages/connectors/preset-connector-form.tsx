import {
  EuiCallOut,
  EuiFieldText,
  EuiFlyoutBody,
  EuiForm,
  EuiFormRow,
  EuiHorizontalRule,
  EuiSpacer,
} from '@elastic/eui';
import type { ConnectorView, ProviderView } from '@latchkey/core';
import { type FormEvent, useState } from 'react';
import { ClientSecretRow, secretAgainText } from './client-secret-row';
import { ConnectorEndpointsList } from './connector-endpoints';
import { ConnectorFormFooter } from './connector-form-footer';
import { KeepAliveRow } from './keep-alive-row';
import {
  INPUT_KIND_HINTS,
  initialPresetValues,
  needsClientSecret,
  type PresetErrors,
  presetFieldNames,
  presetInputFrom,
  presetLocalErrors,
  presetSecretBoundChanges,
} from './preset-form';
import { ProviderRegistration } from './provider-registration';
import { saveConnector, saveErrorsOf } from './save-connector';

/** A connector from a catalog preset: only what the preset needs; the endpoints are known. */
export function PresetConnectorForm(props: {
  provider: ProviderView;
  redirectUri: string;
  connector: ConnectorView | undefined;
  onCancel: () => void;
  onBack: (() => void) | undefined;
  onSaved: (connector: ConnectorView) => void;
}) {
  const { provider } = props;
  const existing = props.connector;
  const [values, setValues] = useState(() => initialPresetValues(provider, existing));
  const [clientSecret, setClientSecret] = useState('');
  const [errors, setErrors] = useState<PresetErrors>({});
  const [saving, setSaving] = useState(false);
  const hasSecret = needsClientSecret(provider);
  const secretIsSet = existing?.secretsSet.includes('clientSecret') ?? false;
  const rebound = presetSecretBoundChanges(provider, existing, values);
  const keepsSecret = secretIsSet && rebound.length === 0;
  const secretAgain = secretIsSet && rebound.length > 0 ? secretAgainText(rebound) : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local = presetLocalErrors(provider, values, {
      value: clientSecret,
      required: hasSecret && !keepsSecret,
      missingText: secretAgain ?? 'Client secret is required',
    });
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setSaving(true);
    try {
      props.onSaved(await saveConnector(existing, presetInputFrom(provider, values, clientSecret)));
    } catch (error) {
      setErrors(saveErrorsOf(error, presetFieldNames(provider)));
    } finally {
      setSaving(false);
    }
  }

  /** A change to one field clears that field's error. */
  function change(field: string, next: Partial<typeof values>) {
    setValues({ ...values, ...next });
    clearError(field);
  }

  function clearError(field: string) {
    setErrors(({ [field]: _fixed, ...rest }) => rest);
  }

  const textRow = (field: 'name' | 'clientId', label: string) => (
    <EuiFormRow label={label} isInvalid={Boolean(errors[field])} error={errors[field]}>
      <EuiFieldText
        name={field}
        value={values[field]}
        isInvalid={Boolean(errors[field])}
        onChange={(e) => change(field, { [field]: e.target.value })}
      />
    </EuiFormRow>
  );

  return (
    <>
      <EuiFlyoutBody>
        {errors.form && (
          <>
            <EuiCallOut title={errors.form} color="danger" iconType="error" role="alert" />
            <EuiSpacer />
          </>
        )}
        {existing?.endpoints && (
          <>
            <ConnectorEndpointsList endpoints={existing.endpoints} />
            <EuiHorizontalRule />
          </>
        )}
        <ProviderRegistration provider={provider} redirectUri={props.redirectUri} />
        <EuiHorizontalRule />
        <EuiForm
          id="connector-form"
          component="form"
          onSubmit={submit}
          isInvalid={Object.keys(errors).length > 0}
        >
          {textRow('name', 'Name')}
          {provider.inputs.map((input) => (
            <EuiFormRow
              key={input.name}
              label={input.label}
              helpText={[input.description, INPUT_KIND_HINTS[input.kind]].filter(Boolean).join(' ')}
              isInvalid={Boolean(errors[input.name])}
              error={errors[input.name]}
            >
              <EuiFieldText
                name={input.name}
                value={values.inputs[input.name] ?? ''}
                placeholder={input.example}
                isInvalid={Boolean(errors[input.name])}
                onChange={(e) =>
                  change(input.name, { inputs: { ...values.inputs, [input.name]: e.target.value } })
                }
              />
            </EuiFormRow>
          ))}
          {textRow('clientId', 'Client ID')}
          {hasSecret && (
            <ClientSecretRow
              keepsSecret={keepsSecret}
              againText={secretAgain}
              error={errors.clientSecret}
              value={clientSecret}
              onChange={(value) => {
                setClientSecret(value);
                clearError('clientSecret');
              }}
            />
          )}
          <EuiFormRow
            label="Scopes"
            helpText={scopeHelp(provider)}
            isInvalid={Boolean(errors.scope)}
            error={errors.scope}
          >
            <EuiFieldText
              name="scope"
              value={values.scope}
              placeholder={provider.scopes.default.join(' ')}
              isInvalid={Boolean(errors.scope)}
              onChange={(e) => change('scope', { scope: e.target.value })}
            />
          </EuiFormRow>
          <KeepAliveRow
            checked={values.keepAlive}
            onChange={(keepAlive) => change('keepAlive', { keepAlive })}
          />
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

/** Empty scopes ask for the preset's defaults; the scopes it cannot work without are added. */
function scopeHelp(provider: ProviderView): string {
  const parts = ['Space-separated.'];
  if (provider.scopes.default.length > 0) parts.push('Leave empty for the defaults shown.');
  const required = provider.scopes.required;
  if (required.length > 0)
    parts.push(`Always added, as the preset needs them: ${required.join(' ')}.`);
  return parts.join(' ');
}
