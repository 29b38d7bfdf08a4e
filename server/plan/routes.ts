import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { PinBatchBody, PinBody, PinListQuery, PinUndoBody, type PinBatchView } from '../contract/plan.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody, queryWith } from '../http/validate.ts';
import { batchMoveField, singleMoveField } from './moves.ts';
import { commitPins, listPins, removePin, undoLastCommit } from './pins.ts';

/** Everyone at a console reads the plan's pins; the Gantt is read-only for all but planners. */
export const PLAN_READERS = ['planner', 'sales', 'lead'] as const;

export function pinRoutes({ db, frozenMinutes }: { db: Db; frozenMinutes: number }) {
  return new Hono()
    .get('/', allow(...PLAN_READERS), async (c) => {
      const q = queryWith(c, PinListQuery);
      return c.json(await listPins(db, c.get('plant').id, q.state));
    })
    .post('/', allow('planner'), async (c) => {
      const { baseVersion, ...move } = await jsonBody(c, PinBody);
      const rules = { now: new Date(), frozenMinutes, field: singleMoveField };
      const [pin] = await db.transaction().execute((trx) => commitPins(trx, actorOf(c), { moves: [move], baseVersion }, rules));
      return c.json(pin, 201);
    })
    .post('/batch', allow('planner'), async (c) => {
      const body = await jsonBody(c, PinBatchBody);
      const rules = { now: new Date(), frozenMinutes, field: batchMoveField };
      const pins = await db.transaction().execute((trx) => commitPins(trx, actorOf(c), body, rules));
      return c.json({ pins } satisfies PinBatchView, 201);
    })
    .post('/undo', allow('planner'), async (c) => {
      const body = await jsonBody(c, PinUndoBody);
      return c.json(await db.transaction().execute((trx) => undoLastCommit(trx, actorOf(c), new Date(), body.commitId)));
    })
    .delete('/:id', allow('planner'), async (c) => {
      const id = c.req.param('id');
      return c.json(await db.transaction().execute((trx) => removePin(trx, actorOf(c), id, new Date())));
    });
}
