import { sql } from 'kysely';
import type { Trx } from '../../server/db/connect.ts';
import type { ScheduleTrigger } from '../../server/contract/schedule.ts';
import type { PinNoteCode } from '../../server/contract/plan.ts';
import { etaMessages, type EtaChange, type OutgoingMessage } from '../../server/contract/stream.ts';
import { jsonb } from '../../server/db/jsonb.ts';
import { keepDueStarts } from '../../server/db/repositories/late-starts.ts';
import { noticeShortages } from './shortage-notices.ts';
import { noticeOrderLateness } from '../../server/db/repositories/order-notices.ts';
import { pinViewsById, type PinRow } from '../../server/db/repositories/pins.ts';
import { publish } from '../../server/outbox/stream-messages.ts';
import type { Infeasibility, Plan } from '../engine/model.ts';
import { lateReasonToApi } from './late-reason-to-api.ts';

const KEEP_VERSIONS = 20;

/**
 * The plan's operations under its version; one statement for thousands of rows. `pinned` means a
 * planner's pin placed it: the loader's own pins (a second job reported on a busy machine continues
 * there) are the engine's business, not a lock to show on the Gantt.
 */
async function insertPlannedOperations(
  trx: Trx,
  versionId: string,
  plan: Plan,
  orderIds: Map<string, string>,
  pins: PinRow[],
  held: ReadonlyMap<string, 'material' | 'quality'>,
): Promise<void> {
  const plannerPinned = new Set(pins.map((p) => `${p.code}/${p.seq}`));
  const rows = plan.operations
    .filter((op) => orderIds.has(op.order))
    .map((op) => ({
      order_id: orderIds.get(op.order)!,
      seq: op.seq,
      work_center_code: op.workCenter,
      machine: op.machine,
      start_at: new Date(op.start).toISOString(),
      end_at: new Date(op.end).toISOString(),
      setup_minutes: op.setupMinutes,
      pinned: op.pinned && plannerPinned.has(`${op.order}/${op.seq}`),
      frozen: op.frozen,
      held: held.get(`${op.order}/${op.seq}`) ?? null,
    }));
  // One statement for thousands of rows: a JSON array stays far below the bind-parameter limit.
  await sql`
    insert into planned_operation (version_id, order_id, seq, work_center_code, machine, start_at, end_at, setup_minutes, pinned, frozen, held)
    select ${versionId}::bigint, x.order_id, x.seq, x.work_center_code, x.machine, x.start_at, x.end_at, x.setup_minutes, x.pinned, x.frozen, x.held
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
      as x(order_id bigint, seq int, work_center_code text, machine int, start_at timestamptz, end_at timestamptz,
           setup_minutes double precision, pinned boolean, frozen boolean, held text)`.execute(trx);
}

/** Shifts a sampled date with the ETA it was sampled around: the spread is kept until the next sampling. */
function shifted(sampled: Date | null, oldEta: Date | null, newEta: number): string | null {
  if (!sampled || !oldEta) return null;
  return new Date(newEta + (sampled.getTime() - oldEta.getTime())).toISOString();
}

/**
 * Stores the ETAs that changed (eta, late flag or reasons) and, where the promise itself moved, a
 * history row; returns the changes for the eta messages. The P50/P90 move with the ETA by the same
 * amount: the spread of an order's future is resampled by the eta-spread job after the plan, and a
 * P90 left behind an ETA that jumped would show an impossible band meanwhile.
 */
