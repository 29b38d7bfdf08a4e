import { Hono } from 'hono';
import { Code } from '../contract/common.ts';
import { CalendarBody, ProductBody, WorkCenterBody } from '../contract/master-data.ts';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody, parseWith } from '../http/validate.ts';
import * as masterData from './service.ts';

export function masterDataRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/calendars', allow(...ALL_ROLES), async (c) => c.json(await masterData.listCalendars(db, c.get('plant').id)))
    .get('/calendars/:code', allow(...ALL_ROLES), async (c) =>
      c.json(await masterData.getCalendar(db, c.get('plant').id, c.req.param('code'))),
    )
    .put('/calendars/:code', allow('planner'), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, CalendarBody);
      await db.transaction().execute((trx) => masterData.putCalendar(trx, actorOf(c), code, body));
      return c.json(await masterData.getCalendar(db, c.get('plant').id, code));
    })
    .get('/work-centers', allow(...ALL_ROLES), async (c) => c.json(await masterData.listWorkCenters(db, c.get('plant').id)))
    .get('/work-centers/:code', allow(...ALL_ROLES), async (c) =>
      c.json(await masterData.getWorkCenter(db, c.get('plant').id, c.req.param('code'))),
    )
    .put('/work-centers/:code', allow('planner'), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, WorkCenterBody);
      await db.transaction().execute((trx) => masterData.putWorkCenter(trx, actorOf(c), code, body));
      return c.json(await masterData.getWorkCenter(db, c.get('plant').id, code));
    })
    .get('/products', allow(...ALL_ROLES), async (c) => c.json(await masterData.listProducts(db, c.get('plant').id)))
    .get('/products/:code', allow(...ALL_ROLES), async (c) =>
      c.json(await masterData.getProduct(db, c.get('plant').id, c.req.param('code'))),
    )
    .put('/products/:code', allow('planner'), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, ProductBody);
      await db.transaction().execute((trx) => masterData.putProduct(trx, actorOf(c), code, body));
      return c.json(await masterData.getProduct(db, c.get('plant').id, code));
    });
}
