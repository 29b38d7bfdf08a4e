import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { FloorEventBody } from '../contract/floor-events.ts';
import type { Db } from '../db/connect.ts';
import { transact } from '../db/transact.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody } from '../http/validate.ts';
import { recordFloorEvent } from './service.ts';

export function floorEventRoutes({ db }: { db: Db }) {
  return new Hono().post('/', allow('lead', 'worker'), async (c) => {
    const body = await jsonBody(c, FloorEventBody);
    const result = await transact(db, (trx) => recordFloorEvent(trx, actorOf(c), body, new Date()), { log: console.error, what: 'POST /events' });
    return c.json(result, result.duplicate ? 200 : 201);
  });
}
