import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { assertAllowedHost, blockedAddressReason, BlockedAddressError, createCheckedLookup, type Resolver } from '../../../../functions/adapters/webhook/address-policy';
import { normalizeHost } from '../../../../functions/core/webhooks/host';
import { subscriptionUrlProblem } from '../../../../functions/core/webhooks/subscription';

const forbidden: Array<[string, RegExp]> = [
  ['127.0.0.1', /loopback/],
  ['127.255.0.9', /loopback/],
  ['10.1.2.3', /RFC 1918/],
  ['172.16.0.1', /RFC 1918/],
  ['172.31.255.254', /RFC 1918/],
  ['192.168.1.10', /RFC 1918/],
  ['169.254.169.254', /link-local/],
  ['169.254.0.1', /link-local/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['100.127.255.255', /carrier-grade NAT/],
  ['0.0.0.0', /this network/],
  ['0.1.2.3', /this network/],
  ['224.0.0.251', /multicast/],
  ['239.255.255.250', /multicast/],
  ['255.255.255.255', /reserved/],
  ['::1', /loopback/],
  ['::', /unspecified/],
  ['fc00::1', /unique local/],
  ['fd12:3456:789a::1', /unique local/],
  ['fe80::1', /link-local/],
  ['ff02::1', /multicast/],
  ['::ffff:127.0.0.1', /IPv4-mapped loopback/],
  ['::ffff:7f00:1', /IPv4-mapped loopback/],
  ['::ffff:169.254.169.254', /IPv4-mapped link-local/],
  ['::ffff:10.0.0.1', /IPv4-mapped private/],
  ['64:ff9b::a9fe:a9fe', /NAT64 address of 169\.254\.169\.254: link-local/],
  ['64:ff9b::127.0.0.1', /NAT64 address of 127\.0\.0\.1: loopback/],
  ['64:ff9b::c0a8:101', /NAT64 address of 192\.168\.1\.1: private/],
  ['64:ff9b:1::a00:1', /local-use NAT64/],
  ['2002:a9fe:a9fe::1', /6to4 address of 169\.254\.169\.254: link-local/],
  ['2002:7f00:1::', /6to4 address of 127\.0\.0\.1: loopback/],
  ['2002:0a00:0001:1234::5', /6to4 address of 10\.0\.0\.1: private/],
];

const allowed = [
  '93.184.215.14',
  '8.8.8.8',
  '172.32.0.1',
  '100.128.0.1',
  '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
  '::ffff:8.8.8.8',
  // NAT64 and 6to4 forms of public addresses (an IPv6-only VPC with DNS64 answers like this).
  '64:ff9b::808:808',
  '64:ff9b::93.184.215.14',
  '2002:808:808::1',
];

describe('blockedAddressReason', () => {
  it.each(forbidden)('refuses %s', (address, reason) => {
    expect(blockedAddressReason(address)).toMatch(reason);
  });

  it.each(allowed)('allows public %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });

  it('lets loopback (and only loopback) through with allowLoopback', () => {
    expect(blockedAddressReason('127.0.0.1', { allowLoopback: true })).toBeUndefined();
    expect(blockedAddressReason('::1', { allowLoopback: true })).toBeUndefined();
    expect(blockedAddressReason('::ffff:127.0.0.1', { allowLoopback: true })).toBeUndefined();
    expect(blockedAddressReason('169.254.169.254', { allowLoopback: true })).toMatch(/link-local/);
    expect(blockedAddressReason('10.0.0.1', { allowLoopback: true })).toMatch(/RFC 1918/);
  });

  it('refuses something that is not an IP address', () => {
    expect(blockedAddressReason('metadata.google.internal')).toMatch(/not an IP/);
  });
});

describe('assertAllowedHost (literal IP hosts)', () => {
  it('refuses the metadata address and bracketed IPv6 forms', () => {
    expect(() => assertAllowedHost('169.254.169.254')).toThrow(BlockedAddressError);
    expect(() => assertAllowedHost('[::1]')).toThrow(BlockedAddressError);
    expect(() => assertAllowedHost('[::ffff:7f00:1]')).toThrow(/IPv4-mapped loopback/);
  });

  it('leaves hostnames to the lookup and allows public literals', () => {
    expect(() => assertAllowedHost('copies.zeitung.example')).not.toThrow();
    expect(() => assertAllowedHost('93.184.215.14')).not.toThrow();
  });
});

function lookupOnce(resolve: Resolver, options: { all?: boolean; family?: number }, allowLoopback = false) {
  const lookup = createCheckedLookup({ resolve, allowLoopback });
  return new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((done) => {
    lookup('copies.zeitung.example', options as never, (error, address, family) => done({ error, address, family }));
  });
}

const fakeDns =
  (answers: LookupAddress[]): Resolver =>
  async () =>
    answers;

describe('createCheckedLookup', () => {
  it('refuses a hostname resolving to 127.0.0.1', async () => {
    const result = await lookupOnce(fakeDns([{ address: '127.0.0.1', family: 4 }]), {});
    expect(result.error).toBeInstanceOf(BlockedAddressError);
    expect(result.error?.message).toMatch(/copies\.zeitung\.example resolves to 127\.0\.0\.1 \(loopback\)/);
  });

  it('refuses the whole answer when one of several addresses is private', async () => {
    const result = await lookupOnce(
      fakeDns([
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]),
      { all: true },
    );
    expect(result.error).toBeInstanceOf(BlockedAddressError);
  });

  it('refuses an AAAA answer carrying an IPv4-mapped metadata address', async () => {
    const result = await lookupOnce(fakeDns([{ address: '::ffff:a9fe:a9fe', family: 6 }]), { all: true });
    expect(result.error?.message).toMatch(/IPv4-mapped link-local/);
  });

  it('answers in the shape the socket asked for', async () => {
    const answers: LookupAddress[] = [
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ];
    const all = await lookupOnce(fakeDns(answers), { all: true });
    expect(all.error).toBeNull();
    expect(all.address).toEqual(answers);
    const single = await lookupOnce(fakeDns(answers), { family: 6 });
    expect(single).toMatchObject({ error: null, address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 });
  });

  it('passes resolver failures through', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND copies.zeitung.example'), { code: 'ENOTFOUND' });
    };
    const result = await lookupOnce(failing, {});
    expect(result.error?.code).toBe('ENOTFOUND');
  });

  it('allows loopback answers only with allowLoopback', async () => {
    const result = await lookupOnce(fakeDns([{ address: '127.0.0.1', family: 4 }]), {}, true);
    expect(result).toMatchObject({ error: null, address: '127.0.0.1', family: 4 });
  });
});

