import type { FloorEventBody, FloorEventResult } from '../contract/floor-events.ts';
import { canApply, operationTransitions } from '../contract/operation-transitions.ts';
import type { ProgressData, OutgoingMessage } from '../contract/stream.ts';
import type { Trx } from '../db/connect.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { ApiError } from '../contract/errors.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { requireOperator } from '../operators/service.ts';
import { findOrderId, lockOperation } from '../orders/repository.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';
import { publish } from '../outbox/stream-messages.ts';
import { backflush } from '../materials/stock.ts';

// A station clock a few minutes ahead is normal; an event hours in the future is a broken device.
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

async function plannedMachine(trx: Trx, plantId: number, orderId: string, seq: number): Promise<number | null> {
  const version = await latestScheduleVersion(trx, plantId);
  if (!version) return null;
  const row = await trx
    .selectFrom('planned_operation')
    .select('machine')
    .where('version_id', '=', version)
    .where('order_id', '=', orderId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.machine ?? null;
}

async function currentState(trx: Trx, plantId: number, body: FloorEventBody): Promise<FloorEventResult['operation']> {
  const op = await lockOperation(trx, plantId, body.order, body.seq);
  return {
    order: body.order,
    seq: body.seq,
    status: op?.status ?? 'unknown',
    quantityGood: op?.quantity_good ?? 0,
    quantityScrap: op?.quantity_scrap ?? 0,
  };
}

/** Completes the order when its last open operation just completed; says whether it did. */
async function completeOrderIfDone(trx: Trx, orderId: string, at: Date): Promise<boolean> {
  // Lock the order before asking whether anything is still open: two last operations completed at
  // the same moment would otherwise each see the other as open, and the order would stay open.
  // No-key-update: a plan being saved holds key-share locks on every order it references (its rows'
  // foreign keys), and a completion must not wait for that save to commit.
  await trx.selectFrom('customer_order').select('id').where('id', '=', orderId).forNoKeyUpdate().execute();
  const open = await trx.selectFrom('operation').select('seq').where('order_id', '=', orderId).where('status', '<>', 'completed').executeTakeFirst();
  if (open) return false;
  await trx.updateTable('customer_order').set({ status: 'completed', completed_at: at }).where('id', '=', orderId).execute();
  return true;
}

/**
 * Records one floor press. Idempotent by the client's id: the event log's unique index decides, so
 * a retried or replayed press (offline queue, double tap, network retry) is counted exactly once.
 */
export async function recordFloorEvent(trx: Trx, actor: Actor, body: FloorEventBody, now: Date): Promise<FloorEventResult> {
  const at = body.at ? new Date(body.at) : now;
  if (at.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) throw ApiError.invalid('at', 'at is in the future');
  const good = body.quantityGood ?? 0;
  const scrap = body.quantityScrap ?? 0;
  if (body.type === 'operation.progress' && good + scrap === 0) {
    throw ApiError.invalid('quantityGood', 'a progress report needs quantityGood or quantityScrap above 0');
  }

  const accepted = await appendEvent(trx, {
    plantId: actor.plantId,
    clientId: body.id,
    type: body.type,
    actor: actor.name,
    at,
    subject: `${body.order}/${body.seq}`,
    payload: body,
  });
  if (!accepted) {
    return { id: body.id, duplicate: true, accepted: false, operation: await currentState(trx, actor.plantId, body) };
  }
  // The station sends the identified operator's code; the event log (payload) keeps who pressed.
  await requireOperator(trx, actor.plantId, body.operator);

  const op = await lockOperation(trx, actor.plantId, body.order, body.seq);
  if (!op) {
    const orderId = await findOrderId(trx, actor.plantId, body.order);
    if (!orderId) throw ApiError.notFound('order', body.order, 'order');
    throw ApiError.notFound('operation', `${body.order}/${body.seq}`, 'seq');
  }
  if (!canApply(body.type, op.status)) {
    throw new ApiError(409, 'invalid_state', `cannot apply ${body.type} to an operation that is ${op.status}`, 'type');
  }
  const newGood = op.quantity_good + good;
  const newScrap = op.quantity_scrap + scrap;
  if (newGood + newScrap > op.quantity) {
    throw new ApiError(
      409,
      'quantity_exceeds_order',
      `reported ${newGood} good + ${newScrap} scrap exceeds the order quantity ${op.quantity}`,
      good > 0 ? 'quantityGood' : 'quantityScrap',
    );
  }
  const status = operationTransitions[body.type].to(op.status);
  const machine = body.machine ?? op.machine ?? (await plannedMachine(trx, actor.plantId, op.order_id, op.seq)) ?? 1;
  await trx
    .updateTable('operation')
    .set({
      status,
      quantity_good: newGood,
      quantity_scrap: newScrap,
      machine,
      started_at: op.started_at ?? at,
      last_report_at: good + scrap > 0 ? at : undefined,
      completed_at: status === 'completed' ? at : null,
    })
    .where('order_id', '=', op.order_id)
    .where('seq', '=', op.seq)
    .execute();

  const orderCompleted = status === 'completed' && (await completeOrderIfDone(trx, op.order_id, at));

  const progress: ProgressData = {
    order: body.order,
    seq: body.seq,
    workCenter: op.work_center_code,
    machine,
    type: body.type,
    status,
    quantityGood: newGood,
    quantityScrap: newScrap,
    quantity: op.quantity,
    operator: body.operator ?? null,
    at: at.toISOString(),
  };
  const messages: OutgoingMessage[] = [{ topic: 'progress', cause: body.id, data: progress }];
  // Backflush with the report, in its transaction: good and scrapped units both used their material.
  // A completion also used it for the units nobody counted (a Complete press without quantities):
  // leaving them out would keep that material on hand forever, and out of the shortage forecast.
  const uncounted = status === 'completed' ? Math.max(0, op.quantity - newGood - newScrap) : 0;
  const units = good + scrap + uncounted;
  messages.push(...(await backflush(trx, actor.plantId, { orderId: op.order_id, product: op.product_code, seq: op.seq, units, at, clientId: body.id })));
  if (orderCompleted) messages.push({ topic: 'order', cause: body.id, data: { type: 'order.completed', order: body.order } });
  await publish(trx, actor.plantId, messages);
  await requestReschedule(trx, actor.plantId, { kind: body.type, causeId: body.id });
  return {
    id: body.id,
    duplicate: false,
    accepted: true,
    operation: { order: body.order, seq: body.seq, status, quantityGood: newGood, quantityScrap: newScrap },
  };
}
