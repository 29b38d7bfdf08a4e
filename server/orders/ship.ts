import { ApiError } from '../contract/errors.ts';
import type { Trx } from '../db/connect.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { publish } from '../outbox/stream-messages.ts';

/**
 * The warehouse ships a finished order: it leaves the "to ship" list on every warehouse screen. A
 * second press (two clerks, a retried request) finds it shipped and changes nothing: the first
 * shipment's time and clerk stay, and the event log has one `order.shipped`.
 */
export async function shipOrder(trx: Trx, actor: Actor, code: string, now: Date): Promise<void> {
  const row = await trx
    .selectFrom('customer_order')
    .select(['id', 'status', 'shipped_at'])
    .where('plant_id', '=', actor.plantId)
    .where('code', '=', code)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!row) throw ApiError.notFound('order', code);
  if (row.status !== 'completed') throw new ApiError(409, 'invalid_state', `order '${code}' is ${row.status}: only a completed order can be shipped`, 'code');
  if (row.shipped_at) return;
  await trx.updateTable('customer_order').set({ shipped_at: now, shipped_by: actor.name }).where('id', '=', row.id).execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'order.shipped', actor: actor.name, subject: code, payload: { shippedAt: now.toISOString() } });
  await publish(trx, actor.plantId, [{ topic: 'order', cause: code, data: { type: 'order.shipped', order: code, shippedAt: now.toISOString() } }]);
}