async function writeChangedEtas(
  trx: Trx,
  input: { plantId: number; versionId: string; plan: Plan; orderIds: Map<string, string> },
): Promise<EtaChange[]> {
  const { plantId, plan, orderIds } = input;
  const previous = await trx
    .selectFrom('order_eta as e')
    .innerJoin('customer_order as o', 'o.id', 'e.order_id')
    .select(['o.code', 'e.eta', 'e.late', 'e.reasons', 'e.eta_p50', 'e.eta_p90', 'e.p90_scale', 'e.p50_shift'])
    .where('e.plant_id', '=', plantId)
    .execute();
  const before = new Map(previous.map((p) => [p.code, p]));
  const changes: EtaChange[] = [];
  const upserts: {
    order_id: string; eta: string; late: boolean; lateness: number; reasons: EtaChange['reasons']; moved: boolean; p50: string | null; p90: string | null;
    p90Scale: number | null; p50Shift: number | null;
  }[] = [];
  for (const eta of plan.orders) {
    const orderId = orderIds.get(eta.order);
    if (!orderId) continue;
    const reasons = eta.reasons.map(lateReasonToApi);
    const old = before.get(eta.order);
    const etaIso = new Date(eta.eta).toISOString();
    const changed =
      !old ||
      old.eta?.getTime() !== eta.eta ||
      old.late !== eta.late ||
      JSON.stringify(old.reasons) !== JSON.stringify(reasons);
    if (!changed) continue;
    const p50 = shifted(old?.eta_p50 ?? null, old?.eta ?? null, eta.eta);
    const p90 = shifted(old?.eta_p90 ?? null, old?.eta ?? null, eta.eta);
    // The moved P50 and P90 keep the calibration they were sampled with (migrations 0020, 0027).
    const p90Scale = old?.p90_scale ?? null;
    const p50Shift = old?.p50_shift ?? null;
    upserts.push({ order_id: orderId, eta: etaIso, late: eta.late, lateness: eta.latenessMinutes, reasons, moved: old?.eta?.getTime() !== eta.eta, p50, p90, p90Scale, p50Shift });
    changes.push({
      order: eta.order,
      eta: etaIso,
      previousEta: old?.eta?.toISOString() ?? null,
      dueAt: new Date(eta.dueAt).toISOString(),
      late: eta.late,
      latenessMinutes: eta.latenessMinutes,
      reasons,
      etaP50: p50,
      etaP90: p90,
    });
  }
  if (upserts.length) {
    const json = JSON.stringify(upserts);
    await sql`
      insert into order_eta (order_id, plant_id, version_id, eta, late, lateness_minutes, reasons, updated_at, eta_p50, eta_p90)
      select x.order_id, ${plantId}, ${input.versionId}::bigint, x.eta, x.late, x.lateness, x.reasons, now(), x.p50, x.p90
      from jsonb_to_recordset(${json}::text::jsonb)
        as x(order_id bigint, eta timestamptz, late boolean, lateness double precision, reasons jsonb, p50 timestamptz, p90 timestamptz)
      on conflict (order_id) do update set version_id = excluded.version_id, eta = excluded.eta, late = excluded.late,
        lateness_minutes = excluded.lateness_minutes, reasons = excluded.reasons, updated_at = excluded.updated_at,
        eta_p50 = excluded.eta_p50, eta_p90 = excluded.eta_p90`.execute(trx);
    // History only when the promise itself moved, not when only the wording of a reason changed.
    const moved = upserts.filter((u) => u.moved).map((u) => ({ order_id: u.order_id, eta: u.eta, p50: u.p50, p90: u.p90, p90_scale: u.p90Scale, p50_shift: u.p50Shift }));
    if (moved.length) {
      await sql`
        insert into order_eta_history (order_id, version_id, eta, eta_p50, eta_p90, p90_scale, p50_shift)
        select x.order_id, ${input.versionId}::bigint, x.eta, x.p50, x.p90, x.p90_scale, x.p50_shift
        from jsonb_to_recordset(${JSON.stringify(moved)}::text::jsonb) as x(order_id bigint, eta timestamptz, p50 timestamptz, p90 timestamptz, p90_scale real, p50_shift real)`.execute(trx);
    }
  }
  return changes;
}

type PinTransition = { id: string; from: PinRow['state']; to: PinRow['state']; note: string | null; code: PinNoteCode | null; type: 'pin.removed' | 'pin.unhonourable' | 'pin.honoured' };

