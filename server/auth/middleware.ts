import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { roles, type Role } from '../contract/auth.ts';
import type { Db } from '../db/connect.ts';
import { ApiError } from '../contract/errors.ts';
import { findPrincipal, type Principal } from './tokens.ts';

export const SESSION_COOKIE = 'takt_session';

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/**
 * Token lookups, cached for a few seconds because every board request would otherwise hit the DB.
 * One cache is shared by every `authenticate` of an app so that logout can drop a session from all
 * of them: otherwise a revoked session stays usable in this process until its entry expires.
 */
export class PrincipalCache {
  readonly ttlMs: number;
  readonly #entries = new Map<string, { principal: Principal | null; until: number }>();

  constructor(ttlMs = 5000) {
    this.ttlMs = ttlMs;
  }

  get(secret: string, now: number): Principal | null | undefined {
    const hit = this.#entries.get(secret);
    return hit && hit.until >= now ? hit.principal : undefined;
  }

  set(secret: string, principal: Principal | null, now: number): void {
    if (this.#entries.size > 10_000) this.#entries.clear();
    this.#entries.set(secret, { principal, until: now + this.ttlMs });
  }

  /** Forgets a revoked token (logout). Other server processes still hold it for up to `ttlMs`. */
  forgetToken(tokenId: number): void {
    for (const [secret, entry] of this.#entries) if (entry.principal?.tokenId === tokenId) this.#entries.delete(secret);
  }
}

function secretOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'Authorization header must be "Bearer <token>"');
    return match[1];
  }
  return getCookie(c, SESSION_COOKIE) ?? (c.req.method === 'GET' ? c.req.query('access_token') : undefined);
}

/**
 * Who is calling: a Bearer token, the console's session cookie, or (for EventSource and TV boards,
 * which cannot set headers) an `access_token` query parameter on GET requests. Null: nobody valid.
 */
export async function identify(c: Context, db: Db, cache: PrincipalCache): Promise<Principal | null> {
  const secret = secretOf(c);
  if (!secret) return null;
  const now = Date.now();
  let principal = cache.get(secret, now);
  if (principal === undefined) {
    principal = await findPrincipal(db, secret);
    cache.set(secret, principal, now);
  }
  return principal;
}

/** Requires a valid caller (see identify) and puts it on the context. */
export function authenticate(options: { db: Db; cache?: PrincipalCache; cacheMs?: number }): MiddlewareHandler {
  const cache = options.cache ?? new PrincipalCache(options.cacheMs);
  return async (c, next) => {
    if (!secretOf(c)) throw new ApiError(401, 'unauthorized', 'missing bearer token');
    const principal = await identify(c, options.db, cache);
    if (!principal) throw new ApiError(401, 'unauthorized', 'invalid or expired token');
    c.set('principal', principal);
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

export const ALL_ROLES: Role[] = [...roles];
