/**
 * Which IP addresses a webhook may connect to. Subscriber URLs come from outside, so without this
 * a subscription could make polywire call the cloud metadata service (169.254.169.254), a VPC
 * neighbour or itself (SSRF). The check runs inside the socket's DNS lookup, on the addresses the
 * socket will actually connect to, so a DNS answer that changes between a check and the connect
 * (rebinding) cannot slip through.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { ProviderError } from '../../core/errors';
import { normalizeHost } from '../../core/webhooks/host';

/** IPv4 ranges that are never a public webhook endpoint. */
const BLOCKED_IPV4: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, '"this network"'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (includes the cloud metadata service)'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (includes broadcast)'],
];

/** IPv6 ranges. IPv4-mapped addresses (::ffff:a.b.c.d) are matched against the IPv4 list by BlockList itself. */
const BLOCKED_IPV6: ReadonlyArray<readonly [string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard-only'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique local (ULA)'],
  ['64:ff9b:1::', 48, 'local-use NAT64 (RFC 8215)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
];

interface BlockedRange {
  list: BlockList;
  reason: string;
}

function compile(ranges: ReadonlyArray<readonly [string, number, string]>, type: 'ipv4' | 'ipv6'): BlockedRange[] {
  return ranges.map(([network, prefix, reason]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return { list, reason };
  });
}

const blockedV4 = compile(BLOCKED_IPV4, 'ipv4');
const blockedV6 = compile(BLOCKED_IPV6, 'ipv6');
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export interface AddressPolicyOptions {
  /** Let loopback addresses through (local runs and tests); every other blocked range stays blocked. */
  allowLoopback?: boolean;
}

/** A webhook destination resolved to an address polywire must not call. Not retryable. */
export class BlockedAddressError extends ProviderError {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    const what = stripBrackets(host) === address ? address : `${host} resolves to ${address}`;
    super('WEBHOOK_ADDRESS_BLOCKED', `${what} (${reason}): webhooks only go to public addresses`, {
      retryable: false,
    });
  }
}

function stripBrackets(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}

/**
 * Why connecting to this IP address is forbidden, or undefined when it is allowed. Not an IP
 * address at all is forbidden too: only resolved addresses reach this check.
 */
export function blockedAddressReason(address: string, options: AddressPolicyOptions = {}): string | undefined {
  // The subscribe-time check uses the same normalization: IPv4-compatible and IPv4-mapped IPv6
  // addresses are judged as the IPv4 address they carry.
  const ip = normalizeHost(address);
  const raw = stripBrackets(address).replace(/%.*$/, '');
  const version = isIP(ip);
  const carried = version === 4 && isIP(raw) === 6 ? (hextets(raw)[5] === 0xffff ? 'IPv4-mapped ' : 'IPv4-compatible ') : '';
  if (version === 0) return 'not an IP address';
  const type = version === 4 ? 'ipv4' : 'ipv6';
  // BlockList matches an IPv4 rule against an IPv4-mapped IPv6 address (::ffff:127.0.0.1, also
  // written ::ffff:7f00:1), which is how a mapped loopback or metadata address gets caught.
  if (options.allowLoopback && loopback.check(ip, type)) return undefined;
  const v4 = blockedV4.find((range) => range.list.check(ip, type));
  if (v4) return `${carried}${v4.reason}`;
  if (version === 4) return undefined;
  const v6 = blockedV6.find((range) => range.list.check(ip, 'ipv6'))?.reason;
  if (v6) return v6;
  // NAT64 and 6to4 addresses carry an IPv4 address that a gateway connects to: judge that one.
  const embedded = embeddedIPv4(ip);
  if (!embedded) return undefined;
  const inner = blockedV4.find((range) => range.list.check(embedded.address, 'ipv4'));
  return inner ? `${embedded.scheme} address of ${embedded.address}: ${inner.reason}` : undefined;
}

/** The IPv4 address inside a NAT64 (64:ff9b::/96, RFC 6052) or 6to4 (2002::/16, RFC 3056) address. */
function embeddedIPv4(ipv6: string): { scheme: 'NAT64' | '6to4'; address: string } | undefined {
  const words = hextets(ipv6);
  const ipv4 = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return { scheme: 'NAT64', address: ipv4(words[6]!, words[7]!) };
  if (words[0] === 0x2002) return { scheme: '6to4', address: ipv4(words[1]!, words[2]!) };
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function hextets(ipv6: string): number[] {
  let text = ipv6;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', tail] = text.split('::');
  if (tail === undefined) return groups(head);
  const before = groups(head);
  const after = groups(tail);
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/** Resolves a hostname to all its addresses; injectable so tests can fake DNS answers. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * A `lookup` for `net.connect`/`tls.connect` that resolves the host and refuses the connection
 * when ANY of its addresses is forbidden (a name that mixes public and private answers is either
 * misconfigured or an attack). Literal IP hosts never reach a lookup: see {@link assertAllowedHost}.
 */
export function createCheckedLookup(options: AddressPolicyOptions & { resolve?: Resolver } = {}): LookupFunction {
  const resolve = options.resolve ?? systemResolver;
  return (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (answers) => {
        const wantedFamily = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : undefined;
        const usable = wantedFamily ? answers.filter((a) => a.family === wantedFamily) : [...answers];
        if (usable.length === 0) {
          const error = Object.assign(new Error(`no address found for ${hostname}`), { code: 'ENOTFOUND', hostname });
          callback(error, '', 0);
          return;
        }
        for (const answer of usable) {
          const reason = blockedAddressReason(answer.address, options);
          if (reason) {
            callback(new BlockedAddressError(hostname, answer.address, reason), '', 0);
            return;
          }
        }
        if (lookupOptions.all) {
          callback(null, usable);
        } else {
          const first = usable[0]!;
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/**
 * Refuses a literal IP host (`http://169.254.169.254/`, `https://[::ffff:7f00:1]/`) in a blocked
 * range. Sockets skip the lookup for literal addresses, so this check has to happen separately.
 */
export function assertAllowedHost(hostname: string, options: AddressPolicyOptions = {}): void {
  if (isIP(normalizeHost(hostname)) === 0) return;
  const reason = blockedAddressReason(hostname, options);
  if (reason) throw new BlockedAddressError(hostname, stripBrackets(hostname), reason);
}
