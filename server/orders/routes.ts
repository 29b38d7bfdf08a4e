import { Hono } from 'hono';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { OrderBody, OrderListQuery, OrderPatch, OrderShipBody } from '../contract/orders.ts';
import type { Db } from '../db/connect.ts';
import { transact } from '../db/transact.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody, queryWith } from '../http/validate.ts';
import { createOrder, getOrder, listOrders } from './service.ts';
import { shipOrder } from './ship.ts';
import { updateOrder } from './update.ts';

export function orderRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/', allow(...ALL_ROLES), async (c) => {
      const q = queryWith(c, OrderListQuery);
      return c.json(
        await listOrders(db, c.get('plant').id, {
          status: q.status,
          late: q.late === undefined ? undefined : q.late === 'true',
          shipped: q.shipped === undefined ? undefined : q.shipped === 'true',
          product: q.product,
          customer: q.customer,
          workCenter: q.workCenter,
          limit: q.limit ? Number(q.limit) : undefined,
        }),
      );
    })
    .post('/', allow('planner', 'sales'), async (c) => {
      const body = await jsonBody(c, OrderBody);
      await db.transaction().execute((trx) => createOrder(trx, actorOf(c), body));
      return c.json(await getOrder(db, c.get('plant').id, body.code), 201);
    })
    .get('/:code', allow(...ALL_ROLES), async (c) => c.json(await getOrder(db, c.get('plant').id, c.req.param('code'))))
    .patch('/:code', allow('planner', 'sales'), async (c) => {
      const body = await jsonBody(c, OrderPatch);
      const code = c.req.param('code');
      // A due-date change meets a floor press or a plan being saved on the same rows: a deadlock is retried.
      await transact(db, (trx) => updateOrder(trx, actorOf(c), code, body), { log: console.error, what: 'PATCH /orders' });
      return c.json(await getOrder(db, c.get('plant').id, code));
    })
    .post('/:code/ship', allow('warehouse'), async (c) => {
      await jsonBody(c, OrderShipBody);
      const code = c.req.param('code');
      await db.transaction().execute((trx) => shipOrder(trx, actorOf(c), code, new Date()));
      return c.json(await getOrder(db, c.get('plant').id, code));
    });
}
