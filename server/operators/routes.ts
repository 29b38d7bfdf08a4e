import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { IdentifyBody, OperatorBody, OperatorCode } from '../contract/operators.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { ApiError } from '../contract/errors.ts';
import { jsonBody, parseWith } from '../http/validate.ts';
import { FailureLimiter, getOperator, identifyOperator, listOperators, putOperator } from './service.ts';

export function operatorRoutes({ db, limiter = new FailureLimiter({ max: 10, windowMs: 5 * 60_000 }) }: { db: Db; limiter?: FailureLimiter }) {
  return new Hono()
    .get('/', allow('planner', 'lead'), async (c) => c.json(await listOperators(db, c.get('plant').id)))
    .post('/identify', allow('worker', 'lead'), async (c) => {
      const body = await jsonBody(c, IdentifyBody);
      if (body.pin === undefined && body.badge === undefined) throw ApiError.invalid('pin', 'pin or badge is required');
      if (body.pin !== undefined && body.badge !== undefined) throw ApiError.invalid('badge', 'send pin or badge, not both');
      const credential = body.pin !== undefined ? { kind: 'pin' as const, value: body.pin } : { kind: 'badge' as const, value: body.badge! };
      // Per token: a station tablet that keeps guessing is slowed down, other stations are not.
      const key = String(c.get('principal').tokenId);
      if (limiter.blocked(key, Date.now())) {
        throw new ApiError(429, 'rate_limited', 'too many failed attempts; wait a few minutes', credential.kind);
      }
      const identity = await identifyOperator(db, { plantId: c.get('plant').id, tokenId: c.get('principal').tokenId }, credential, Date.now());
      if (!identity) {
        limiter.fail(key, Date.now());
        throw new ApiError(401, 'unauthorized', `unknown ${credential.kind}`, credential.kind);
      }
      return c.json(identity);
    })
    .get('/:code', allow('planner', 'lead'), async (c) => c.json(await getOperator(db, c.get('plant').id, c.req.param('code'))))
    .put('/:code', allow('planner'), async (c) => {
      const code = parseWith(OperatorCode, c.req.param('code'), 'code');
      const body = await jsonBody(c, OperatorBody);
      return c.json(await db.transaction().execute((trx) => putOperator(trx, actorOf(c), code, body)));
    });
}
