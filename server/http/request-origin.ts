import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * Where the browser thinks it is talking to. Behind a TLS-terminating proxy the server itself sees
 * plain http on an inner host; with `TAKT_TRUST_PROXY` the proxy's X-Forwarded-Proto/-Host say what
 * the browser used. Without it those headers are ignored: anyone could send them.
 */
export function publicOrigin(c: Context, trustProxy: boolean): { protocol: string; origin: string } {
  const url = new URL(c.req.url);
  const forwardedProto = trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
  const forwardedHost = trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  const protocol = forwardedProto ? `${forwardedProto}:` : url.protocol;
  const host = forwardedHost ?? c.req.header('host') ?? url.host;
  return { protocol, origin: `${protocol}//${host}` };
}

/**
 * A request a browser sent from another site. Browsers mark every request with Sec-Fetch-Site (and
 * cross-origin POSTs with Origin); a client that sends neither is not a browser, so no other site's
 * page can have made it carry our cookie.
 */
export function isCrossSite(c: Context, trustProxy: boolean): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = c.req.header('origin');
  if (!origin) return false;
  return origin !== publicOrigin(c, trustProxy).origin;
}

/** The caller's address: the proxy's X-Forwarded-For (first hop) when trusted, else the socket's. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not on a Node socket
  }
}
