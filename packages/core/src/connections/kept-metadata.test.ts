import { loadCatalog } from '@latchkey/catalog';
import type { TokenEndpointResponse } from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import type { KeptValueRule } from '../connectors/provider-behaviour';
import { keptMetadata } from './kept-metadata';

const INSTANCE_URL: KeptValueRule = {
  name: 'instance_url',
  from: 'token_response',
  field: 'instance_url',
  kind: 'url',
  hostSuffixes: ['.my.salesforce.com', '.my.localhost'],
};
const STRICT = { allowHttpLoopback: false };
const LOOPBACK_ALLOWED = { allowHttpLoopback: true };

function keptFrom(instanceUrl: string, policy: { allowHttpLoopback: boolean }) {
  const tokens: TokenEndpointResponse = {
    access_token: 'a',
    token_type: 'bearer',
    instance_url: instanceUrl,
  };
  return keptMetadata([INSTANCE_URL], { tokens }, null, policy)?.instance_url;
}

describe('keptMetadata: a kept URL', () => {
  it('keeps an https origin on the preset hosts', () => {
    expect(keptFrom('https://acme.my.salesforce.com', STRICT)).toBe(
      'https://acme.my.salesforce.com',
    );
  });

  it('drops an https URL off the preset hosts, or one with a path', () => {
    expect(keptFrom('https://acme.my.salesforce.com.example', STRICT)).toBeUndefined();
    expect(keptFrom('https://acme.my.salesforce.com/x', STRICT)).toBeUndefined();
  });

  it('keeps loopback http only where the endpoint policy allows it', () => {
    expect(keptFrom('http://acme.my.localhost:8080', STRICT)).toBeUndefined();
    expect(keptFrom('http://acme.my.localhost:8080', LOOPBACK_ALLOWED)).toBe(
      'http://acme.my.localhost:8080',
    );
  });

  it('drops http on any other host, and loopback off the preset hosts, even then', () => {
    expect(keptFrom('http://acme.my.salesforce.com', LOOPBACK_ALLOWED)).toBeUndefined();
    expect(keptFrom('http://127.0.0.1:8080', LOOPBACK_ALLOWED)).toBeUndefined();
  });
});

/** The shipped Salesforce preset's rule: its API is wherever `instance_url` says. */
const SALESFORCE = loadCatalog().find('salesforce')?.keep ?? [];

function tokensWith(fields: Record<string, unknown>): TokenEndpointResponse {
  return { access_token: 'at', token_type: 'bearer', ...fields };
}

const keptInstance = (instanceUrl: unknown) =>
  keptMetadata(SALESFORCE, { tokens: tokensWith({ instance_url: instanceUrl }) }, null, STRICT)
    ?.instance_url;

describe('keptMetadata: a kept URL stays on the hosts its preset names', () => {
  it('keeps an https origin on one of the host suffixes', () => {
    expect(SALESFORCE).toHaveLength(1);
    expect(keptInstance('https://acme.my.salesforce.com')).toBe('https://acme.my.salesforce.com');
    expect(keptInstance('https://acme.my.salesforce.com/')).toBe('https://acme.my.salesforce.com');
  });

  it('drops an instance URL on another host, so the proxy never sends the token there', () => {
    const attacks = [
      'https://attacker.example',
      // The suffix must end the host name, not appear in it.
      'https://acme.my.salesforce.com.attacker.example',
      'https://evilsalesforce.com',
      'https://attacker.example#.salesforce.com',
      'https://attacker.example?.salesforce.com',
      // User info would make the suffix look like part of the host to a careless reader.
      'https://acme.salesforce.com@attacker.example',
      'https://user:pass@acme.my.salesforce.com',
      // Not an origin: a path, query or fragment would move where calls go.
      'https://acme.my.salesforce.com/services/../../x',
      'https://acme.my.salesforce.com/?x=1',
      // Not https, or not a URL at all.
      'http://acme.my.salesforce.com',
      'javascript://acme.my.salesforce.com',
      'acme.my.salesforce.com',
      '',
      42,
      { url: 'https://acme.my.salesforce.com' },
      `https://${'a'.repeat(2040)}.salesforce.com`,
    ];
    for (const attack of attacks) expect(keptInstance(attack), String(attack)).toBeUndefined();
  });

  it('keeps the stored value when an answer brings none, and never a refused one', () => {
    const previous = { instance_url: 'https://acme.my.salesforce.com' };
    const refresh = (fields: Record<string, unknown>) =>
      keptMetadata(SALESFORCE, { tokens: tokensWith(fields) }, previous, STRICT);
    expect(refresh({})).toEqual(previous);
    // A refused value falls back to the one kept before, never to the answer's.
    expect(refresh({ instance_url: 'https://attacker.example' })).toEqual(previous);
    expect(refresh({ instance_url: 'https://na2.my.salesforce.com' })).toEqual({
      instance_url: 'https://na2.my.salesforce.com',
    });
  });

  it('reads text values from the callback or a dot path, and keeps nothing without rules', () => {
    const rules = [
      { name: 'realm_id', from: 'callback', field: 'realmId', kind: 'text' },
      { name: 'team_id', from: 'token_response', field: 'team.id', kind: 'text' },
    ] as const;
    const kept = keptMetadata(
      rules,
      {
        tokens: tokensWith({ team: { id: 'T1' } }),
        callback: new URLSearchParams({ realmId: '9130' }),
      },
      null,
      STRICT,
    );
    expect(kept).toEqual({ realm_id: '9130', team_id: 'T1' });
    expect(
      keptMetadata(undefined, { tokens: tokensWith({ team: { id: 'T1' } }) }, null, STRICT),
    ).toBe(null);
  });
});
