import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError, errorCodes, type ErrorBody, type ErrorCode } from '../contract/errors.ts';
import { failedAfterDeadline } from './answer-deadline.ts';
import { forLog } from './storable-text.ts';

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * The database is down or restarting, not the request wrong: PostgreSQL's connection-exception class
 * (08), its shutdown and start-up states (57P01-57P03), and the client's own view of a lost socket.
 */
const DATABASE_DOWN = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT']);

export function isDatabaseDown(error: unknown): boolean {
  const code = pgCode(error);
  return code !== undefined && (DATABASE_DOWN.has(code) || code.startsWith('08'));
}

/** Maps any thrown value to the one error shape. Database conflicts the services did not foresee
 *  still become a 409 rather than a 500, because the request was well-formed but collided. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new ApiError(413, 'payload_too_large', 'request body too large');
    return new ApiError(error.status === 401 ? 401 : 400, error.status === 401 ? 'unauthorized' : 'bad_request', error.message);
  }
  if (isDatabaseDown(error)) return new ApiError(503, 'database_unavailable', 'the database is unavailable; retry shortly');
  const code = pgCode(error);
  if (code === '23505') return new ApiError(409, 'conflict', 'a record with this key already exists');
  if (code === '40001' || code === '40P01') return new ApiError(409, 'conflict', 'concurrent update, retry');
  return new ApiError(500, 'internal', 'internal error');
}

export function onError(error: Error, c: Context): Response {
  const apiError = toApiError(error);
  if (failedAfterDeadline(c, error)) {
    console.error(`[api] ${c.req.method} ${forLog(c.req.path)}: finished after its 503 (${forLog(error.message)})`);
    return c.json({ error: { code: 'database_unavailable', message: 'answered already' } } satisfies ErrorBody, 503);
  }
  // A database outage is one line per request: the restart is logged where it happens.
  if (apiError.code === 'database_unavailable') console.error(`[api] ${c.req.method} ${forLog(c.req.path)}: database unavailable (${pgCode(error) ?? forLog(error.message)})`);
  else if (apiError.status >= 500) console.error('[api]', c.req.method, forLog(c.req.path), error);
  // Client-side codes never come from the server; a stray one is reported as internal.
  const code = (errorCodes as readonly string[]).includes(apiError.code) ? (apiError.code as ErrorCode) : 'internal';
  const body: ErrorBody = { error: { code, message: apiError.message } };
  if (apiError.field) body.error.field = apiError.field;
  if (apiError.details !== undefined) body.error.details = apiError.details;
  return c.json(body, apiError.status as ContentfulStatusCode);
}
