import { INPUT_KINDS, type ProviderDefinition, type ProviderInput } from '@latchkey/catalog';
import { LatchkeyError } from '../../errors/latchkey-error';
import { checkEndpointUrl, type EndpointPolicy } from '../endpoint-policy';

/** A preset connector's config, read: the client, the scopes as typed, the inputs' values. */
export interface PresetConfig {
  clientId: string;
  scope?: string;
  inputs: Record<string, string>;
  /** The connector's opt-in to the keep-alive job: `"true"` or `"false"` in the config. */
  keepAlive: boolean;
}

const KIND_EXPECTED: Record<keyof typeof INPUT_KINDS, string> = {
  host: 'a DNS host name such as example.com (a port may follow)',
  subdomain: 'one DNS label: letters, digits and hyphens',
  segment: 'one URL path segment: letters, digits, dots, hyphens and underscores',
  url: 'an https URL without query or fragment',
};

/**
 * The admin's config for this preset, checked: `clientId`, an optional `scope`, and each input
 * the preset declares (its default when omitted), every value of its kind, since it goes into
 * the preset's URLs. Anything else is refused by name.
 */
export function readPresetConfig(
  preset: ProviderDefinition,
  config: Readonly<Record<string, string>>,
  policy: EndpointPolicy,
): PresetConfig {
  const known = new Set([
    'clientId',
    'scope',
    'keepAlive',
    ...preset.inputs.map((input) => input.name),
  ]);
  const unknown = Object.keys(config).find((key) => !known.has(key));
  if (unknown) {
    throw invalid(
      `config.${unknown}`,
      `is not a setting of ${preset.name} (${[...known].join(', ')})`,
    );
  }
  const clientId = config.clientId ?? '';
  if (clientId.length === 0 || clientId.length > 512) {
    throw invalid('config.clientId', 'is required (at most 512 characters)');
  }
  const scope = config.scope?.trim();
  const inputs = Object.fromEntries(
    preset.inputs.map((input) => [input.name, readInput(input, config[input.name], policy)]),
  );
  const keepAlive = readKeepAlive(config.keepAlive);
  return { clientId, ...(scope ? { scope } : {}), inputs, keepAlive };
}

function readInput(input: ProviderInput, given: string | undefined, policy: EndpointPolicy) {
  const field = `config.${input.name}`;
  const value = normalised(input, given?.trim() || input.default);
  if (!value) throw invalid(field, `is required: ${input.label}`);
  if (input.kind === 'url') {
    checkEndpointUrl(field, value, policy);
    if (new URL(value).search) throw invalid(field, `must be ${KIND_EXPECTED.url}`);
  } else if (!INPUT_KINDS[input.kind].test(value)) {
    throw invalid(field, `must be ${KIND_EXPECTED[input.kind]}`);
  }
  return value;
}

/** Host names and DNS labels are case-insensitive: kept in lower case, as URLs print them. */
function normalised(input: ProviderInput, value: string | undefined): string | undefined {
  return input.kind === 'host' || input.kind === 'subdomain' ? value?.toLowerCase() : value;
}

function invalid(field: string, reason: string): LatchkeyError {
  return new LatchkeyError('validation_failed', `${field} ${reason}.`, {
    issues: [{ path: `body/${field.replace('.', '/')}`, message: reason }],
  });
}

function readKeepAlive(given: string | undefined): boolean {
  if (given === undefined || given === 'false') return false;
  if (given === 'true') return true;
  throw invalid('config.keepAlive', 'must be "true" or "false"');
}
