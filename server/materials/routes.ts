import { Hono } from 'hono';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { Code } from '../contract/common.ts';
import { ArrivalBody, ComponentBody, ComponentListQuery, CountBody, DEFAULT_PICKING_HOURS, PickingQuery, ReceiptBody } from '../contract/materials.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody, parseWith, queryWith } from '../http/validate.ts';
import * as materials from './service.ts';

/** Who keeps component master data and arrival estimates (admin is always allowed). */
export const COMPONENT_ROLES = ['purchasing', 'planner'] as const;
/** Who books goods received. */
export const RECEIPT_ROLES = ['warehouse', 'purchasing'] as const;
/** Who posts a stock count (the warehouse counts; it may not change a component's master data). */
export const COUNT_ROLES = ['warehouse', 'purchasing'] as const;

export function materialRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/components', allow(...ALL_ROLES), async (c) => {
      const q = queryWith(c, ComponentListQuery);
      return c.json(await materials.listComponents(db, c.get('plant').id, { belowReorder: q.belowReorder === 'true' }));
    })
    .get('/components/:code', allow(...ALL_ROLES), async (c) => c.json(await materials.getComponent(db, c.get('plant').id, c.req.param('code'))))
    .put('/components/:code', allow(...COMPONENT_ROLES), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, ComponentBody);
      await db.transaction().execute((trx) => materials.putComponent(trx, actorOf(c), code, body, new Date()));
      return c.json(await materials.getComponent(db, c.get('plant').id, code));
    })
    .post('/components/:code/receipts', allow(...RECEIPT_ROLES), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, ReceiptBody);
      const result = await db.transaction().execute((trx) => materials.receive(trx, actorOf(c), code, body, new Date()));
      return c.json(result, result.duplicate ? 200 : 201);
    })
    .post('/components/:code/counts', allow(...COUNT_ROLES), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, CountBody);
      const result = await db.transaction().execute((trx) => materials.count(trx, actorOf(c), code, body, new Date()));
      return c.json(result, result.duplicate ? 200 : 201);
    })
    .post('/components/:code/arrival', allow(...COMPONENT_ROLES), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, ArrivalBody);
      return c.json(await db.transaction().execute((trx) => materials.setArrival(trx, actorOf(c), code, body, new Date())));
    })
    .get('/shortages', allow(...ALL_ROLES), async (c) => c.json(await materials.listShortages(db, c.get('plant').id)))
    .get('/picking', allow(...ALL_ROLES), async (c) => {
      const q = queryWith(c, PickingQuery);
      return c.json(await materials.pickingList(db, c.get('plant').id, new Date(), q.hours ? Number(q.hours) : DEFAULT_PICKING_HOURS));
    });
}
