import { Hono } from 'hono';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { AndonAcknowledgeBody, AndonBody, AndonCancelBody, AndonEstimateBody, AndonListQuery, AndonResolveBody, type AndonRaised } from '../contract/andon.ts';
import { AndonFiguresQuery } from '../contract/escalation.ts';
import type { Db } from '../db/connect.ts';
import { transact } from '../db/transact.ts';
import { actorOf } from '../http/actor.ts';
import { ApiError } from '../contract/errors.ts';
import { jsonBody, queryWith } from '../http/validate.ts';
import { andonFigures } from './figures.ts';
import { acknowledgeAndon, cancelAndon, estimateAndon, resolveAndon } from './lifecycle.ts';
import { getAndon, listAndon, raiseAndon } from './service.ts';

const DEFAULT_FIGURES_DAYS = 7;

export function andonRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/', allow(...ALL_ROLES), async (c) => {
      const q = queryWith(c, AndonListQuery);
      return c.json(
        await listAndon(db, c.get('plant').id, { state: q.state, workCenter: q.workCenter, limit: q.limit ? Number(q.limit) : undefined }),
      );
    })
    // Before /:id, which would otherwise take "figures" for an alert id.
    .get('/figures', allow(...ALL_ROLES), async (c) => {
      const q = queryWith(c, AndonFiguresQuery);
      const to = q.to ? new Date(q.to) : new Date();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_FIGURES_DAYS * 86_400_000);
      if (from.getTime() >= to.getTime()) throw ApiError.invalid(q.from ? 'from' : 'to', 'from must be before to');
      return c.json(await andonFigures(db, c.get('plant').id, from, to));
    })
    .get('/:id', allow(...ALL_ROLES), async (c) => c.json(await getAndon(db, c.get('plant').id, c.req.param('id'))))
    .post('/', allow('lead', 'worker'), async (c) => {
      const body = await jsonBody(c, AndonBody);
      const result = await transact(db, (trx) => raiseAndon(trx, actorOf(c), body, new Date()), { log: console.error, what: 'POST /andon' });
      return c.json({ ...result.andon, duplicate: result.duplicate } satisfies AndonRaised, result.duplicate ? 200 : 201);
    })
    // Worker tokens too (a station tablet), but only for an identified lead operator: see the service.
    // QC too, for quality alerts only (see the lifecycle).
    .post('/:id/acknowledge', allow('lead', 'worker', 'qc'), async (c) => {
      const body = await jsonBody(c, AndonAcknowledgeBody);
      const id = c.req.param('id');
      return c.json(await db.transaction().execute((trx) => acknowledgeAndon(trx, actorOf(c), id, body, new Date())));
    })
    .post('/:id/resolve', allow('lead', 'worker', 'qc'), async (c) => {
      const body = await jsonBody(c, AndonResolveBody);
      const id = c.req.param('id');
      return c.json(await db.transaction().execute((trx) => resolveAndon(trx, actorOf(c), id, body, new Date())));
    })
    // Workers too, but the service limits them to their own alert within two minutes.
    .post('/:id/cancel', allow('lead', 'worker'), async (c) => {
      const body = await jsonBody(c, AndonCancelBody);
      const id = c.req.param('id');
      return c.json(await db.transaction().execute((trx) => cancelAndon(trx, actorOf(c), id, body, new Date())));
    })
    // Purchasing enters material arrivals (material andons only, checked in estimateAndon); planners
    // stand in for it; leads re-estimate repairs.
    .post('/:id/estimate', allow('planner', 'lead', 'purchasing'), async (c) => {
      const body = await jsonBody(c, AndonEstimateBody);
      const id = c.req.param('id');
      return c.json(await db.transaction().execute((trx) => estimateAndon(trx, actorOf(c), id, body, new Date())));
    });
}
