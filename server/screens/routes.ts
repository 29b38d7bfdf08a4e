import { Hono } from 'hono';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { ScreenHeartbeatBody, type ScreenHeartbeatView } from '../contract/screens.ts';
import type { Db } from '../db/connect.ts';
import { jsonBody } from '../http/validate.ts';
import { recordHeartbeat } from './heartbeat.ts';

export function screenRoutes({ db }: { db: Db }) {
  return new Hono().post('/heartbeat', allow(...ALL_ROLES), async (c) => {
    const body = await jsonBody(c, ScreenHeartbeatBody);
    const now = new Date();
    await db.transaction().execute((trx) => recordHeartbeat(trx, c.get('plant').id, body, now));
    // Read after the write: the closer to the answer leaving, the smaller the screen's offset error.
    return c.json({ serverTime: new Date().toISOString() } satisfies ScreenHeartbeatView);
  });
}
