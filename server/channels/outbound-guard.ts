import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Outbound requests may reach the plant's LAN (an on-premises ERP lives there) but not this machine
 * or the link-local range (cloud metadata services): a channel URL must not turn Takt into a proxy.
 * Checked at PUT time and again before every send, since DNS may change in between.
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

/** Why an outbound host may not be reached, or null. `allowLoopback` is TAKT_OUTBOUND_ALLOW_LOOPBACK. */
export async function refusedHost(host: string, allowLoopback: boolean): Promise<string | null> {
  if (allowLoopback) return null;
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
  } catch (e) {
    return `cannot resolve ${bare}: ${e instanceof Error ? e.message : String(e)}`;
  }
  for (const address of addresses) {
    const why = refusedAddress(address);
    if (why) return `${bare} resolves to ${address}, a ${why} address (TAKT_OUTBOUND_ALLOW_LOOPBACK=true allows it)`;
  }
  return null;
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
