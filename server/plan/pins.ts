import { randomUUID } from 'node:crypto';
import { ApiError } from '../contract/errors.ts';
import type { PinBatchBody, PinState, PinUndoView, PinView } from '../contract/plan.ts';
import type { OutgoingMessage } from '../contract/stream.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import { LIVE_PIN_STATES, pinViewsById, selectPins, toPinView } from '../db/repositories/pins.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { publish } from '../outbox/stream-messages.ts';
import { resolveMoves, type FieldNamer } from './moves.ts';
import { assertFreshBase } from './stale-base.ts';

/** Removed pins are history: a list of them is bounded. */
const MAX_LISTED = 500;

export interface MoveRules {
  now: Date;
  frozenMinutes: number;
}

type PinEventType = 'pin.created' | 'pin.removed';

async function announce(trx: Trx, plantId: number, cause: string, changes: { type: PinEventType; ids: string[] }[]): Promise<Map<string, PinView>> {
  const views = new Map((await pinViewsById(trx, plantId, changes.flatMap((c) => c.ids))).map((v) => [v.id, v]));
  const messages: OutgoingMessage[] = changes.flatMap((c) => c.ids.flatMap((id) => {
    const pin = views.get(id);
    return pin ? [{ topic: 'pin' as const, cause, data: { type: c.type, pin } }] : [];
  }));
  await publish(trx, plantId, messages);
  return views;
}

/** Takes a live pin out of planning, keeping the row as history. */
async function removeLivePin(trx: Trx, actor: Actor, where: { id: string } | { orderId: string; seq: number }, note: 'replaced' | 'unpinned' | 'undone', at: Date) {
  let query = trx
    .updateTable('plan_pin')
    .set({ state: 'removed', note, note_code: note, removed_at: at, removed_by: actor.name })
    .where('plant_id', '=', actor.plantId)
    .where('state', '<>', 'removed');
  query = 'id' in where ? query.where('id', '=', where.id) : query.where('order_id', '=', where.orderId).where('seq', '=', where.seq);
  return (await query.returning('id').execute()).map((r) => r.id);
}

/**
 * Commits a drop (one or several operations) as pins, all or none: checks the moves and that the plan
 * did not change under them, replaces any live pin on the same operation, logs who did it, tells the
 * planners and asks for a re-plan, which the board, station queues and ETAs then follow.
 */
