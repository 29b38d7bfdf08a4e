import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../contract/errors.ts';

/**
 * Requests already answered by the deadline. What their handlers do when the database comes back
 * fails in ways of no interest (the request body was discarded with the answer, say): the error
 * handler says so in one line instead of reporting a 500 nobody received.
 */
const answeredLate = new WeakMap<Context, Error>();

/** Whether `error` is a late failure of a request the deadline answered (not the deadline's own 503). */
export const failedAfterDeadline = (c: Context, error: Error): boolean => answeredLate.has(c) && answeredLate.get(c) !== error;

/**
 * Every request is answered within `ms`. What can hold one that long is the database: a lock held by
 * a stuck transaction, or (postgres.js) a query stranded on a connection the database dropped, which
 * never settles by itself. The client gets 503 `database_unavailable` and retries (floor events are
 * idempotent by their id, so a write that still lands later is counted once); the work left behind
 * is not awaited.
 */
export function answerDeadline(ms: number): MiddlewareHandler {
  return async (c, next) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const work = next();
    work.catch(() => {}); // lost the race: its outcome no longer has anyone to answer
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ApiError(503, 'database_unavailable', `no answer from the database within ${ms} ms; retry shortly`);
        answeredLate.set(c, error);
        reject(error);
      }, ms);
    });
    try {
      await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}