/** What each live pin becomes with this plan: done operations release their pins; issues are reported. */
function pinTransitions(plan: Plan, pins: PinRow[]): PinTransition[] {
  const planned = new Map(plan.operations.map((o) => [`${o.order}/${o.seq}`, o]));
  const issues = new Map(plan.pinIssues.map((i) => [`${i.order}/${i.seq}`, i]));
  const transitions: PinTransition[] = [];
  for (const pin of pins) {
    const key = `${pin.code}/${pin.seq}`;
    const op = planned.get(key);
    if (pin.operation_status === 'completed' || pin.order_status !== 'open') {
      const done = pin.operation_status === 'completed';
      const note = done ? 'operation completed' : `order ${pin.order_status}`;
      transitions.push({ id: pin.id, from: pin.state, to: 'removed', note, code: done ? 'operation_completed' : 'order_closed', type: 'pin.removed' });
      continue;
    }
    // Started: the pin did its work (the floor took the job where and about when it was pinned), so
    // an alarm raised while it waited is withdrawn. An operation the plan does not hold has nothing to report.
    if (pin.operation_status === 'running') {
      if (pin.state === 'unhonourable') transitions.push({ id: pin.id, from: pin.state, to: 'active', note: null, code: null, type: 'pin.honoured' });
      continue;
    }
    if (!op) continue;
    const issue = issues.get(key);
    const gone = op.machine !== pin.machine;
    const why = issue?.message ?? (gone ? `machine ${pin.machine} of ${pin.work_center_code} no longer exists` : null);
    const code: PinNoteCode | null = issue?.code ?? (gone ? 'machine_gone' : null);
    if (why && pin.state === 'active') transitions.push({ id: pin.id, from: pin.state, to: 'unhonourable', note: why, code, type: 'pin.unhonourable' });
    if (!why && pin.state === 'unhonourable') transitions.push({ id: pin.id, from: pin.state, to: 'active', note: null, code: null, type: 'pin.honoured' });
  }
  return transitions;
}

/**
 * Moves pins between states as the plan found them, and tells planners: a pin the plan could not keep
 * is reported (unhonourable, with why), never silently dropped. A pin changed meanwhile by a planner
 * (unpinned, replaced) keeps what the planner did: the update only applies to the state it read.
 */
async function settlePins(trx: Trx, plantId: number, plan: Plan, pins: PinRow[], cause: string | null): Promise<OutgoingMessage[]> {
  const applied: PinTransition[] = [];
  for (const t of pinTransitions(plan, pins)) {
    const removing = t.to === 'removed';
    const updated = await trx
      .updateTable('plan_pin')
      .set({ state: t.to, note: t.note, note_code: t.code, ...(removing ? { removed_at: new Date(), removed_by: 'scheduler' } : {}) })
      .where('id', '=', t.id)
      .where('state', '=', t.from)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) applied.push(t);
  }
  const views = new Map((await pinViewsById(trx, plantId, applied.map((t) => t.id))).map((v) => [v.id, v]));
  return applied.flatMap((t) => {
    const pin = views.get(t.id);
    return pin ? [{ topic: 'pin' as const, cause, data: { type: t.type, pin } }] : [];
  });
}

