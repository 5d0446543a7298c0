/**
 * One normalization of a URL's host, shared by the subscribe-time URL check and the
 * connection-time address policy, so that both judge the same thing. Spellings that reach the
 * same place must compare equal: `localhost.` (a fully qualified name with its root dot) is
 * `localhost`; `::127.0.0.1` (IPv4-compatible IPv6) and `::ffff:127.0.0.1` (IPv4-mapped) are
 * `127.0.0.1`; `2130706433`, `0177.0.0.1` and `0x7f.1` are `127.0.0.1` too (WHATWG URL parsing
 * already turns those into dotted form; a raw host string is put through the same parser).
 */

/**
 * The host as compared by the webhook policies: lower case, without brackets, zone id or trailing
 * dots; an IPv4 address in any spelling (integer, octal, hex, IPv4-mapped or IPv4-compatible
 * IPv6) as dotted decimal; other IPv6 addresses in their compressed form.
 *
 * @example
 * normalizeHost('[::127.0.0.1]'); // '127.0.0.1'
 * normalizeHost('LocalHost.'); // 'localhost'
 */
export function normalizeHost(hostname: string): string {
  let host = hostname.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = host.replace(/%.*$/, '');
  if (host.includes(':')) return ipv6Host(host);
  host = host.replace(/\.+$/, '');
  // Integer, octal and hex IPv4 forms, as a URL parser reads them.
  if (/^[0-9a-fx.]+$/.test(host) && /^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}$/.test(host)) {
    try {
      return new URL(`http://${host}/`).hostname;
    } catch {
      return host;
    }
  }
  return host;
}

/** `localhost`, a name under `.localhost` (RFC 6761), 127.0.0.0/8 or ::1, in any spelling. */
export function isLoopbackHost(hostname: string): boolean {
  const host = normalizeHost(hostname);
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function ipv6Host(host: string): string {
  let canonical: string;
  try {
    canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return host;
  }
  const words = hextets(canonical);
  if (words.length !== 8) return canonical;
  const zeros = (n: number): boolean => words.slice(0, n).every((w) => w === 0);
  const tail = `${words[6]! >> 8}.${words[6]! & 0xff}.${words[7]! >> 8}.${words[7]! & 0xff}`;
  if (zeros(5) && words[5] === 0xffff) return tail;
  // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291); `::` and `::1` are IPv6's own.
  if (zeros(6) && (words[6] !== 0 || words[7]! > 1)) return tail;
  return canonical;
}

function hextets(ipv6: string): number[] {
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', tail] = ipv6.split('::');
  if (tail === undefined) return groups(head);
  const before = groups(head);
  const after = groups(tail);
  return [...before, ...Array<number>(Math.max(0, 8 - before.length - after.length)).fill(0), ...after];
}
