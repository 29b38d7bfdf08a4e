import { Hono } from 'hono';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { AndonAcknowledgeBody, AndonBody, AndonListQuery, AndonResolveBody } from '../contract/andon.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody, queryWith } from '../http/validate.ts';
import { acknowledgeAndon, getAndon, listAndon, raiseAndon, resolveAndon } from './service.ts';

export function andonRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/', allow(...ALL_ROLES), async (c) => {
      const q = queryWith(c, AndonListQuery);
      return c.json(
        await listAndon(db, c.get('plant').id, { state: q.state, workCenter: q.workCenter, limit: q.limit ? Number(q.limit) : undefined }),
      );
    })
    .get('/:id', allow(...ALL_ROLES), async (c) => c.json(await getAndon(db, c.get('plant').id, c.req.param('id'))))
    .post('/', allow('lead', 'worker'), async (c) => {
      const body = await jsonBody(c, AndonBody);
      const result = await db.transaction().execute((trx) => raiseAndon(trx, actorOf(c), body, new Date()));
      return c.json({ ...result.andon, duplicate: result.duplicate }, result.duplicate ? 200 : 201);
    })
    .post('/:id/acknowledge', allow('lead'), async (c) => {
      const body = await jsonBody(c, AndonAcknowledgeBody);
      const id = c.req.param('id');
      return c.json(await db.transaction().execute((trx) => acknowledgeAndon(trx, actorOf(c), id, body, new Date())));
    })
    .post('/:id/resolve', allow('lead'), async (c) => {
      const body = await jsonBody(c, AndonResolveBody);
      const id = c.req.param('id');
      return c.json(await db.transaction().execute((trx) => resolveAndon(trx, actorOf(c), id, body, new Date())));
    });
}
