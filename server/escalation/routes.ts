import { Hono } from 'hono';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { EscalationLadderBody, EscalationReason } from '../contract/escalation.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody, parseWith } from '../http/validate.ts';
import { listLadders, putLadder } from './service.ts';

export function escalationRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/', allow(...ALL_ROLES), async (c) => c.json(await listLadders(db, c.get('plant').id)))
    .put('/:reason', allow('planner'), async (c) => {
      const reason = parseWith(EscalationReason, c.req.param('reason'), 'reason');
      const body = await jsonBody(c, EscalationLadderBody);
      return c.json(await db.transaction().execute((trx) => putLadder(trx, actorOf(c), reason, body)));
    });
}
