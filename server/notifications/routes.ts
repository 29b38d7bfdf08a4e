import { Hono } from 'hono';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { NotificationListQuery, NotificationReadBody } from '../contract/notifications.ts';
import type { Db } from '../db/connect.ts';
import { jsonBody, queryWith } from '../http/validate.ts';
import { listNotifications, markRead } from './service.ts';

export function notificationRoutes({ db }: { db: Db }) {
  return new Hono()
    .get('/', allow(...ALL_ROLES), async (c) => {
      const q = queryWith(c, NotificationListQuery);
      const principal = c.get('principal');
      return c.json(
        await listNotifications(db, c.get('plant').id, {
          unread: q.unread === 'true',
          audience: q.audience,
          for: q.for === 'me' ? { role: principal.role, name: principal.name } : undefined,
          limit: q.limit ? Number(q.limit) : 100,
        }),
      );
    })
    .post('/:id/read', allow(...ALL_ROLES), async (c) => {
      await jsonBody(c, NotificationReadBody);
      const id = c.req.param('id');
      return c.json(await db.transaction().execute((trx) => markRead(trx, c.get('plant').id, id, new Date())));
    });
}
