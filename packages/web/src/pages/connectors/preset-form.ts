import type {
  ConnectorView,
  PresetConnectorInput,
  ProviderInputKind,
  ProviderView,
} from '@latchkey/core';

/** What the admin types in a preset's form; `inputs` by the preset's input names. */
export interface PresetValues {
  name: string;
  clientId: string;
  scope: string;
  inputs: Record<string, string>;
  keepAlive: boolean;
}

/** The form's error keys: its own fields, the preset's input names, and the whole form. */
export type PresetErrors = Partial<Record<string, string>>;

/** What each kind of input accepts (the catalog checks the same before a value enters a URL). */
export const INPUT_KIND_HINTS: Record<ProviderInputKind, string> = {
  host: 'A host name, with a port if it needs one.',
  subdomain: 'One DNS label: lowercase letters, digits and hyphens.',
  segment: 'One URL path segment: letters, digits, dots, hyphens and underscores.',
  url: 'An https URL, without query or fragment.',
};

/** Client authentication `none` is a public client: it has no secret to enter. */
export function needsClientSecret(provider: ProviderView): boolean {
  return provider.clientAuth !== 'none';
}

/** A new connector starts from the provider's name and defaults; an edit from its config. */
export function initialPresetValues(
  provider: ProviderView,
  connector: ConnectorView | undefined,
): PresetValues {
  const config = connector?.config ?? {};
  const text = (name: string) => (typeof config[name] === 'string' ? config[name] : undefined);
  const inputs: Record<string, string> = {};
  for (const input of provider.inputs) inputs[input.name] = text(input.name) ?? input.default ?? '';
  return {
    name: connector?.name ?? provider.name,
    clientId: text('clientId') ?? '',
    scope: text('scope') ?? '',
    inputs,
    keepAlive: text('keepAlive') === 'true',
  };
}

/**
 * The labels of what an edit changed that a stored secret is bound to: the client, and the
 * inputs, which decide where the secret is sent.
 */
export function presetSecretBoundChanges(
  provider: ProviderView,
  connector: ConnectorView | undefined,
  values: PresetValues,
): string[] {
  if (!connector) return [];
  const before = initialPresetValues(provider, connector);
  const changed = provider.inputs
    .filter((input) => values.inputs[input.name]?.trim() !== before.inputs[input.name])
    .map((input) => input.label);
  if (values.clientId.trim() !== before.clientId) changed.push('Client ID');
  return changed;
}

/** The errors the form can tell before asking the server: every field but scopes is needed. */
export function presetLocalErrors(
  provider: ProviderView,
  values: PresetValues,
  secret: { value: string; required: boolean; missingText: string },
): PresetErrors {
  const found: PresetErrors = {};
  if (!values.name.trim()) found.name = 'Name is required';
  for (const input of provider.inputs) {
    if (!values.inputs[input.name]?.trim()) found[input.name] = `${input.label} is required`;
  }
  if (!values.clientId.trim()) found.clientId = 'Client ID is required';
  if (secret.required && !secret.value) found.clientSecret = secret.missingText;
  return found;
}

/** The body that saves the form; empty scopes leave the provider's defaults in force. */
export function presetInputFrom(
  provider: ProviderView,
  values: PresetValues,
  clientSecret: string,
): PresetConnectorInput {
  const config: PresetConnectorInput['config'] = { clientId: values.clientId.trim() };
  const scope = values.scope.trim();
  if (scope) config.scope = scope;
  for (const input of provider.inputs) config[input.name] = values.inputs[input.name]?.trim();
  if (values.keepAlive) config.keepAlive = 'true';
  return {
    name: values.name.trim(),
    provider: provider.id,
    authMode: 'per-user',
    config,
    ...(needsClientSecret(provider) && clientSecret ? { secrets: { clientSecret } } : {}),
  };
}

/** The field names the server's errors may point at in this preset's form. */
export function presetFieldNames(provider: ProviderView): string[] {
  return ['name', 'clientId', 'scope', 'clientSecret', ...provider.inputs.map((i) => i.name)];
}