export async function commitPins(trx: Trx, actor: Actor, body: PinBatchBody, rules: MoveRules & { field: FieldNamer }): Promise<PinView[]> {
  const moves = await resolveMoves(trx, actor.plantId, body.moves, rules);
  await assertFreshBase(trx, actor.plantId, body.baseVersion, moves, actor.name);
  const commitId = randomUUID();
  const created: string[] = [];
  const replaced: string[] = [];
  for (const m of moves) {
    const [replacedId] = await removeLivePin(trx, actor, { orderId: m.orderId, seq: m.seq }, 'replaced', rules.now);
    if (replacedId) replaced.push(replacedId);
    const pin = await trx
      .insertInto('plan_pin')
      .values({
        plant_id: actor.plantId,
        order_id: m.orderId,
        seq: m.seq,
        machine: m.machine,
        start_at: m.start,
        mode: m.mode,
        commit_id: commitId,
        base_version: String(body.baseVersion),
        replaces_id: replacedId ?? null,
        created_by: actor.name,
        created_at: rules.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    created.push(pin.id);
    await appendEvent(trx, {
      plantId: actor.plantId,
      type: 'pin.created',
      actor: actor.name,
      at: rules.now,
      subject: `${m.order}/${m.seq}`,
      payload: { pin: pin.id, commitId, machine: m.machine, start: m.start?.toISOString() ?? null, mode: m.mode, replaces: replacedId ?? null, baseVersion: body.baseVersion },
    });
  }
  const views = await announce(trx, actor.plantId, commitId, [{ type: 'pin.removed', ids: replaced }, { type: 'pin.created', ids: created }]);
  await requestReschedule(trx, actor.plantId, { kind: 'pin.created', causeId: commitId });
  return created.map((id) => views.get(id)!);
}

export async function listPins(db: Queryable, plantId: number, state: PinState | 'all' | undefined): Promise<PinView[]> {
  let query = selectPins(db, plantId);
  if (state === undefined) query = query.where('p.state', 'in', LIVE_PIN_STATES);
  else if (state !== 'all') query = query.where('p.state', '=', state);
  const rows = await query.orderBy('p.id', 'desc').limit(MAX_LISTED).execute();
  return rows.map(toPinView);
}

/** Unpin: the engine plans the operation freely again. */
export async function removePin(trx: Trx, actor: Actor, id: string, now: Date): Promise<PinView> {
  if (!/^\d{1,18}$/.test(id)) throw ApiError.notFound('pin', id, 'id');
  const [removed] = await removeLivePin(trx, actor, { id }, 'unpinned', now);
  if (!removed) {
    const exists = await selectPins(trx, actor.plantId).where('p.id', '=', id).executeTakeFirst();
    if (!exists) throw ApiError.notFound('pin', id, 'id');
    throw new ApiError(409, 'invalid_state', `pin ${id} is already removed (${exists.note ?? 'removed'})`, 'id');
  }
  const views = await announce(trx, actor.plantId, removed, [{ type: 'pin.removed', ids: [removed] }]);
  const pin = views.get(removed)!;
  await appendEvent(trx, { plantId: actor.plantId, type: 'pin.removed', actor: actor.name, at: now, subject: `${pin.order}/${pin.seq}`, payload: { pin: removed } });
  await requestReschedule(trx, actor.plantId, { kind: 'pin.removed', causeId: removed });
  return pin;
}

/**
 * Takes back one of the caller's commits: the one named (a console sends the commit it just made), or
 * else the caller's newest with live pins. Its pins are removed and the pins they replaced are live
 * again (where nothing newer took the operation meanwhile).
 */
export async function undoLastCommit(trx: Trx, actor: Actor, now: Date, wanted?: string): Promise<PinUndoView> {
  let query = trx
    .selectFrom('plan_pin')
    .select('commit_id')
    .where('plant_id', '=', actor.plantId)
    .where('created_by', '=', actor.name)
    .where('state', '<>', 'removed');
  if (wanted) query = query.where('commit_id', '=', wanted);
  const last = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!last) {
    throw wanted
      ? new ApiError(404, 'not_found', `commit '${wanted}' is not yours or has no live pins left`, 'commitId')
      : new ApiError(404, 'not_found', 'nothing to undo: you have no live pins');
  }
  const commitId = last.commit_id;
  const pins = await trx
    .selectFrom('plan_pin')
    .select(['id', 'replaces_id', 'state'])
    .where('plant_id', '=', actor.plantId)
    .where('commit_id', '=', commitId)
    .forUpdate()
    .execute();
  const removed: string[] = [];
  for (const p of pins.filter((x) => x.state !== 'removed')) removed.push(...(await removeLivePin(trx, actor, { id: p.id }, 'undone', now)));
  const restored: string[] = [];
  for (const p of pins) {
    if (!p.replaces_id || !removed.includes(p.id)) continue;
    const back = await trx
      .updateTable('plan_pin')
      .set({ state: 'active', note: null, note_code: null, removed_at: null, removed_by: null })
      .where('id', '=', p.replaces_id)
      .where('state', '=', 'removed')
      // Only where the operation has no live pin again (the unique index would refuse a second one).
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('plan_pin as live').select('live.id').whereRef('live.order_id', '=', 'plan_pin.order_id').whereRef('live.seq', '=', 'plan_pin.seq').where('live.state', '<>', 'removed'))),
      )
      .returning('id')
      .executeTakeFirst();
    if (back) restored.push(back.id);
  }
  const views = await announce(trx, actor.plantId, commitId, [{ type: 'pin.removed', ids: removed }, { type: 'pin.created', ids: restored }]);
  await appendEvent(trx, { plantId: actor.plantId, type: 'pin.undone', actor: actor.name, at: now, subject: commitId, payload: { commitId, removed, restored } });
  await requestReschedule(trx, actor.plantId, { kind: 'pin.undone', causeId: commitId });
  return { commitId, removed: removed.map((id) => views.get(id)!), restored: restored.map((id) => views.get(id)!) };
}
