import { ApiError } from '../contract/errors.ts';
import type { OrderPatch } from '../contract/orders.ts';
import type { Trx } from '../db/connect.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { publish } from '../outbox/stream-messages.ts';

interface Terms {
  dueAt: string;
  releaseAt: string | null;
  priority: number;
}

/** The changed fields only, before and after: what the audit shows as "due 3 May -> 5 May". */
function changes(before: Terms, after: Terms): { before: Partial<Terms>; after: Partial<Terms> } | null {
  const was: Partial<Terms> = {};
  const now: Partial<Terms> = {};
  for (const key of ['dueAt', 'releaseAt', 'priority'] as const) {
    if (before[key] !== after[key]) {
      Object.assign(was, { [key]: before[key] });
      Object.assign(now, { [key]: after[key] });
    }
  }
  return Object.keys(now).length ? { before: was, after: now } : null;
}

/**
 * Changes an open order's due date, release or priority. The event log keeps who changed what from
 * what to what (`order.updated`), in the same transaction as the change; an unchanged PATCH writes
 * nothing and plans nothing.
 */
export async function updateOrder(trx: Trx, actor: Actor, code: string, patch: OrderPatch): Promise<void> {
  const row = await trx
    .selectFrom('customer_order')
    .select(['id', 'due_at', 'release_at', 'priority', 'status'])
    .where('plant_id', '=', actor.plantId)
    .where('code', '=', code)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!row) throw ApiError.notFound('order', code);
  if (row.status !== 'open') throw new ApiError(409, 'invalid_state', `order '${code}' is ${row.status}`, 'code');
  const before: Terms = { dueAt: row.due_at.toISOString(), releaseAt: row.release_at?.toISOString() ?? null, priority: row.priority };
  const after: Terms = {
    dueAt: patch.dueAt ? new Date(patch.dueAt).toISOString() : before.dueAt,
    releaseAt: patch.releaseAt === undefined ? before.releaseAt : patch.releaseAt && new Date(patch.releaseAt).toISOString(),
    priority: patch.priority ?? before.priority,
  };
  if (after.releaseAt && after.releaseAt > after.dueAt) {
    throw ApiError.invalid(patch.releaseAt ? 'releaseAt' : 'dueAt', 'releaseAt must not be after dueAt');
  }
  const changed = changes(before, after);
  if (!changed) return;
  await trx
    .updateTable('customer_order')
    .set({ due_at: after.dueAt, release_at: after.releaseAt, priority: after.priority })
    .where('id', '=', row.id)
    .execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'order.updated', actor: actor.name, subject: code, payload: changed });
  await publish(trx, actor.plantId, [{ topic: 'order', cause: code, data: { type: 'order.updated', order: code, ...after } }]);
  await requestReschedule(trx, actor.plantId, { kind: 'order.updated', causeId: code });
}
