import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { catalogOf } from './catalog';
import { checkProvider, urlTemplatesOf } from './check-provider';
import { loadCatalog, PROVIDERS_DIRECTORY } from './load-catalog';
import { type ProviderDefinitionInput, providerDefinitionSchema } from './provider-definition';
import { providerJsonSchema } from './provider-json-schema';
import { QUIRKS } from './quirks';
import { renderProvidersDoc } from './render-providers-doc';
import { renderUrlTemplate } from './url-template';

const STALE = 'stale: run `npm run catalog:generate`';
const MINIMUM_PROVIDERS = 40;
const PROVIDERS_DOC = fileURLToPath(new URL('../../../docs/providers.md', import.meta.url));
/** `https://…` or a placeholder that an input or a bounded kept URL fills. */
const URL_TEMPLATE_START = /^(https:\/\/|\{[a-z][a-z0-9_]*\})/;
const providerFiles = readdirSync(PROVIDERS_DIRECTORY).filter(
  (file) => file.endsWith('.json') && file !== 'provider.schema.json',
);
const readJson = (file: string): unknown =>
  JSON.parse(readFileSync(join(PROVIDERS_DIRECTORY, file), 'utf8'));

/** Every file through the schema alone, so these checks do not rest on checkProvider's. */
function parsedProviders() {
  return providerFiles.map((file) => ({
    file,
    provider: providerDefinitionSchema.parse(readJson(file)),
  }));
}

function providerJsonSchemaFile(): Record<string, unknown> {
  const schema = readJson('provider.schema.json');
  if (typeof schema !== 'object' || schema === null) throw new Error('no schema object');
  return { ...schema };
}

function entry(overrides: Partial<ProviderDefinitionInput> = {}) {
  return providerDefinitionSchema.parse({
    id: 'example',
    name: 'Example',
    docs: { oauth: 'https://example.com/docs' },
    lastVerified: '2026-12-04',
    authModes: ['per-user'],
    authorizationUrl: 'https://example.com/authorize',
    tokenUrl: 'https://example.com/token',
    apiBaseUrl: 'https://api.example.com',
    ...overrides,
  });
}

describe('the shipped catalog', () => {
  it('loads: every entry passes the schema and the checks', () => {
    expect(
      loadCatalog()
        .list()
        .map((provider) => `${provider.id}.json`),
    ).toEqual(expect.arrayContaining(providerFiles));
  });

  it('validates every file against provider.schema.json, an independent validator', () => {
    const validate = new Ajv2020({ strict: false }).compile(providerJsonSchemaFile());
    for (const file of providerFiles) {
      expect({ file, valid: validate(readJson(file)), errors: validate.errors }).toMatchObject({
        valid: true,
      });
    }
  });

  it('keeps provider.schema.json generated from the schema in the code', () => {
    expect(readJson('provider.schema.json'), STALE).toEqual(providerJsonSchema());
  });

  it(`holds at least ${MINIMUM_PROVIDERS} providers`, () => {
    expect(loadCatalog().list().length).toBeGreaterThanOrEqual(MINIMUM_PROVIDERS);
  });

  it('starts every URL template with https:// or a placeholder', () => {
    const refused = parsedProviders().flatMap(({ file, provider }) =>
      Object.entries(urlTemplatesOf(provider))
        .filter(([, template]) => !URL_TEMPLATE_START.test(template))
        .map(([field, template]) => `${file} ${field}: ${template}`),
    );
    expect(refused).toEqual([]);
  });

  it('links every documentation page over https', () => {
    const refused = parsedProviders().flatMap(({ file, provider }) =>
      Object.entries(provider.docs)
        .filter(([, url]) => !url.startsWith('https://'))
        .map(([field, url]) => `${file} docs.${field}: ${url}`),
    );
    expect(refused).toEqual([]);
  });

  it('keeps docs/providers.md generated from the catalog', () => {
    expect(readFileSync(PROVIDERS_DOC, 'utf8'), STALE).toBe(
      renderProvidersDoc(loadCatalog().list()),
    );
  });

  it('uses every quirk module', () => {
    const used = new Set(
      loadCatalog()
        .list()
        .map((provider) => provider.quirks),
    );
    expect(Object.keys(QUIRKS).filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('checkProvider', () => {
  it('accepts a complete entry', () => {
    expect(checkProvider(entry())).toEqual([]);
  });

  it('refuses a placeholder no input declares', () => {
    expect(checkProvider(entry({ tokenUrl: 'https://{tenant}.example.com/token' }))).toEqual([
      'tokenUrl uses {tenant}, which is not declared',
    ]);
  });

  it('refuses an endpoint that is not https', () => {
    expect(checkProvider(entry({ tokenUrl: 'http://example.com/token' }))).toEqual([
      'tokenUrl must be an https URL',
    ]);
  });

  it('refuses a kept URL anywhere but at the start of the API base URL, or unbounded', () => {
    const kept = { name: 'instance_url', from: 'token_response', field: 'x', kind: 'url' } as const;
    const bounded = { ...kept, hostSuffixes: ['.example.com'] };
    const problem = 'kept URL {instance_url} must start apiBaseUrl and name its hostSuffixes';
    const inMiddle = 'https://api.example.com/{instance_url}';
    expect(checkProvider(entry({ keep: [bounded], apiBaseUrl: inMiddle }))).toContain(problem);
    expect(checkProvider(entry({ keep: [kept], apiBaseUrl: '{instance_url}/x' }))).toEqual([
      problem,
    ]);
    expect(checkProvider(entry({ keep: [bounded], apiBaseUrl: '{instance_url}/x' }))).toEqual([]);
  });

  it('ties a quirk revocation to a module that revokes, both ways', () => {
    expect(checkProvider(entry({ revocation: { method: 'quirk' } }))).toEqual([
      'revocation method quirk needs a quirk module that revokes',
    ]);
    expect(checkProvider(entry({ quirks: 'dropbox' }))).toEqual([
      'the dropbox module revokes: set revocation method quirk',
    ]);
  });

  it('refuses a public client without PKCE', () => {
    expect(checkProvider(entry({ clientAuth: 'none', pkce: false }))).toEqual([
      'a public client needs PKCE',
    ]);
  });

  it('refuses a quirk module that does not exist', () => {
    expect(checkProvider(entry({ quirks: 'nobody' }))).toEqual(['no quirk module named nobody']);
  });

  it('needs an issuer for discovery and endpoints without it', () => {
    expect(checkProvider(entry({ discovery: true }))).toEqual(['discovery needs an issuer']);
    expect(checkProvider(entry({ authorizationUrl: undefined }))).toEqual([
      'authorizationUrl is required for per-user connectors without discovery',
    ]);
  });
});

describe('catalogOf', () => {
  it('refuses two entries with one id', () => {
    expect(() => catalogOf([entry(), entry()])).toThrow('provider ids must be unique');
  });
});

describe('renderUrlTemplate', () => {
  it('fills each placeholder and refuses a missing one', () => {
    expect(renderUrlTemplate('https://{sub}.example.com/{t}', { sub: 'acme', t: 'x' })).toBe(
      'https://acme.example.com/x',
    );
    expect(() => renderUrlTemplate('https://{sub}.example.com', {})).toThrow('no value for {sub}');
  });
});
