import type { ProviderDefinition } from '@latchkey/catalog';
import type { ProviderView } from '../provider-view-schema';

/**
 * A catalog preset as the API shows it (`GET /api/providers`): what an admin picks and fills
 * in. Its endpoints show on each connector made from it (`endpoints` in the connector view).
 */
export function toProviderView(provider: ProviderDefinition): ProviderView {
  const { default: defaults, required, separator } = provider.scopes;
  return {
    id: provider.id,
    name: provider.name,
    authModes: provider.authModes,
    inputs: provider.inputs,
    scopes: { default: defaults, required, separator },
    clientAuth: provider.clientAuth,
    docs: provider.docs,
    lastVerified: provider.lastVerified,
  };
}
