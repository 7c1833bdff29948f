import {
  type Catalog,
  type ProviderDefinition,
  placeholdersOf,
  renderUrlTemplate,
} from '@latchkey/catalog';
import { LatchkeyError } from '../../errors/latchkey-error';
import type {
  AuthSettings,
  PresetConnectorInput,
  StoredPerUserConfig,
  StoredSharedConfig,
} from '../connector-schema';
import { checkEndpointUrl, type EndpointPolicy } from '../endpoint-policy';
import type { PresetSelection, ProviderBehaviour } from '../provider-behaviour';
import { type PresetConfig, readPresetConfig } from './preset-config';
import { presetScope } from './preset-scope';

/**
 * A preset connector's settings, resolved from its catalog entry when it is saved: the
 * endpoints rendered from the inputs (and checked like typed ones), the scopes as the
 * provider wants them, and the provider's ways. Stored so, a connector works as it was saved
 * even after the catalog changes; saving it again takes the catalog's new settings, and a
 * secret only follows a changed endpoint when it is given again.
 */
export function settingsFromPreset(
  catalog: Catalog,
  input: PresetConnectorInput,
  policy: EndpointPolicy,
): AuthSettings {
  const preset = catalog.find(input.provider);
  if (!preset) throw new LatchkeyError('provider_not_found');
  if (!preset.authModes.includes(input.authMode)) {
    throw new LatchkeyError(
      'validation_failed',
      `authMode: ${preset.name} connectors are ${preset.authModes.join(' or ')}.`,
    );
  }
  const config = readPresetConfig(preset, input.config, policy);
  const endpoints = presetEndpoints(preset, config.inputs, policy);
  const selection: PresetSelection = {
    inputs: config.inputs,
    ...(config.scope ? { scope: config.scope } : {}),
  };
  switch (input.authMode) {
    case 'per-user':
      return {
        authMode: 'per-user',
        config: perUserConfigOf(preset, config, endpoints, selection),
      };
    case 'shared':
      return {
        authMode: 'shared',
        config: clientCredentialsConfigOf(preset, config, endpoints, selection),
      };
  }
}

interface PresetEndpoints {
  authorizationUrl?: string;
  tokenUrl?: string;
  revocationUrl?: string;
  issuer?: string;
  apiBaseUrl: string;
  verificationUrl?: string;
}

/**
 * Every URL of the preset with the inputs filled in and checked as typed ones are. A URL
 * that starts from a value kept per connection (Salesforce's `{instance_url}`) stays a
 * template, filled and checked for each connection.
 */
function presetEndpoints(
  preset: ProviderDefinition,
  inputs: Record<string, string>,
  policy: EndpointPolicy,
): PresetEndpoints {
  const kept = Object.fromEntries(preset.keep.map(({ name }) => [name, `{${name}}`]));
  const render = (field: string, template: string) => {
    const url = renderUrlTemplate(template, { ...kept, ...inputs });
    if (placeholdersOf(url).length === 0) checkEndpointUrl(`config.${field}`, url, policy);
    return url;
  };
  const optional = (field: string, template: string | undefined) =>
    template === undefined ? undefined : render(field, template);
  const revocation = preset.revocation?.method === 'rfc7009' ? preset.revocation.url : undefined;
  const authorizationUrl = optional('authorizationUrl', preset.authorizationUrl);
  const tokenUrl = optional('tokenUrl', preset.tokenUrl);
  const revocationUrl = optional('revocationUrl', revocation);
  const verificationUrl = optional('verification.url', preset.verification?.url);
  // Compared with `iss` (RFC 9207) only where the provider sends it, or its metadata says so.
  const issuer =
    preset.issParameter || preset.discovery ? optional('issuer', preset.issuer) : undefined;
  return {
    ...(authorizationUrl ? { authorizationUrl } : {}),
    ...(tokenUrl ? { tokenUrl } : {}),
    ...(revocationUrl ? { revocationUrl } : {}),
    ...(issuer ? { issuer } : {}),
    apiBaseUrl: render('apiBaseUrl', preset.apiBaseUrl),
    ...(verificationUrl ? { verificationUrl } : {}),
  };
}

