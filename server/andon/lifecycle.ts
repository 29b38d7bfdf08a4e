import type { Updateable } from 'kysely';
import {
  andonTransitions,
  canApplyToAndon,
  type AndonAcknowledgeBody,
  type AndonAction,
  type AndonCancelBody,
  type AndonEstimateBody,
  type AndonResolveBody,
  type AndonView,
} from '../contract/andon.ts';
import { ApiError } from '../contract/errors.ts';
import type { AndonEventType } from '../contract/stream.ts';
import type { Trx } from '../db/connect.ts';
import type { AndonTable } from '../db/schema.ts';
import { cancelEscalation } from '../escalation/service.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { publish } from '../outbox/stream-messages.ts';
import { requireLeadAuthority, requireOperator } from '../operators/service.ts';
import { getAndon, lockAndon, minutesFrom } from './service.ts';

/** A worker may take back an alert it raised by mistake for this long; after that a lead decides. */
export const WORKER_CANCEL_WINDOW_MS = 2 * 60_000;
// An estimate further out than this is a typo, not a delivery date.
const MAX_ESTIMATE_MS = 30 * 86_400_000;

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
    authorize: (row) => requireAuthorityOver(trx, actor, row, body, now),
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
    authorize: (row) => requireAuthorityOver(trx, actor, row, body, now),
    changes: () => ({ state: 'resolved', resolved_at: now, resolved_by: body.operator ?? actor.name, root_cause: body.rootCause ?? null }),
  });
}

/**
 * Who may acknowledge or resolve: leads (a station's worker token only for a lead present at it), and
 * QC for quality alerts, the holds that are theirs to release; another alert is the floor's.
 */
async function requireAuthorityOver(trx: Trx, actor: Actor, row: LockedAndon, body: AndonAcknowledgeBody | AndonResolveBody, now: Date): Promise<void> {
  if (actor.role === 'qc' && row.reason !== 'quality') throw new ApiError(403, 'forbidden', `QC acknowledges and resolves quality alerts; this one is ${row.reason}: ask a lead`);
  await requireLeadAuthority(trx, actor, body, now.getTime());
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
    authorize: async (row) => {
      // Purchasing knows when material arrives, not when a machine is repaired.
      if (actor.role === 'purchasing' && row.reason !== 'material') {
        throw new ApiError(403, 'forbidden', `role 'purchasing' may estimate material andons only; '${id}' is ${row.reason}`);
      }
    },
    changes: () => ({
      expected_end_at: expectedEnd,
      // Minutes from now, as an acknowledge with an estimate records them.
      expected_minutes: Math.max(1, Math.ceil((expectedEnd.getTime() - now.getTime()) / 60_000)),
      ...(body.note ? { note: body.note } : {}),
    }),
  });
}
