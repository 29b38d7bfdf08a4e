import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Role } from '../contract/auth.ts';
import type { Db } from '../db/connect.ts';
import { ApiError } from '../http/api-error.ts';
import { findPrincipal, type Principal } from './tokens.ts';

export const SESSION_COOKIE = 'takt_session';

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/**
 * Resolves who is calling: a Bearer token, the console's session cookie, or (for EventSource and
 * TV boards, which cannot set headers) an `access_token` query parameter on GET requests.
 * Lookups are cached for a few seconds because every board request would otherwise hit the DB.
 */
export function authenticate(options: { db: Db; cacheMs?: number }): MiddlewareHandler {
  const cacheMs = options.cacheMs ?? 5000;
  const cache = new Map<string, { principal: Principal | null; until: number }>();
  return async (c, next) => {
    const header = c.req.header('authorization');
    let secret: string | undefined;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new ApiError(401, 'unauthorized', 'Authorization header must be "Bearer <token>"');
      secret = match[1];
    } else {
      secret = getCookie(c, SESSION_COOKIE) ?? (c.req.method === 'GET' ? c.req.query('access_token') : undefined);
    }
    if (!secret) throw new ApiError(401, 'unauthorized', 'missing bearer token');
    const now = Date.now();
    let hit = cache.get(secret);
    if (!hit || hit.until < now) {
      hit = { principal: await findPrincipal(options.db, secret), until: now + cacheMs };
      if (cache.size > 10_000) cache.clear();
      cache.set(secret, hit);
    }
    if (!hit.principal) throw new ApiError(401, 'unauthorized', 'invalid or expired token');
    c.set('principal', hit.principal);
    await next();
  };
}

/** Every endpoint states the roles it allows; admin is always allowed. */
export function allow(...roles: Role[]): MiddlewareHandler {
  const allowed = new Set<Role>(['admin', ...roles]);
  return async (c, next) => {
    const principal = c.get('principal');
    if (!allowed.has(principal.role)) {
      throw new ApiError(403, 'forbidden', `role '${principal.role}' may not do this (allowed: ${[...allowed].join(', ')})`);
    }
    await next();
  };
}

export const ALL_ROLES: Role[] = ['admin', 'planner', 'sales', 'lead', 'worker', 'display'];