function perUserConfigOf(
  preset: ProviderDefinition,
  config: PresetConfig,
  endpoints: PresetEndpoints,
  selection: PresetSelection,
): StoredPerUserConfig {
  const scope = presetScope(preset.scopes, config.scope);
  const { param } = preset.scopes;
  const { verificationUrl, ...urls } = endpoints;
  return {
    ...urls,
    // The endpoints come from the issuer's metadata, checked when the connector is saved.
    ...(preset.discovery ? { discovery: true } : {}),
    ...(scope ? { scope } : {}),
    ...(param !== 'scope' ? { scopeParamName: param } : {}),
    clientId: config.clientId,
    tokenEndpointAuthMethod: preset.clientAuth,
    ...(nonEmpty(preset.authorizationParams)
      ? { authorizationParams: preset.authorizationParams }
      : {}),
    ...behaviourOf(preset, config.clientId),
    ...(verificationUrl && preset.verification
      ? { verification: { url: verificationUrl, identityPath: preset.verification.identityPath } }
      : {}),
    ...(config.keepAlive ? { keepAlive: true } : {}),
    ...(preset.refreshTokenIdleDays ? { refreshTokenIdleDays: preset.refreshTokenIdleDays } : {}),
    preset: selection,
  };
}

/** RFC 6749 §4.4 at the preset's token endpoint, for presets whose provider offers it. */
function clientCredentialsConfigOf(
  preset: ProviderDefinition,
  config: PresetConfig,
  endpoints: PresetEndpoints,
  selection: PresetSelection,
): StoredSharedConfig {
  // An app's own scopes are not a user's (Microsoft's `.default`): only those typed.
  const scope = presetScope({ ...preset.scopes, default: [], required: [] }, config.scope);
  // An app's token has no connection to keep values from (`{instance_url}`).
  const perConnection = placeholdersOf(endpoints.apiBaseUrl).length > 0;
  if (!endpoints.tokenUrl || preset.clientAuth === 'none' || perConnection) {
    throw new LatchkeyError('validation_failed', `authMode: ${preset.name} has no shared mode.`);
  }
  return {
    credentialType: 'client_credentials',
    tokenUrl: endpoints.tokenUrl,
    clientId: config.clientId,
    ...(scope ? { scope } : {}),
    tokenEndpointAuthMethod: preset.clientAuth,
    apiBaseUrl: endpoints.apiBaseUrl,
    ...apiHeadersOf(preset, config.clientId),
    preset: selection,
  };
}

/** The provider's ways, stored only where they differ from the standard. */
function behaviourOf(
  preset: ProviderDefinition,
  clientId: string,
): Omit<ProviderBehaviour, 'preset'> {
  return {
    ...(preset.pkce ? {} : { pkce: false }),
    ...(preset.tokenRequestBody === 'json' ? { tokenRequestBody: 'json' as const } : {}),
    ...(nonEmpty(preset.tokenParams) ? { tokenParams: preset.tokenParams } : {}),
    ...(nonEmpty(preset.refreshParams) ? { refreshParams: preset.refreshParams } : {}),
    ...(preset.tokenResponse ? { tokenResponse: preset.tokenResponse } : {}),
    ...(preset.keep.length > 0 ? { keep: preset.keep } : {}),
    ...apiHeadersOf(preset, clientId),
    ...(preset.apiTokenHeader ? { apiTokenHeader: preset.apiTokenHeader } : {}),
    ...(preset.quirks ? { quirks: preset.quirks } : {}),
    ...(preset.scopes.notEchoed.length > 0 ? { notEchoedScopes: preset.scopes.notEchoed } : {}),
    ...(preset.scopes.incremental ? { incrementalAuthorization: true } : {}),
  };
}

/** The API's headers, with the connector's client id where they name it (Twitch). */
function apiHeadersOf(preset: ProviderDefinition, clientId: string) {
  if (!nonEmpty(preset.apiHeaders)) return {};
  const entries = Object.entries(preset.apiHeaders);
  return {
    apiHeaders: Object.fromEntries(
      entries.map(([name, value]) => [name, value.replaceAll('{client_id}', clientId)]),
    ),
  };
}

function nonEmpty(record: Record<string, string>): boolean {
  return Object.keys(record).length > 0;
}
