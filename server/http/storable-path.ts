import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../contract/errors.ts';
import { isStorableText } from './storable-text.ts';

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not valid UTF-8 percent-encoding: routers keep it raw, so it is plain text
  }
}

/**
 * Path parameters reach handlers decoded (`%00` becomes NUL), before any schema: every request's
 * path is checked here once, and a segment that cannot be stored is a 400 naming it by position.
 */
export const rejectUnstorablePath: MiddlewareHandler = async (c, next) => {
  const segments = c.req.path.split('/');
  const bad = segments.findIndex((s) => !isStorableText(decoded(s)));
  if (bad >= 0) {
    throw ApiError.invalid('path', `path segment ${bad} contains a NUL character or an unpaired surrogate, which cannot be stored`);
  }
  await next();
};
