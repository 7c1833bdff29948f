import type { ProviderDefinition, ProviderInput } from './provider-definition';

const NONE = '—';
const SEPARATOR_NAMES = { ' ': 'space', ',': 'comma', '+': 'plus' } as const;

const INTRO = `# Provider catalog

<!-- Generated from packages/catalog by \`npm run catalog:generate\`; do not edit by hand. -->

Latchkey ships a preset for each provider below: an admin picks one, fills its inputs (a
tenant, a host...) and the client id and secret from the provider's console, and Latchkey
knows the endpoints, the scope format, the client authentication and what it takes to get a
refresh token.

## Adding a provider

1. Write \`packages/catalog/providers/<id>.json\`, starting with
   \`"$schema": "./provider.schema.json"\` so that editors check it as you type. Every field is
   explained in \`packages/catalog/src/provider-definition.ts\`; copy a close entry
   (\`google-drive.json\` is the model) rather than starting from nothing.
2. Check every value against the provider's current OAuth documentation, link that page in
   \`docs.oauth\` and the page where an admin registers the app in \`docs.console\`, and set
   \`lastVerified\` to the day you checked. Never guess a URL.
3. If the provider does something the data cannot say (an answer that is not RFC 6749's shape,
   a revocation that is not RFC 7009), write a quirk module \`packages/catalog/src/quirks/<id>.ts\`,
   register it in \`packages/catalog/src/quirks/index.ts\` and name it in the entry's \`quirks\`.
4. Run \`npm run catalog:generate\`: it rewrites this page (and \`provider.schema.json\` when the
   schema changed).
5. Run \`npx vitest run packages/catalog\`: the tests load every entry through the schema and its
   checks, validate each file against \`provider.schema.json\`, and fail while this page is stale.

## Providers

| Provider | Auth modes | Inputs | Scopes (separator · parameter · required) | Client auth | Quirks | Revocation | Last verified | Docs |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
`;

/**
 * The Markdown of `docs/providers.md`: how to add a provider, then one row per provider of the
 * catalog, in the order given. A test compares the file with this text.
 */
export function renderProvidersDoc(providers: readonly ProviderDefinition[]): string {
  return `${INTRO}${providers.map(providerRow).join('\n')}\n`;
}

function providerRow(provider: ProviderDefinition): string {
  const cells = [
    `${provider.name} (\`${provider.id}\`)`,
    provider.authModes.join(', '),
    provider.inputs.map(describeInput).join('<br>') || NONE,
    describeScopes(provider.scopes),
    `\`${provider.clientAuth}\``,
    provider.quirks ? `\`${provider.quirks}\`` : NONE,
    describeRevocation(provider.revocation),
    provider.lastVerified,
    describeDocs(provider.docs),
  ];
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

function describeInput(input: ProviderInput): string {
  const fallback = input.default === undefined ? '' : `, default \`${input.default}\``;
  return `\`${input.name}\` (${input.kind}${fallback})`;
}

function describeScopes(scopes: ProviderDefinition['scopes']): string {
  const required = scopes.required.map((scope) => `\`${scope}\``).join(' ') || NONE;
  return `${SEPARATOR_NAMES[scopes.separator]} · \`${scopes.param}\` · ${required}`;
}

function describeDocs(docs: ProviderDefinition['docs']): string {
  const oauth = `[OAuth](${docs.oauth})`;
  return docs.console ? `${oauth} · [console](${docs.console})` : oauth;
}

function describeRevocation(revocation: ProviderDefinition['revocation']): string {
  if (!revocation) return NONE;
  return revocation.method === 'rfc7009' ? 'RFC 7009' : 'quirk module';
}

/** A pipe would end the table cell early. */
function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}
