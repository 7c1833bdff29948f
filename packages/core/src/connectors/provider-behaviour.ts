import { z } from 'zod';

/*
 * What a connector made from a catalog preset holds besides the standard per-user settings:
 * the preset's inputs as the admin gave them, and the provider's ways (token request
 * encoding, where its answers keep the tokens, values to keep, headers its API wants, its
 * quirk module). Resolved from the catalog when the connector is saved, like its endpoints,
 * so a connector keeps working as saved until it is saved again (docs/providers.md).
 */
const parameters = z.record(z.string(), z.string());

export const presetSelectionSchema = z.object({
  /** The preset's declared inputs (`tenant`, `host`, …), as checked for their kind. */
  inputs: z.record(z.string(), z.string()),
  /** The scopes as the admin typed them, space-separated, before the preset formats them. */
  scope: z.string().optional(),
});
export type PresetSelection = z.infer<typeof presetSelectionSchema>;

export const keptValueSchema = z.object({
  name: z.string(),
  from: z.enum(['token_response', 'callback']),
  field: z.string(),
  kind: z.enum(['url', 'text']),
  hostSuffixes: z.array(z.string()).optional(),
});
export type KeptValueRule = z.infer<typeof keptValueSchema>;

export const providerBehaviourFields = {
  preset: presetSelectionSchema.optional(),
  /** `false` only for a provider that refuses PKCE parameters. */
  pkce: z.boolean().optional(),
  tokenRequestBody: z.enum(['form', 'json']).optional(),
  tokenParams: parameters.optional(),
  /** Added to refresh requests only, after `tokenParams`. */
  refreshParams: parameters.optional(),
  tokenResponse: z
    .object({ path: z.string().optional(), tokenType: z.string().optional() })
    .optional(),
  keep: z.array(keptValueSchema).optional(),
  apiHeaders: parameters.optional(),
  /** Where the API takes the access token instead of `Authorization: Bearer`. */
  apiTokenHeader: z.object({ name: z.string(), prefix: z.string() }).optional(),
  quirks: z.string().optional(),
  /** Granted scopes the provider never echoes back: left out when comparing grants. */
  notEchoedScopes: z.array(z.string()).optional(),
  /** Reconnects add `include_granted_scopes=true` (incremental authorization). */
  incrementalAuthorization: z.boolean().optional(),
  /** Where the user's identity is read, and the grant checked (`_verify`). */
  verification: z.object({ url: z.string(), identityPath: z.string() }).optional(),
};

const providerBehaviourSchema = z.object(providerBehaviourFields);
export type ProviderBehaviour = z.infer<typeof providerBehaviourSchema>;
