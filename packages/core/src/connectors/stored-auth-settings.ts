import { z } from 'zod';
import type { AuthSettings } from './connector-schema';
import { presetSelectionSchema, providerBehaviourFields } from './provider-behaviour';

/*
 * What a connector row's auth mode and config must hold for the code that reads them: the
 * discriminants, and the fields each kind cannot work without. Looser than the wire schema on
 * purpose: a row saved before a check existed stays readable (the flow still guards what it
 * sends), and unknown fields are kept as they are.
 */
const text = z.string();
const optionalText = text.optional();
const tokenEndpointAuthMethod = z.enum(['client_secret_basic', 'client_secret_post']).optional();
const perUserAuthMethod = z.enum(['client_secret_basic', 'client_secret_post', 'none']).optional();

export const storedPerUserConfigSchema = z.looseObject({
  // Absent when `discovery` reads them from the issuer's metadata (oauth/discovery/).
  authorizationUrl: optionalText,
  tokenUrl: optionalText,
  revocationUrl: optionalText,
  issuer: optionalText,
  discovery: z.boolean().optional(),
  scope: optionalText,
  scopeParamName: optionalText,
  clientId: text,
  tokenEndpointAuthMethod: perUserAuthMethod,
  authorizationParams: z.record(z.string(), z.string()).optional(),
  apiBaseUrl: text,
  ...providerBehaviourFields,
});

const sharedFields = {
  apiBaseUrl: text,
  headerName: optionalText,
  tokenUrl: optionalText,
  clientId: optionalText,
  scope: optionalText,
  tokenEndpointAuthMethod,
  preset: presetSelectionSchema.optional(),
  apiHeaders: z.record(z.string(), z.string()).optional(),
};

const sharedConfig = z.discriminatedUnion('credentialType', [
  z.looseObject({ credentialType: z.literal('bearer_token'), ...sharedFields }),
  z.looseObject({ credentialType: z.literal('api_key_header'), ...sharedFields, headerName: text }),
  z.looseObject({
    credentialType: z.literal('client_credentials'),
    ...sharedFields,
    tokenUrl: text,
    clientId: text,
  }),
]);

const storedAuthSettings = z.discriminatedUnion('authMode', [
  z.object({ authMode: z.literal('per-user'), config: storedPerUserConfigSchema }),
  z.object({ authMode: z.literal('shared'), config: sharedConfig }),
]);

/**
 * A connector row's `auth_mode` and `config` JSON as the union the code narrows on; throws
 * when the row does not hold what its kind needs, rather than let a cast hide it.
 */
export function parseStoredAuthSettings(authMode: string, configJson: string): AuthSettings {
  return storedAuthSettings.parse({ authMode, config: JSON.parse(configJson) });
}
