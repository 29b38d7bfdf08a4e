import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { ChannelBody, DeliveryListQuery, EmptyBody, SubscriptionBody } from '../contract/channels.ts';
import { Code } from '../contract/common.ts';
import type { Db } from '../db/connect.ts';
import { actorOf } from '../http/actor.ts';
import { jsonBody, parseWith, queryWith } from '../http/validate.ts';
import type { DeliveryDeps } from './delivery.ts';
import { checkChannelBody, getChannel, getSubscription, listChannels, listDeliveries, listSubscriptions, putChannel, putSubscription, replayDelivery, sendTest } from './service.ts';

/** Who reads the delivery log beside admins: managers see whether the plant's messages reach people. */
export const DELIVERY_LOG_ROLES = ['manager'] as const;

/** Channels and subscriptions are admin's (they hold secrets and send the plant's news out of it). */
export function channelRoutes({ db, deps }: { db: Db; deps: DeliveryDeps }) {
  return new Hono()
    .get('/channels', allow(), async (c) => c.json(await listChannels(db, c.get('plant').id)))
    .get('/channels/:code', allow(), async (c) => c.json(await getChannel(db, c.get('plant').id, parseWith(Code, c.req.param('code'), 'code'))))
    .put('/channels/:code', allow(), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, ChannelBody);
      await checkChannelBody(body, deps.allowLoopback);
      return c.json(await db.transaction().execute((trx) => putChannel(trx, actorOf(c), code, body)));
    })
    .post('/channels/:code/test', allow(), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      await jsonBody(c, EmptyBody);
      return c.json(await sendTest(db, c.get('plant').id, code, deps));
    })
    .get('/subscriptions', allow(), async (c) => c.json(await listSubscriptions(db, c.get('plant').id)))
    .get('/subscriptions/:code', allow(), async (c) => c.json(await getSubscription(db, c.get('plant').id, parseWith(Code, c.req.param('code'), 'code'))))
    .put('/subscriptions/:code', allow(), async (c) => {
      const code = parseWith(Code, c.req.param('code'), 'code');
      const body = await jsonBody(c, SubscriptionBody);
      return c.json(await db.transaction().execute((trx) => putSubscription(trx, actorOf(c), code, body)));
    })
    .get('/deliveries', allow(...DELIVERY_LOG_ROLES), async (c) => {
      const q = queryWith(c, DeliveryListQuery);
      return c.json(await listDeliveries(db, c.get('plant').id, { channel: q.channel, state: q.state, limit: q.limit ? Number(q.limit) : 200 }, deps.publicUrl));
    })
    .post('/deliveries/:id/replay', allow(), async (c) => {
      const id = c.req.param('id');
      await jsonBody(c, EmptyBody);
      return c.json(await db.transaction().execute((trx) => replayDelivery(trx, actorOf(c), id, deps.now(), deps.publicUrl)));
    });
}