/** Writes a new schedule version and the changed ETAs in the caller's transaction, then queues the messages. */
export async function savePlan(
  trx: Trx,
  input: {
    plantId: number;
    plan: Plan;
    orderIds: Map<string, string>;
    trigger: ScheduleTrigger;
    /** Every request's cause this plan's snapshot covered, newest first. */
    causes: string[];
    computedAt: Date;
    solveMs: number;
    /** The live pins the snapshot was planned with. */
    pins: PinRow[];
    /** Shortages the snapshot held work for before they were remembered (LoadedSnapshot). */
    shortagesFirstSeen?: Map<string, number>;
    /** What the snapshot held back and why (LoadedSnapshot): stored with each planned operation. */
    held?: ReadonlyMap<string, 'material' | 'quality'>;
  },
): Promise<{ version: number; etaChanges: number }> {
  const { plantId, plan, orderIds, trigger, causes, computedAt } = input;
  // Before this plan slides them to now: the starts the current plan had for what has not started.
  await keepDueStarts(trx, plantId, computedAt);
  const version = await trx
    .insertInto('schedule_version')
    .values({
      plant_id: plantId,
      computed_at: computedAt,
      trigger_kind: trigger.kind,
      cause_id: trigger.causeId,
      solve_ms: input.solveMs,
      figures: jsonb(plan.figures),
      errors: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  await insertPlannedOperations(trx, version.id, plan, orderIds, input.pins, input.held ?? new Map());

  const changes = await writeChangedEtas(trx, { plantId, versionId: version.id, plan, orderIds });

  await sql`
    delete from schedule_version where plant_id = ${plantId} and id < (
      select min(id) from (select id from schedule_version where plant_id = ${plantId} order by id desc limit ${KEEP_VERSIONS}) k)`.execute(trx);

  const versionNumber = Number(version.id);
  const messages: OutgoingMessage[] = [
    {
      topic: 'schedule',
      cause: trigger.causeId,
      data: {
        version: versionNumber,
        computedAt: computedAt.toISOString(),
        trigger,
        causes,
        solveMs: input.solveMs,
        lateOrders: plan.figures.lateOrders,
        operations: plan.operations.length,
      },
    },
  ];
  messages.push(...etaMessages({ version: versionNumber, causes }, changes, trigger.causeId));
  messages.push(...(await settlePins(trx, plantId, plan, input.pins, trigger.causeId)));
  // Sales hear about orders whose changed ETA crossed their due date (or came back), in this plan's
  // transaction and publish.
  const crossings = changes.map((c) => ({ orderId: orderIds.get(c.order)!, code: c.order, dueAt: c.dueAt, eta: c.eta, etaP90: c.etaP90, latenessMinutes: c.latenessMinutes, reasons: c.reasons }));
  messages.push(...(await noticeOrderLateness(trx, plantId, crossings, computedAt, trigger.causeId)));
  // Purchasing hears of components this plan runs short of; the memory also anchors the next plan's holds.
  messages.push(...(await noticeShortages(trx, plantId, version.id, computedAt, trigger.causeId, input.shortagesFirstSeen)));
  // A feasible plan ends any recorded problem.
  await trx.deleteFrom('schedule_problem').where('plant_id', '=', plantId).execute();
  await publish(trx, plantId, messages);
  return { version: versionNumber, etaChanges: changes.length };
}

/** Problems kept per failure: enough to name the culprits, bounded so one bad import cannot flood the stream. */
const MAX_PROBLEMS = 20;

/**
 * An infeasible snapshot keeps the last good plan. The failure is stored (so a console opened later
 * still shows it, until a feasible plan replaces it) and announced to the screens open now.
 */
export async function saveInfeasible(
  trx: Trx,
  input: { plantId: number; errors: Infeasibility[]; trigger: ScheduleTrigger; causes: string[]; detectedAt: Date },
): Promise<void> {
  const errors = input.errors.slice(0, MAX_PROBLEMS);
  await trx
    .insertInto('schedule_problem')
    .values({ plant_id: input.plantId, detected_at: input.detectedAt, trigger_kind: input.trigger.kind, cause_id: input.trigger.causeId, errors: jsonb(errors) })
    .onConflict((oc) =>
      oc.column('plant_id').doUpdateSet((eb) => ({
        detected_at: eb.ref('excluded.detected_at'),
        trigger_kind: eb.ref('excluded.trigger_kind'),
        cause_id: eb.ref('excluded.cause_id'),
        errors: eb.ref('excluded.errors'),
      })),
    )
    .execute();
  await publish(trx, input.plantId, [
    { topic: 'schedule', cause: input.trigger.causeId, data: { error: 'infeasible', errors, trigger: input.trigger, causes: input.causes } },
  ]);
}
