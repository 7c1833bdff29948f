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
