import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEgressPolicy } from './egress-policy';

const strict = createEgressPolicy({ allow: [], allowLoopback: false });

function rangeRefused(address: string, policy = strict): string | undefined {
  return policy.checkAddress('api.example.com', address)?.range;
}

describe('the egress policy', () => {
  it.each([
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['fc00::5', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.5', 'private'],
    ['::ffff:a00:5', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:5', 'rfc6052'],
    ['64:ff9b::808:808', 'rfc6052'],
    ['2002:a00:5::1', '6to4'],
    ['2001::1', 'teredo'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:0:a00:5', 'rfc6145'],
    ['::a00:5', 'notGlobalUnicast'],
    ['100::1', 'discard'],
  ])('refuses %s (%s)', (address, range) => {
    expect(rangeRefused(address)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '::ffff:8.8.8.8',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
  ])('allows the public address %s', (address) => {
    expect(rangeRefused(address)).toBeUndefined();
  });

  it('refuses every IPv4 address in the private blocks, in either IPv6 spelling too', () => {
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(privateV4, (octets) => {
        const dotted = octets.join('.');
        const hex = `${hexPair(octets[0], octets[1])}:${hexPair(octets[2], octets[3])}`;
        for (const spelling of [dotted, `::ffff:${dotted}`, `::ffff:${hex}`]) {
          expect(rangeRefused(spelling), spelling).toBeDefined();
        }
      }),
    );
  });

  it('allows loopback only when loopback is allowed', () => {
    const loopback = createEgressPolicy({ allow: [], allowLoopback: true });
    expect(rangeRefused('127.0.0.1', loopback)).toBeUndefined();
    expect(rangeRefused('::1', loopback)).toBeUndefined();
    expect(rangeRefused('::ffff:127.0.0.1', loopback)).toBeUndefined();
    expect(rangeRefused('10.0.0.5', loopback)).toBe('private');
  });

  it('allows the blocks and addresses of the allow-list, and nothing next to them', () => {
    const policy = createEgressPolicy({
      allow: ['10.20.0.0/16', '192.168.7.7', 'fd12:3456::/32'],
      allowLoopback: false,
    });
    expect(rangeRefused('10.20.3.4', policy)).toBeUndefined();
    expect(rangeRefused('::ffff:10.20.3.4', policy)).toBeUndefined();
    expect(rangeRefused('10.21.0.1', policy)).toBe('private');
    expect(rangeRefused('192.168.7.7', policy)).toBeUndefined();
    expect(rangeRefused('192.168.7.8', policy)).toBe('private');
    expect(rangeRefused('fd12:3456::1', policy)).toBeUndefined();
    expect(rangeRefused('fd12:3457::1', policy)).toBe('uniqueLocal');
    expect(rangeRefused('127.0.0.1', policy)).toBe('loopback');
  });

  it('allows an allow-listed host name exactly, case-insensitively, whatever it resolves to', () => {
    const policy = createEgressPolicy({ allow: ['idp.corp.internal'], allowLoopback: false });
    expect(policy.checkAddress('IdP.Corp.Internal', '10.1.2.3')).toBeUndefined();
    expect(policy.checkAddress('idp.corp.internal.', '10.1.2.3')).toBeUndefined();
    expect(policy.checkAddress('evil.idp.corp.internal', '10.1.2.3')?.range).toBe('private');
    expect(policy.checkAddress('idp.corp.internal.evil.com', '10.1.2.3')?.range).toBe('private');
  });

  it('refuses allow-list entries that are neither blocks, addresses nor host names', () => {
    for (const entry of ['10.0.0.0/33', '0x7f.1', 'not a host', '10.0.0.0/8/8', 'a_b.example']) {
      expect(() => createEgressPolicy({ allow: [entry], allowLoopback: false }), entry).toThrow();
    }
  });

  describe('on literal hosts, before any lookup', () => {
    it.each([
      ['10.0.0.5', 'private'],
      ['[fd00::1]', 'uniqueLocal'],
      ['[::ffff:a00:5]', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['localhost', 'loopback'],
      ['api.localhost', 'loopback'],
      ['LOCALHOST.', 'loopback'],
      ['127.0.0.1', 'loopback'],
    ])('refuses %s', (host, range) => {
      expect(strict.checkHostLiteral(host)?.range).toBe(range);
    });

    it('leaves other names to the connect-time check', () => {
      expect(strict.checkHostLiteral('internal.example.com')).toBeUndefined();
      expect(strict.checkHostLiteral('8.8.8.8')).toBeUndefined();
    });

    it('accepts loopback names when loopback is allowed, or when allow-listed', () => {
      const loopback = createEgressPolicy({ allow: [], allowLoopback: true });
      expect(loopback.checkHostLiteral('localhost')).toBeUndefined();
      expect(loopback.checkHostLiteral('127.0.0.1')).toBeUndefined();
      const listed = createEgressPolicy({ allow: ['localhost'], allowLoopback: false });
      expect(listed.checkHostLiteral('localhost')).toBeUndefined();
    });
  });
});

function hexPair(high: number, low: number): string {
  return ((high << 8) | low).toString(16);
}
