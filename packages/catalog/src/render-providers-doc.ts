import type { ProviderDefinition, ProviderInput } from './provider-definition';

const NONE = '—';
const SEPARATOR_NAMES = { ' ': 'space', ',': 'comma', '+': 'plus' } as const;

const INTRO = `# Provider catalog

<!-- Generated from packages/catalog by \`npm run catalog:generate\`; do not edit by hand. -->

Latchkey ships a preset for each provider below: an admin picks one, fills its inputs (a
tenant, a host...) and the client id and secret from the provider's console, and Latchkey
knows the endpoints, the scope format, the client authentication and what it takes to get a
refresh token. \`GET /api/providers\` serves the same list to forms; creating a connector
from a preset is in [api.md](api.md#a-connector-made-from-a-preset), and how each setting
changes the flow in [oauth-flow.md](oauth-flow.md#presets).

A preset is resolved when its connector is saved: the endpoints, scopes and the provider's
ways are stored with the connector, which then works as saved whatever later catalogs say.
A connector takes a newer entry when it is saved again (\`PUT\` with the same body); if that
moves an endpoint, the client secret must be given again.

Reading the table: **Inputs** are the values an admin gives besides the client (their kind
says how they are checked). **Scopes** gives the separator the provider wants, the
authorization parameter they go in, and the scopes always added (what the provider needs to
issue a refresh token); *incremental* marks providers that add new scopes to those granted
before (\`include_granted_scopes=true\`, asked on every reconnect). **Identity** says where
the connected account's name comes from ("Connected as …" and \`POST
/api/connectors/:id/_verify\`): the entry's \`verification\` endpoint (\`{url, identityPath}\`: a
GET with the user's token, the identity at that dot path of its JSON answer), else the ID
token or userinfo of an OpenID provider. **Quirks** names the module for what the data cannot
say.

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
4. Test what is not plain RFC 6749 against a **stand-in** of the provider: a loopback server
   in \`packages/testing/src/stand-ins/\` that replays the answers the provider documents
   (successes and errors) and records every request (see [testing.md](testing.md)). The quirk
   module's own test (\`src/quirks/<id>.test.ts\`) runs its hooks over the stand-in's answers;
   a server test runs the preset end to end with its endpoints moved onto the stand-in
   (\`catalogWithStandIn\` in \`packages/server/test/support/stand-in-catalog.ts\`;
   \`provider-github.test.ts\` is the model): connect, a proxied call, refresh, reconnect on a
   refused refresh, and disconnect with revocation, asserting exactly what the provider
   receives. A data-only entry is covered by \`settings-from-preset.test.ts\`, which makes a
   connector from every shipped preset.
5. Run \`npm run catalog:generate\`: it rewrites this page (and \`provider.schema.json\` when the
   schema changed).
6. Run \`npx vitest run packages/catalog\`: the tests load every entry through the schema and its
   checks, validate each file against \`provider.schema.json\`, and fail while this page is stale.

## Providers

| Provider | Auth modes | Inputs | Scopes (separator · parameter · required) | Identity | Client auth | Quirks | Revocation | Last verified | Docs |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
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
    describeIdentity(provider.verification),
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
  const incremental = scopes.incremental ? ' · incremental' : '';
  return `${SEPARATOR_NAMES[scopes.separator]} · \`${scopes.param}\` · ${required}${incremental}`;
}

function describeIdentity(verification: ProviderDefinition['verification']): string {
  if (!verification) return 'ID token or userinfo';
  return `\`GET ${verification.url}\` → \`${verification.identityPath}\``;
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
