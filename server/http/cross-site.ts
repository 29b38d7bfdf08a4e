import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../contract/errors.ts';
import { isCrossSite } from './request-origin.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated changes must come from our own pages (CSRF). A request with a Bearer header
 * is exempt: another site's page cannot set that header without a CORS preflight, which we never
 * grant. Login is covered too, so no other site can sign a browser into an account of its choosing.
 */
export function refuseCrossSite(trustProxy: boolean): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && !c.req.header('authorization') && isCrossSite(c, trustProxy)) {
      throw new ApiError(403, 'forbidden', 'cross-site request refused: changes must come from this server\'s own pages');
    }
    await next();
  };
}
