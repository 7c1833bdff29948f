import type { ProviderDefinition } from './provider-definition';
import { QUIRKS } from './quirks';
import { placeholdersOf } from './url-template';

/**
 * What the schema cannot say about one entry: templates use only declared names, a per-user
 * connector can find its endpoints, a kept URL only starts the API base URL, and the quirk
 * module it names exists. Returns the problems found; none means the entry is usable.
 */
export function checkProvider(provider: ProviderDefinition): string[] {
  return [
    ...checkEndpoints(provider),
    ...checkTemplates(provider),
    ...checkKeptUrls(provider),
    ...checkQuirks(provider),
    ...checkPublicClient(provider),
  ];
}

function checkEndpoints(provider: ProviderDefinition): string[] {
  if (provider.issParameter && !provider.issuer) return ['issParameter needs an issuer'];
  if (provider.discovery) return provider.issuer ? [] : ['discovery needs an issuer'];
  const problems: string[] = [];
  if (!provider.tokenUrl) problems.push('tokenUrl is required without discovery');
  if (provider.authModes.includes('per-user') && !provider.authorizationUrl) {
    problems.push('authorizationUrl is required for per-user connectors without discovery');
  }
  return problems;
}

/** Every URL template of the entry, by the field that holds it. */
export function urlTemplatesOf(provider: ProviderDefinition): Record<string, string> {
  return Object.fromEntries(
    Object.entries({
      issuer: provider.issuer,
      authorizationUrl: provider.authorizationUrl,
      tokenUrl: provider.tokenUrl,
      revocationUrl:
        provider.revocation?.method === 'rfc7009' ? provider.revocation.url : undefined,
      apiBaseUrl: provider.apiBaseUrl,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function checkTemplates(provider: ProviderDefinition): string[] {
  const inputs = new Set(provider.inputs.map((input) => input.name));
  const kept = new Set(provider.keep.map((value) => value.name));
  const problems: string[] = [];
  for (const [field, template] of Object.entries(urlTemplatesOf(provider))) {
    for (const name of placeholdersOf(template)) {
      const known = inputs.has(name) || (field === 'apiBaseUrl' && kept.has(name));
      if (!known) problems.push(`${field} uses {${name}}, which is not declared`);
    }
    if (!template.startsWith('https://') && !template.startsWith('{')) {
      problems.push(`${field} must be an https URL`);
    }
  }
  return problems;
}

function checkKeptUrls(provider: ProviderDefinition): string[] {
  return provider.keep
    .filter((value) => value.kind === 'url')
    .flatMap((value) =>
      provider.apiBaseUrl.startsWith(`{${value.name}}`) && value.hostSuffixes?.length
        ? []
        : [`kept URL {${value.name}} must start apiBaseUrl and name its hostSuffixes`],
    );
}

/** A public client has nothing but PKCE to bind the code to it (RFC 7636 §1). */
function checkPublicClient(provider: ProviderDefinition): string[] {
  return provider.clientAuth === 'none' && !provider.pkce ? ['a public client needs PKCE'] : [];
}

function checkQuirks(provider: ProviderDefinition): string[] {
  const problems: string[] = [];
  const quirks = provider.quirks ? QUIRKS[provider.quirks] : undefined;
  if (provider.quirks && !quirks) problems.push(`no quirk module named ${provider.quirks}`);
  const quirkRevocation = provider.revocation?.method === 'quirk';
  if (quirkRevocation && !quirks?.revoke) {
    problems.push('revocation method quirk needs a quirk module that revokes');
  }
  if (quirks?.revoke && !quirkRevocation) {
    problems.push(`the ${provider.quirks} module revokes: set revocation method quirk`);
  }
  return problems;
}