describe('one host normalization at subscribe time and at connection time (issue 18)', () => {
  it.each([
    ['https://[::127.0.0.1]:8443/hook', 'IPv4-compatible IPv6 loopback'],
    ['https://localhost.:8443/hook', 'trailing dot'],
    ['https://x.localhost/hook', 'a name under .localhost'],
    ['https://[::ffff:7f00:1]/hook', 'IPv4-mapped loopback'],
    ['https://2130706433/hook', 'integer IPv4'],
    ['https://0177.0.0.1/hook', 'octal IPv4'],
  ])('refuses %s at subscribe time (%s)', (url) => {
    expect(subscriptionUrlProblem(url)).toMatch(/loopback/);
  });

  it.each(['[::127.0.0.1]', '[::7f00:1]', '[::a9fe:a9fe]', '[::ffff:a9fe:a9fe]', '0x7f.1'])('refuses the literal %s at connection time', (host) => {
    expect(() => assertAllowedHost(host)).toThrow(BlockedAddressError);
  });

  it('normalizes the spellings to one host', () => {
    expect(normalizeHost('[::127.0.0.1]')).toBe('127.0.0.1');
    expect(normalizeHost('[::FFFF:127.0.0.1]')).toBe('127.0.0.1');
    expect(normalizeHost('LocalHost.')).toBe('localhost');
    expect(normalizeHost('news.example.com.')).toBe('news.example.com');
    expect(normalizeHost('2130706433')).toBe('127.0.0.1');
    expect(normalizeHost('[::1]')).toBe('::1');
    expect(normalizeHost('[2001:DB8::1]')).toBe('2001:db8::1');
  });

  it('still accepts public hosts', () => {
    expect(subscriptionUrlProblem('https://news.example.com./hook')).toBeUndefined();
    expect(() => assertAllowedHost('[2606:4700::1111]')).not.toThrow();
  });
});
