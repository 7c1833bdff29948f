import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../errors/latchkey-error';
import type { ConnectionMetadata } from '../store';
import { connectionApiBaseUrl } from './connection-api-base-url';

describe('connectionApiBaseUrl', () => {
  it('leaves a base URL without placeholders as it is, whatever the connection holds', () => {
    expect(connectionApiBaseUrl('https://api.example.com/v1', null)).toBe(
      'https://api.example.com/v1',
    );
  });

  it('starts with the kept URL, and fills other values as one encoded path segment', () => {
    const metadata = { instance_url: 'https://acme.my.salesforce.com', realm_id: '../x?y=1#z' };
    expect(connectionApiBaseUrl('{instance_url}/services/data/v62.0', metadata)).toBe(
      'https://acme.my.salesforce.com/services/data/v62.0',
    );
    expect(connectionApiBaseUrl('https://api.example.com/company/{realm_id}/', metadata)).toBe(
      'https://api.example.com/company/..%2Fx%3Fy%3D1%23z/',
    );
  });

  it('refuses a connection without the value, rather than call a half-built URL', () => {
    const incomplete: (ConnectionMetadata | null)[] = [null, {}, { other: 'x' }];
    for (const metadata of incomplete) {
      const call = () => connectionApiBaseUrl('{instance_url}/services/data', metadata);
      expect(call).toThrow(LatchkeyError);
      expect(call).toThrow(expect.objectContaining({ code: 'connection_incomplete' }));
    }
  });
});
