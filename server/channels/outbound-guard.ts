import { lookup as lookupCallback, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';

/**
 * Outbound requests may reach the plant's LAN (an on-premises ERP lives there) but not this machine
 * or the link-local range (cloud metadata services): a channel URL must not turn Takt into a proxy.
 * Checked at PUT time, before every send, and at connect time on the very address connected to: a
 * name that resolved to the LAN for the check and to 127.0.0.1 a moment later (DNS rebinding) is
 * refused at the socket (guardedLookup); e-mail connects to the address it checked (pinnedHost).
 */
export function refusedAddress(address: string): string | null {
  const v4 = mappedV4(address.toLowerCase()) ?? address;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split('.').map(Number) as [number, number];
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 0) return 'unspecified';
    return null;
  }
  const v6 = address.toLowerCase();
  if (v6 === '::1') return 'loopback';
  if (v6 === '::') return 'unspecified';
  if (/^fe[89ab][0-9a-f]:/.test(v6)) return 'link-local';
  return null;
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:127.0.0.1, also written ::ffff:7f00:1). */
function mappedV4(address: string): string | null {
  if (!address.startsWith('::ffff:')) return null;
  const tail = address.slice(7);
  if (isIP(tail) === 4) return tail;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

const refusal = (host: string, address: string, why: string) => `${host} resolves to ${address}, a ${why} address (TAKT_OUTBOUND_ALLOW_LOOPBACK=true allows it)`;

/** The first refused address of a resolution, as a sentence, or null. */
function refusedAmong(host: string, addresses: readonly string[]): string | null {
  for (const address of addresses) {
    const why = refusedAddress(address);
    if (why) return refusal(host, address, why);
  }
  return null;
}

/**
 * Resolves an outbound host once and checks every address: `refused` says why it may not be reached,
 * else `address` is the one to connect to and `name` the host name TLS verifies (null for an IP).
 * `allowLoopback` is TAKT_OUTBOUND_ALLOW_LOOPBACK.
 */
export async function pinnedHost(host: string, allowLoopback: boolean): Promise<{ refused: string } | { refused: null; address: string; name: string | null }> {
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
  } catch (e) {
    return { refused: `cannot resolve ${bare}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const refused = allowLoopback ? null : refusedAmong(bare, addresses);
  if (refused) return { refused };
  if (addresses.length === 0) return { refused: `cannot resolve ${bare}: no address` };
  return { refused: null, address: addresses[0]!, name: isIP(bare) ? null : bare };
}

/** Why an outbound host may not be reached, or null. */
export async function refusedHost(host: string, allowLoopback: boolean): Promise<string | null> {
  if (allowLoopback) return null;
  return (await pinnedHost(host, false)).refused;
}

/**
 * A DNS lookup for sockets (http.request's `lookup`) that refuses loopback and link-local answers:
 * the check and the connect see one and the same resolution. Addresses given as IP literals never
 * reach a lookup; refusedUrl has checked them.
 */
export function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookupCallback(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = allowLoopback ? null : refusedAmong(hostname, addresses.map((a) => a.address));
      if (refused) return callback(Object.assign(new Error(refused), { code: 'EADDRREFUSED' }), '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`cannot resolve ${hostname}: no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** Why an outbound URL may not be called (not http(s), or a refused host), or null. */
export async function refusedUrl(url: string, allowLoopback: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be http or https';
  if (parsed.username || parsed.password) return 'must not carry credentials (use secret)';
  return await refusedHost(parsed.hostname, allowLoopback);
}
