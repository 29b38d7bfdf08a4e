import { sql } from 'kysely';
import { andonTransitions, canApplyToAndon, openAndonStates, type AndonAcknowledgeBody, type AndonAction, type AndonBody, type AndonCancelBody, type AndonEstimateBody, type AndonResolveBody, type AndonState, type AndonView } from '../contract/andon.ts';
import type { AndonTable } from '../db/schema.ts';
import type { Updateable } from 'kysely';
import type { AndonFigures } from '../contract/escalation.ts';
import type { AndonEventType } from '../contract/stream.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import type { AndonRow } from '../db/schema.ts';
import { cancelEscalation, ladderFor, scheduleEscalation } from '../escalation/service.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { ApiError } from '../contract/errors.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { addNotification } from '../notifications/service.ts';
import { requireLeadAuthority, requireOperator } from '../operators/service.ts';
import { findOrderId } from '../orders/repository.ts';
import { publish } from '../outbox/stream-messages.ts';

/** A worker may take back an alert it raised by mistake for this long; after that a lead decides. */
export const WORKER_CANCEL_WINDOW_MS = 2 * 60_000;
// An estimate further out than this is a typo, not a delivery date.
const MAX_ESTIMATE_MS = 30 * 86_400_000;

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

function minutesFrom(start: Date, minutes: number | undefined | null): Date | null {
  return minutes ? new Date(start.getTime() + minutes * 60_000) : null;
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

  const wc = await trx
    .selectFrom('work_center')
    .select(['code', 'machines'])
    .where('plant_id', '=', actor.plantId)
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
    orderId = (await findOrderId(trx, actor.plantId, body.order)) ?? null;
    if (!orderId) throw ApiError.notFound('order', body.order, 'order');
    if (seq === null) {
      // An alert on an order without a step concerns its next open operation.
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
  await publish(trx, actor.plantId, [{ topic: 'andon', cause: body.id, data: { type: 'andon.raised', andon } }, told]);
  await requestReschedule(trx, actor.plantId, { kind: 'andon.raised', causeId: body.id });
  return { andon, duplicate: false };
}

export async function lockAndon(trx: Trx, plantId: number, id: string) {
  const row = await trx
    .selectFrom('andon')
    .select(['id', 'state', 'reason', 'raised_at', 'escalation_level'])
    .where('plant_id', '=', plantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw ApiError.notFound('andon', id);
  return row;
}

/**
 * Every change after the raise goes through here: lock, check the lifecycle table, authorize, end
 * the escalation if the table says so, update, log, read back, publish and re-plan, in the caller's
 * transaction. `authorize` may refuse (403); `changes` are the columns this action sets.
 */
async function applyAndonAction(
  trx: Trx,
  actor: Actor,
  id: string,
  action: AndonAction,
  input: {
    payload: unknown;
    now: Date;
    authorize: (row: LockedAndon) => Promise<void>;
    changes: (row: LockedAndon) => Updateable<AndonTable>;
  },
): Promise<AndonView> {
  const row = await lockAndon(trx, actor.plantId, id);
  const rule = andonTransitions[action];
  if (!canApplyToAndon(action, row.state)) {
    const expected = rule.from.length === 1 ? `, not ${rule.from[0]}` : '';
    throw new ApiError(409, 'invalid_state', `cannot ${action} andon '${id}': it is ${expected ? row.state : `already ${row.state}`}${expected}`);
  }
  await input.authorize(row);
  if (rule.endsEscalation) await cancelEscalation(trx, id);
  await trx.updateTable('andon').set(input.changes(row)).where('id', '=', id).execute();
  const type = andonEventType[action];
  await appendEvent(trx, { plantId: actor.plantId, type, actor: actor.name, at: input.now, subject: id, payload: input.payload });
  const andon = await getAndon(trx, actor.plantId, id);
  await publish(trx, actor.plantId, [{ topic: 'andon', cause: id, data: { type, andon } }]);
  await requestReschedule(trx, actor.plantId, { kind: type, causeId: id });
  return andon;
}

const andonEventType = {
  acknowledge: 'andon.acknowledged',
  resolve: 'andon.resolved',
  cancel: 'andon.cancelled',
  estimate: 'andon.estimated',
} as const satisfies Record<AndonAction, AndonEventType>;

type LockedAndon = Awaited<ReturnType<typeof lockAndon>>;

export async function acknowledgeAndon(
  trx: Trx,
  actor: Actor,
  id: string,
  body: AndonAcknowledgeBody,
  now: Date,
): Promise<AndonView> {
  return await applyAndonAction(trx, actor, id, 'acknowledge', {
    payload: body,
    now,
    authorize: () => requireLeadAuthority(trx, actor, body.operator),
    changes: () => ({
      state: 'acknowledged',
      acknowledged_at: now,
      acknowledged_by: body.operator ?? actor.name,
      ...(body.expectedMinutes ? { expected_minutes: body.expectedMinutes, expected_end_at: minutesFrom(now, body.expectedMinutes) } : {}),
    }),
  });
}

export async function resolveAndon(
  trx: Trx,
  actor: Actor,
  id: string,
  body: AndonResolveBody,
  now: Date,
): Promise<AndonView> {
  return await applyAndonAction(trx, actor, id, 'resolve', {
    payload: body,
    now,
    authorize: () => requireLeadAuthority(trx, actor, body.operator),
    changes: () => ({ state: 'resolved', resolved_at: now, resolved_by: body.operator ?? actor.name, root_cause: body.rootCause ?? null }),
  });
}

/**
 * Takes back an alert raised by mistake: it leaves the plan as if never raised (the scheduler only
 * reads open alerts), stops its escalation and is left out of the figures. A lead (or admin) may
 * cancel any open alert; a worker only one raised by its own token, still unacknowledged, within
 * two minutes: a station cannot quietly close a real problem.
 */
export async function cancelAndon(
  trx: Trx,
  actor: Actor,
  id: string,
  body: AndonCancelBody,
  now: Date,
): Promise<AndonView> {
  return await applyAndonAction(trx, actor, id, 'cancel', {
    payload: body,
    now,
    authorize: async (row) => {
      if (actor.role === 'worker') await requireOwnFreshAlert(trx, actor, row, now);
      await requireOperator(trx, actor.plantId, body.operator);
    },
    changes: () => ({ state: 'cancelled', cancelled_at: now, cancelled_by: body.operator ?? actor.name, ...(body.note ? { note: body.note } : {}) }),
  });
}

async function requireOwnFreshAlert(trx: Trx, actor: Actor, row: LockedAndon, now: Date): Promise<void> {
  const raised = await trx
    .selectFrom('event_log')
    .select('actor')
    .where('plant_id', '=', actor.plantId)
    .where('client_id', '=', row.id)
    .where('type', '=', 'andon.raised')
    .executeTakeFirst();
  if (raised?.actor !== actor.name) throw new ApiError(403, 'forbidden', 'a worker may cancel only an alert it raised itself; ask a lead');
  if (row.state !== 'raised') throw new ApiError(403, 'forbidden', 'the alert is acknowledged; only a lead may cancel it now');
  if (now.getTime() - row.raised_at.getTime() > WORKER_CANCEL_WINDOW_MS) {
    throw new ApiError(403, 'forbidden', 'a worker may cancel an alert only within 2 minutes of raising it; ask a lead');
  }
}

/**
 * Sets when an open alert is expected to end: the material's arrival (purchasing, warehouse) or a
 * repair estimate. The scheduler holds the operation (or keeps the machine down) until then, so
 * every affected ETA moves with it.
 */
export async function estimateAndon(
  trx: Trx,
  actor: Actor,
  id: string,
  body: AndonEstimateBody,
  now: Date,
): Promise<AndonView> {
  if ((body.expectedAt === undefined) === (body.expectedMinutes === undefined)) {
    throw ApiError.invalid('expectedAt', 'give exactly one of expectedAt or expectedMinutes');
  }
  const expectedEnd = body.expectedAt !== undefined ? new Date(body.expectedAt) : new Date(now.getTime() + (body.expectedMinutes ?? 0) * 60_000);
  if (expectedEnd.getTime() <= now.getTime()) throw ApiError.invalid('expectedAt', 'expectedAt must be in the future');
  if (expectedEnd.getTime() > now.getTime() + MAX_ESTIMATE_MS) throw ApiError.invalid('expectedAt', 'expectedAt must be within 30 days');
  return await applyAndonAction(trx, actor, id, 'estimate', {
    payload: body,
    now,
    authorize: async () => {},
    changes: () => ({
      expected_end_at: expectedEnd,
      // Minutes from now, as an acknowledge with an estimate records them.
      expected_minutes: Math.max(1, Math.ceil((expectedEnd.getTime() - now.getTime()) / 60_000)),
      ...(body.note ? { note: body.note } : {}),
    }),
  });
}

/**
 * Count and mean response times per reason and work center, for alerts raised in [from, to).
 * Cancelled alerts were mistakes, not problems, and are left out.
 */
export async function andonFigures(db: Queryable, plantId: number, from: Date, to: Date): Promise<AndonFigures> {
  const result = await sql<{ reason: string; work_center_code: string; count: number; ack: number | null; resolve: number | null }>`
    select reason, work_center_code, count(*)::int as count,
      (avg(extract(epoch from acknowledged_at - raised_at)) filter (where acknowledged_at is not null) / 60)::float8 as ack,
      (avg(extract(epoch from resolved_at - raised_at)) filter (where resolved_at is not null) / 60)::float8 as resolve
    from andon
    where plant_id = ${plantId} and raised_at >= ${from} and raised_at < ${to} and state <> 'cancelled'
    group by reason, work_center_code
    order by reason, work_center_code`.execute(db);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    rows: result.rows.map((r) => ({
      reason: r.reason,
      workCenter: r.work_center_code,
      count: r.count,
      meanMinutesToAcknowledge: r.ack,
      meanMinutesToResolve: r.resolve,
    })),
  };
}
