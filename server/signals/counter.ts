import { createHash } from 'node:crypto';
import type { CounterOutcome, MachineCounterMessage } from '../contract/machine-counter.ts';
import type { Trx } from '../db/connect.ts';
import { appendEvent } from '../event-log/append.ts';
import { ApiError } from '../contract/errors.ts';
import { MAX_CLOCK_SKEW_MS, recordFloorEvent } from '../floor-events/service.ts';
import { machineName, resolveMachine, type MachineRef } from './machine-ref.ts';

export const COUNTER_UNMATCHED = 'machine.counter_unmatched';
export const COUNTER_RESET = 'machine.counter_reset';

/**
 * The floor event's client id: the same machine, counter epoch and values always give the same id,
 * so the event log's unique index counts a redelivered or replayed message once.
 */
export function counterClientId(ref: MachineRef, epoch: number, count: number, scrap: number): string {
  const key = `${ref.plantId}|${ref.workCenter}|${ref.machine}|${epoch}|${count}|${scrap}`;
  return `mqtt-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

async function lockBaseline(trx: Trx, ref: MachineRef) {
  // A machine never heard from counts from 0: its first message is everything it has made.
  await trx
    .insertInto('machine_counter')
    .values({ plant_id: ref.plantId, work_center_code: ref.workCenter, machine: ref.machine, last_count: 0, last_scrap: 0, epoch: 0, counted_at: new Date(0) })
    .onConflict((oc) => oc.columns(['plant_id', 'work_center_code', 'machine']).doNothing())
    .execute();
  const row = await trx
    .selectFrom('machine_counter')
    .select(['last_count', 'last_scrap', 'epoch', 'counted_at'])
    .where('plant_id', '=', ref.plantId)
    .where('work_center_code', '=', ref.workCenter)
    .where('machine', '=', ref.machine)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { count: Number(row.last_count), scrap: Number(row.last_scrap), epoch: row.epoch, countedAt: row.counted_at };
}

async function saveBaseline(trx: Trx, ref: MachineRef, values: { count: number; scrap: number; epoch: number; at: Date }) {
  await trx
    .updateTable('machine_counter')
    .set({ last_count: values.count, last_scrap: values.scrap, epoch: values.epoch, counted_at: values.at })
    .where('plant_id', '=', ref.plantId)
    .where('work_center_code', '=', ref.workCenter)
    .where('machine', '=', ref.machine)
    .execute();
}

async function isLogged(trx: Trx, plantId: number, clientId: string): Promise<boolean> {
  const row = await trx.selectFrom('event_log').select('id').where('plant_id', '=', plantId).where('client_id', '=', clientId).executeTakeFirst();
  return row !== undefined;
}

/**
 * The operation that was running on the machine when it counted: started by then and not completed
 * before it. A message buffered across an order changeover belongs to the order it was made for,
 * not to whatever runs when it arrives; the latest started wins if the floor left two running.
 */
async function operationRunningAt(trx: Trx, ref: MachineRef, at: Date) {
  return await trx
    .selectFrom('operation as op')
    .innerJoin('customer_order as o', 'o.id', 'op.order_id')
    .select(['o.code', 'op.seq', 'op.status', 'o.quantity', 'op.quantity_good', 'op.quantity_scrap'])
    .where('op.plant_id', '=', ref.plantId)
    .where('op.work_center_code', '=', ref.workCenter)
    .where('op.machine', '=', ref.machine)
    .where('op.started_at', '<=', at)
    .where((eb) => eb.or([eb('op.completed_at', 'is', null), eb('op.completed_at', '>', at)]))
    .orderBy('op.started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * A counter below the baseline is a reset only when it fell to near zero (or the machine said it
 * restarted): a late message a few parts behind is stale, else its parts would be counted twice
 * once the counter passes them again.
 */
const RESET_BELOW_ABSOLUTE = 5;
const RESET_BELOW_FRACTION = 0.1;
function nearZero(value: number, last: number): boolean {
  return value < RESET_BELOW_ABSOLUTE || value < last * RESET_BELOW_FRACTION;
}

/** Paused now, but was it paused already when the machine counted? Its last pause press says. */
async function pausedBy(trx: Trx, plantId: number, subject: string, at: Date): Promise<boolean> {
  const row = await trx
    .selectFrom('event_log')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('plant_id', '=', plantId)
    .where('subject', '=', subject)
    .where('type', '=', 'operation.paused')
    .executeTakeFirst();
  return !row?.at || new Date(row.at) <= at;
}

export interface CounterInput {
  plantCode: string;
  /** The topic's machine level, `<workCenter>-<n>`. */
  machine: string;
  message: MachineCounterMessage;
  topic: string;
}

/**
 * Turns one counter message into floor progress, in the caller's transaction: the delta against the
 * machine's last counter becomes an `operation.progress` on the operation running there, through
 * the station's own path (recordFloorEvent). Counts no operation can take (the machine idle, or
 * past the order quantity) are logged as `machine.counter_unmatched`, never dropped silently.
 */
export async function recordCounter(trx: Trx, input: CounterInput, now: Date): Promise<CounterOutcome> {
  const ref = await resolveMachine(trx, input.plantCode, input.machine);
  if (!ref) return 'unknown_machine';
  const at = input.message.at ? new Date(input.message.at) : now;
  // Checked before anything is stored: a baseline dated in the future would make every real
  // message after it look stale, and the machine's parts would be lost until that date.
  if (at.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) throw ApiError.invalid('at', 'at is in the future');
  const countedAt = at > now ? now : at;
  const base = await lockBaseline(trx, ref);
  const count = input.message.count;
  // A message without scrap says nothing about rejects: it keeps the last scrap counter.
  const scrap = input.message.scrap ?? base.scrap;
  const clientId = counterClientId(ref, base.epoch, count, scrap);
  if (await isLogged(trx, ref.plantId, clientId)) return 'duplicate';

  const name = machineName(ref);
  const actor = { plantId: ref.plantId, name: `mqtt ${name}` };
  const log = (type: string, id: string, payload: Record<string, unknown>) =>
    appendEvent(trx, { plantId: ref.plantId, clientId: id, type, actor: actor.name, at, subject: name, payload: { topic: input.topic, count, scrap, ...payload } });

  // Counted before the baseline, up or down: a late or redelivered message, never a reset. This also
  // keeps a pre-reset message redelivered after the reset (its id has the old epoch) from counting.
  if (input.message.at && at <= base.countedAt) return 'stale';
  if (count < base.count || scrap < base.scrap) {
    if (!input.message.boot && !(nearZero(count, base.count) && nearZero(scrap, base.scrap))) return 'stale';
    // The machine was reset (or replaced): a new baseline, and nothing counted for this message,
    // since what it made between the reset and this message cannot be told from a late message.
    const epoch = base.epoch + 1;
    await saveBaseline(trx, ref, { count, scrap, epoch, at: countedAt });
    await log(COUNTER_RESET, counterClientId(ref, epoch, count, scrap), { previousCount: base.count, previousScrap: base.scrap });
    return 'reset';
  }
  const good = count - base.count;
  const rejects = scrap - base.scrap;
  if (good + rejects === 0) return 'unchanged';
  await saveBaseline(trx, ref, { count, scrap, epoch: base.epoch, at: countedAt });

  const running = await operationRunningAt(trx, ref, at);
  // Completed since (the changeover came first): its parts are kept as unmatched, not booked on.
  const bookable = running && running.status !== 'completed' && !(running.status === 'paused' && (await pausedBy(trx, ref.plantId, `${running.code}/${running.seq}`, at)));
  const op = bookable ? running : undefined;
  const room = op ? op.quantity - op.quantity_good - op.quantity_scrap : 0;
  const takenGood = Math.min(good, room);
  const takenScrap = Math.min(rejects, room - takenGood);
  if (op && takenGood + takenScrap > 0) {
    await recordFloorEvent(
      trx,
      actor,
      { id: clientId, type: 'operation.progress', order: op.code, seq: op.seq, machine: ref.machine, quantityGood: takenGood, quantityScrap: takenScrap, at: at.toISOString() },
      now,
    );
  }
  const leftGood = good - takenGood;
  const leftScrap = rejects - takenScrap;
  if (leftGood + leftScrap === 0) return 'progress';
  const reason = op ? 'over_quantity' : running?.status === 'completed' ? 'operation_completed' : 'no_running_operation';
  // Its own id when part of the message was counted: the progress event already holds clientId.
  const id = takenGood + takenScrap > 0 ? `${clientId}-over` : clientId;
  await log(COUNTER_UNMATCHED, id, { reason, good: leftGood, scrap: leftScrap, order: running?.code ?? null, seq: running?.seq ?? null });
  return takenGood + takenScrap > 0 ? 'progress' : 'unmatched';
}
