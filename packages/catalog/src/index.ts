export { type Catalog, catalogOf } from './catalog';
export { checkProvider, urlTemplatesOf } from './check-provider';
export { loadCatalog, PROVIDERS_DIRECTORY } from './load-catalog';
export {
  INPUT_KINDS,
  type InputKind,
  type KeptValue,
  type ProviderDefinition,
  type ProviderDefinitionInput,
  type ProviderInput,
  providerDefinitionSchema,
} from './provider-definition';
export { providerJsonSchema } from './provider-json-schema';
export {
  type ApiAnswer,
  DEAD_TOKEN_ANSWER_MAX_BYTES,
  type ProviderQuirks,
  QUIRKS,
  type QuirkFetch,
  type QuirkRevocation,
} from './quirks';
export { renderProvidersDoc } from './render-providers-doc';
export { placeholdersOf, renderUrlTemplate } from './url-template';
