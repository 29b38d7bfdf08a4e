import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { ApiError } from '../contract/errors.ts';
import { QuoteBody } from '../contract/quotes.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody } from '../http/validate.ts';
import { createQuote, getQuote, type QuotePlanner } from './service.ts';

/** Who may ask for and read delivery quotes (admin is always allowed). */
export const QUOTE_ROLES = ['sales', 'planner'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function quoteRoutes({ db, planner }: { db: Db; planner: QuotePlanner }) {
  return new Hono()
    .post('/', allow(...QUOTE_ROLES), async (c) => {
      const body = await jsonBody(c, QuoteBody);
      return c.json(await createQuote(db, planner, actorOf(c), body, new Date()), 201);
    })
    .get('/:id', allow(...QUOTE_ROLES), async (c) => {
      const id = c.req.param('id');
      if (!UUID.test(id)) throw ApiError.invalid('id', 'a quote id is a UUID');
      return c.json(await getQuote(db, c.get('plant').id, id));
    });
}
