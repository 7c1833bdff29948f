import { type Catalog, catalogOf, loadCatalog, type ProviderDefinition } from '@latchkey/catalog';

type Endpoints = Pick<ProviderDefinition, 'authorizationUrl' | 'tokenUrl' | 'apiBaseUrl'> &
  Partial<ProviderDefinition>;

/**
 * The shipped catalog with one entry's endpoints moved onto a loopback stand-in (and any
 * other field a test changes: where they name the provider's hosts, its revocation URL and
 * kept URLs' hosts). The entry
 * keeps everything else (scopes, client authentication, data mapping, API headers, quirk
 * module), so a test exercises the preset as shipped. `catalogOf` does not run the load
 * checks, which would refuse an http URL.
 */
export function catalogWithStandIn(id: string, endpoints: Endpoints): Catalog {
  const shipped = loadCatalog().list();
  if (!shipped.some((provider) => provider.id === id)) throw new Error(`no provider ${id}`);
  return catalogOf(
    shipped.map((provider) => (provider.id === id ? { ...provider, ...endpoints } : provider)),
  );
}
