import { SubscriptionFilter } from '../contract/channels.ts';
import type { Db } from '../db/connect.ts';
import { jsonb } from '../db/jsonb.ts';
import { newDeliveryId, scheduleDelivery } from './delivery.ts';
import { noticeFacts } from './facts.ts';
import { subscriptionPicks } from './matching.ts';

export const ROUTE_TASK = 'channels_route';

/**
 * Sends one notice where the plant's subscriptions ask (the route job, added by the notification
 * table's trigger for every insert): one delivery and one delivery job per subscription that picks
 * it. Run twice, it adds nothing (one delivery per subscription and notice).
 */
export async function routeNotification(db: Db, notificationId: string, now: Date): Promise<string[]> {
  const facts = await noticeFacts(db, notificationId);
  if (!facts) return [];
  return await db.transaction().execute(async (trx) => {
    const notice = await trx.selectFrom('notification').select('plant_id').where('id', '=', notificationId).executeTakeFirstOrThrow();
    const subscriptions = await trx
      .selectFrom('subscription as s')
      .innerJoin('channel as c', 'c.id', 's.channel_id')
      .select(['s.id', 's.channel_id', 's.kinds', 's.filter'])
      .where('s.plant_id', '=', notice.plant_id)
      .where('s.enabled', '=', true)
      .where('c.enabled', '=', true)
      .orderBy('s.id')
      .execute();
    const ids: string[] = [];
    for (const s of subscriptions) {
      const filter = SubscriptionFilter.safeParse(s.filter);
      if (!filter.success || !subscriptionPicks({ kinds: s.kinds, filter: filter.data }, facts)) continue;
      const inserted = await trx
        .insertInto('delivery')
        .values({ id: newDeliveryId(), plant_id: notice.plant_id, channel_id: s.channel_id, subscription_id: s.id, notification_id: notificationId, kind: facts.kind, facts: jsonb(facts), created_at: now, next_attempt_at: now })
        .onConflict((oc) => oc.columns(['subscription_id', 'notification_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      await scheduleDelivery(trx, inserted.id, now);
      ids.push(inserted.id);
    }
    return ids;
  });
}
