import { openAndonStates, type AndonBody, type AndonState, type AndonView } from '../contract/andon.ts';
import { ApiError } from '../contract/errors.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import type { AndonRow } from '../db/schema.ts';
import { ladderFor, scheduleEscalation } from '../escalation/service.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { addNotification } from '../notifications/service.ts';
import { requireOperator } from '../operators/service.ts';
import { findOrderId } from '../orders/repository.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { publish } from '../outbox/stream-messages.ts';


type AndonWithNames = AndonRow & { order_code: string | null; line: string };

function toView(row: AndonWithNames): AndonView {
  return {
    id: row.id,
    workCenter: row.work_center_code,
    line: row.line,
    reason: row.reason,
    state: row.state,
    order: row.order_code,
    seq: row.seq,
    machine: row.machine,
    note: row.note,
    expectedMinutes: row.expected_minutes,
    expectedEndAt: row.expected_end_at?.toISOString() ?? null,
    raisedAt: row.raised_at.toISOString(),
    raisedBy: row.raised_by,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    rootCause: row.root_cause,
    escalationLevel: row.escalation_level,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    cancelledBy: row.cancelled_by,
  };
}

function selectAndon(db: Queryable, plantId: number) {
  return db
    .selectFrom('andon as a')
    .leftJoin('customer_order as o', 'o.id', 'a.order_id')
    .innerJoin('work_center as w', (j) => j.onRef('w.plant_id', '=', 'a.plant_id').onRef('w.code', '=', 'a.work_center_code'))
    .selectAll('a')
    .select(['o.code as order_code', 'w.line'])
    .where('a.plant_id', '=', plantId);
}

export async function getAndon(db: Queryable, plantId: number, id: string): Promise<AndonView> {
  const row = await selectAndon(db, plantId).where('a.id', '=', id).executeTakeFirst();
  if (!row) throw ApiError.notFound('andon', id);
  return toView(row);
}

export async function listAndon(
  db: Queryable,
  plantId: number,
  filter: { state?: AndonState | 'open' | 'all'; workCenter?: string; limit?: number },
): Promise<AndonView[]> {
  let query = selectAndon(db, plantId);
  const state = filter.state ?? 'all';
  if (state === 'open') query = query.where('a.state', 'in', openAndonStates);
  else if (state !== 'all') query = query.where('a.state', '=', state);
  if (filter.workCenter) query = query.where('a.work_center_code', '=', filter.workCenter);
  const rows = await query.orderBy('a.raised_at', 'desc').limit(filter.limit ?? 500).execute();
  return rows.map(toView);
}

export function minutesFrom(start: Date, minutes: number | undefined | null): Date | null {
  return minutes ? new Date(start.getTime() + minutes * 60_000) : null;
}

/**
 * What an alert is about, checked: its work center (and machine), and the order and step it names.
 * An alert on an order without a step concerns its next open operation.
 */
async function alertTarget(trx: Trx, plantId: number, body: AndonBody): Promise<{ orderId: string | null; seq: number | null }> {
  const wc = await trx
    .selectFrom('work_center')
    .select(['code', 'machines'])
    .where('plant_id', '=', plantId)
    .where('code', '=', body.workCenter)
    .executeTakeFirst();
  if (!wc) throw ApiError.notFound('work center', body.workCenter, 'workCenter');
  if (body.machine !== undefined && body.machine > wc.machines) {
    throw ApiError.invalid('machine', `work center '${wc.code}' has ${wc.machines} machine(s)`);
  }
  if (body.seq !== undefined && body.order === undefined) throw ApiError.invalid('order', 'seq needs an order');
  let orderId: string | null = null;
  let seq: number | null = body.seq ?? null;
  if (body.order !== undefined) {
    orderId = (await findOrderId(trx, plantId, body.order)) ?? null;
    if (!orderId) throw ApiError.notFound('order', body.order, 'order');
    if (seq === null) {
      const next = await trx
        .selectFrom('operation')
        .select('seq')
        .where('order_id', '=', orderId)
        .where('status', '<>', 'completed')
        .orderBy('seq')
        .executeTakeFirst();
      seq = next?.seq ?? null;
    } else {
      const op = await trx
        .selectFrom('operation')
        .select('seq')
        .where('order_id', '=', orderId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (!op) throw ApiError.notFound('operation', `${body.order}/${seq}`, 'seq');
    }
  }
  return { orderId, seq };
}

export async function raiseAndon(
  trx: Trx,
  actor: Actor,
  body: AndonBody,
  now: Date,
): Promise<{ andon: AndonView; duplicate: boolean }> {
  const accepted = await appendEvent(trx, {
    plantId: actor.plantId,
    clientId: body.id,
    type: 'andon.raised',
    actor: actor.name,
    at: now,
    subject: body.workCenter,
    payload: body,
  });
  if (!accepted) return { andon: await getAndon(trx, actor.plantId, body.id), duplicate: true };
  await requireOperator(trx, actor.plantId, body.operator);

  const { orderId, seq } = await alertTarget(trx, actor.plantId, body);
  await trx
    .insertInto('andon')
    .values({
      id: body.id,
      plant_id: actor.plantId,
      work_center_code: body.workCenter,
      machine: body.machine ?? null,
      reason: body.reason,
      order_id: orderId,
      seq,
      note: body.note ?? null,
      expected_minutes: body.expectedMinutes ?? null,
      expected_end_at: minutesFrom(now, body.expectedMinutes),
      raised_at: now,
      raised_by: body.operator ?? actor.name,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
      root_cause: null,
      cancelled_at: null,
      cancelled_by: null,
    })
    .execute();
  const andon = await getAndon(trx, actor.plantId, body.id);
  // Level 1 is told now; the next level's timer commits with the alert.
  const ladder = await ladderFor(trx, actor.plantId, body.reason);
  const told = await addNotification(trx, actor.plantId, { kind: 'andon.raised', andonId: body.id, level: 1, notify: ladder[0]!.notify, at: now });
  const next = ladder[1];
  if (next) await scheduleEscalation(trx, actor.plantId, body.id, next.level, new Date(now.getTime() + next.afterMinutes * 60_000));
  await publish(trx, actor.plantId, [{ topic: 'andon', cause: body.id, data: { type: 'andon.raised', andon } }, ...told]);
  await requestReschedule(trx, actor.plantId, { kind: 'andon.raised', causeId: body.id });
  return { andon, duplicate: false };
}

/** Locks the alert for a state change (the type requires a transaction); 404 when the plant has no such alert. */
export async function lockAndon(trx: Trx, plantId: number, id: string) {
  const row = await trx
    .selectFrom('andon')
    .select(['id', 'state', 'reason', 'raised_at', 'escalation_level'])
    .where('plant_id', '=', plantId)
    .where('id', '=', id)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!row) throw ApiError.notFound('andon', id);
  return row;
}
