import type { LookupAddress } from 'node:dns';
import { type RecordingServer, startRecordingServer } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckingLookup, type ResolveHost } from './checking-lookup';
import { findEgressDenial } from './egress-denied-error';
import { createEgressClient } from './egress-fetch';
import { createEgressPolicy } from './egress-policy';

/** A resolver that answers each name from a table: one answer per query, the last repeats. */
function resolverFrom(table: Record<string, string[]>): ResolveHost {
  const asked = new Map<string, number>();
  return (hostname, _options, callback) => {
    const answers = table[hostname];
    if (!answers) return callback(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), []);
    const count = asked.get(hostname) ?? 0;
    asked.set(hostname, count + 1);
    const address = answers[Math.min(count, answers.length - 1)] as string;
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return findEgressDenial(error);
}

describe('the egress client', () => {
  let server: RecordingServer;
  let port: string;
  beforeAll(async () => {
    server = await startRecordingServer();
    port = new URL(server.url).port;
  });
  afterAll(() => server.stop());

  it('refuses loopback, by address or by name, before any TCP connection', async () => {
    const client = createEgressClient(createEgressPolicy({ allow: [], allowLoopback: false }));
    try {
      const byAddress = await refusal(client.fetch(`http://127.0.0.1:${port}/`));
      const byName = await refusal(client.fetch(`http://localhost:${port}/`, { method: 'POST' }));
      const mapped = await refusal(client.fetch(`http://[::ffff:127.0.0.1]:${port}/`));
      expect([byAddress?.range, byName?.range, mapped?.range]).toEqual([
        'loopback',
        'loopback',
        'loopback',
      ]);
      expect(server.connections()).toBe(0);
      expect(server.requests).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it.each([
    ['10.0.0.5', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['::ffff:a00:5', 'private'],
  ])('refuses a name that resolves to %s', async (address, range) => {
    const resolve = resolverFrom({ 'api.example.test': [address] });
    const policy = createEgressPolicy({ allow: [], allowLoopback: false });
    const client = createEgressClient(policy, { resolve });
    try {
      const denied = await refusal(client.fetch('https://api.example.test/token'));
      expect(denied).toMatchObject({ host: 'api.example.test', address, range });
    } finally {
      await client.close();
    }
  });

  it('checks every new connection: a name that rebinds to an inward address is refused', async () => {
    const resolve = resolverFrom({ 'rebind.example.test': ['127.0.0.1', '10.0.0.5'] });
    // Loopback stands in for a public address here: it is the only one tests may reach.
    const client = createEgressClient(createEgressPolicy({ allow: [], allowLoopback: true }), {
      resolve,
    });
    try {
      const first = await client.fetch(`http://rebind.example.test:${port}/`, {
        headers: { connection: 'close' },
      });
      expect(first.status).toBe(200);
      await first.text();
      const second = await refusal(client.fetch(`http://rebind.example.test:${port}/`));
      expect(second?.range).toBe('private');
      expect(server.connections()).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('lets an allow-listed name through to the address it resolves to', async () => {
    const before = server.connections();
    const resolve = resolverFrom({ 'idp.corp.test': ['127.0.0.1'] });
    const policy = createEgressPolicy({ allow: ['IDP.corp.test'], allowLoopback: false });
    const client = createEgressClient(policy, { resolve });
    try {
      const response = await client.fetch(`http://idp.corp.test:${port}/`);
      expect(response.status).toBe(200);
      await response.text();
      expect(server.connections()).toBe(before + 1);
    } finally {
      await client.close();
    }
  });

  it('answers a lookup that asks for all addresses (autoSelectFamily) with all of them', async () => {
    const resolve: ResolveHost = (_hostname, _options, callback) =>
      callback(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ]);
    const lookup = createCheckingLookup(
      createEgressPolicy({ allow: [], allowLoopback: false }),
      resolve,
    );
    const all = await new Promise((done) =>
      lookup('example.test', { all: true }, (_error, addresses) => done(addresses)),
    );
    expect((all as LookupAddress[]).map((a) => a.address)).toEqual([
      '93.184.216.34',
      '2606:2800:220:1::1',
    ]);
    const one = await new Promise((done) =>
      lookup('example.test', {}, (_error, address, family) => done([address, family])),
    );
    expect(one).toEqual(['93.184.216.34', 4]);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const resolve: ResolveHost = (_hostname, _options, callback) =>
      callback(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ]);
    const lookup = createCheckingLookup(
      createEgressPolicy({ allow: [], allowLoopback: false }),
      resolve,
    );
    const error = await new Promise((done) => lookup('mixed.test', { all: true }, done));
    expect(findEgressDenial(error)?.address).toBe('10.0.0.5');
  });
});
