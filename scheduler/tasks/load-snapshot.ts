import { andonEffects } from '../../server/contract/andon-effects.ts';
import type { Queryable } from '../../server/db/connect.ts';
import { estimatedAndonEnd, OVERDUE_EXTENSION_MS, selectOpenAndons } from '../../server/db/repositories/andon.ts';
import { readMaterials } from '../../server/db/repositories/materials.ts';
import { forecastShortages, shortageHolds, type DemandOperation } from '../engine/shortage-forecast.ts';
import { LIVE_PIN_STATES, selectPins, type PinRow } from '../../server/db/repositories/pins.ts';
import { latestScheduleVersion } from '../../server/db/repositories/schedule.ts';
import type { Calendar, Downtime, OperationInput, OrderInput, PlannedOperation, PreviousPlan, Snapshot, WorkCenter } from '../engine/model.ts';

export interface LoadedSnapshot {
  snapshot: Snapshot;
  previousPlan: PreviousPlan | null;
  /** order code -> database id, to save the plan */
  orderIds: Map<string, string>;
  /** The plant's live pins (active, unhonourable), also those whose operation is done: the save settles them. */
  pins: PinRow[];
  /**
   * Shortages this load found with no remembered first-seen instant (they appeared since the last
   * plan: a scrap report, a count, a BOM change): component -> the instant their work was held from.
   * The save remembers that instant, not the start the held plan moved the work to.
   */
  shortagesFirstSeen: Map<string, number>;
  /** `order/seq` -> why the snapshot holds it back (an andon or a forecast shortage): the Gantt shows it held. */
  held: Map<string, 'material' | 'quality'>;
}

type PlantRows = Awaited<ReturnType<typeof readPlant>>;
type OperationRow = PlantRows['operationRows'][number];
type Hold = NonNullable<OperationInput['hold']>;

/** Everything the planner reads about one plant, in parallel. */
async function readPlant(db: Queryable, plantId: number) {
  const [calendarRows, workCenterRows, andonRows, orderRows, operationRows, versionId, pinRows] = await Promise.all([
    db.selectFrom('calendar').selectAll().where('plant_id', '=', plantId).execute(),
    db.selectFrom('work_center').selectAll().where('plant_id', '=', plantId).execute(),
    selectOpenAndons(db, plantId).select(['id', 'work_center_code', 'machine', 'reason', 'order_id', 'seq', 'raised_at', 'expected_end_at']).execute(),
    db
      .selectFrom('customer_order as o')
      .innerJoin('product as p', (j) => j.onRef('p.plant_id', '=', 'o.plant_id').onRef('p.code', '=', 'o.product_code'))
      .select(['o.id', 'o.code', 'o.product_code', 'p.family', 'o.quantity', 'o.release_at', 'o.due_at', 'o.priority', 'o.promised'])
      .where('o.plant_id', '=', plantId)
      .where('o.status', '=', 'open')
      .orderBy('o.id')
      .execute(),
    db
      .selectFrom('operation as op')
      .innerJoin('customer_order as o', 'o.id', 'op.order_id')
      .select([
        'op.order_id',
        'op.seq',
        'op.work_center_code',
        'op.setup_minutes',
        'op.run_minutes_per_unit',
        'op.min_transfer_minutes',
        'op.status',
        'op.quantity_good',
        'op.quantity_scrap',
        'op.machine',
        'op.started_at',
        'op.last_report_at',
      ])
      .where('op.plant_id', '=', plantId)
      .where('o.status', '=', 'open')
      .where('op.status', '<>', 'completed')
      .orderBy('op.order_id')
      .orderBy('op.seq')
      .execute(),
    latestScheduleVersion(db, plantId),
    selectPins(db, plantId).where('p.state', 'in', LIVE_PIN_STATES).execute(),
  ]);
  return { calendarRows, workCenterRows, andonRows, orderRows, operationRows, versionId, pinRows };
}

/** Open alerts become downtimes and holds, as the andon effects table says (server/contract/andon-effects.ts). */
function andonConstraints(andonRows: PlantRows['andonRows'], now: number): { downtimes: Downtime[]; holds: Map<string, Hold> } {
  const downtimes: Downtime[] = [];
  const holds = new Map<string, Hold>();
  for (const a of andonRows) {
    const { effect } = andonEffects[a.reason];
    const until = estimatedAndonEnd(a, now);
    if (effect === 'stop') {
      downtimes.push({
        id: a.id,
        workCenter: a.work_center_code,
        ...(a.machine ? { machine: a.machine } : {}),
        from: a.raised_at.getTime(),
        to: until,
        reason: a.reason === 'safety' ? 'safety' : 'breakdown',
      });
    } else if (effect === 'hold' && (a.reason === 'material' || a.reason === 'quality') && a.order_id && a.seq) {
      const key = `${a.order_id}/${a.seq}`;
      const existing = holds.get(key);
      if (!existing || existing.until < until) holds.set(key, { until, reason: a.reason, andonId: a.id });
    }
  }
  return { downtimes, holds };
}

/**
 * A machine runs one job at a time, but the floor sometimes reports two (a job started before the
 * last one was completed). The earliest-started keeps running; a later one (or one on a machine the
 * work center no longer has) is planned to continue on the same machine right after it, instead of
 * making the whole plan infeasible. Returns the `order_id/seq` keys of those.
 */
function operationsToContinue(operationRows: OperationRow[], machinesOf: Map<string, number>): Set<string> {
  const runningOnMachine = new Map<string, string>();
  const continueOnMachine = new Set<string>();
  const running = operationRows
    .filter((o) => o.status === 'running' && o.machine !== null && o.started_at !== null)
    .sort((a, b) => (a.started_at?.getTime() ?? 0) - (b.started_at?.getTime() ?? 0));
  for (const op of running) {
    const key = `${op.work_center_code}#${op.machine}`;
    const opKey = `${op.order_id}/${op.seq}`;
    if ((op.machine ?? 0) > (machinesOf.get(op.work_center_code) ?? 0) || runningOnMachine.has(key)) continueOnMachine.add(opKey);
    else runningOnMachine.set(key, opKey);
  }
  return continueOnMachine;
}

/** Clamp an observed rate to a band around the routing rate: a single odd report must not wreck ETAs. */
function observedRemainingMinutes(op: OperationRow, remainingQuantity: number): number | undefined {
  const units = op.quantity_good + op.quantity_scrap;
  if (!op.started_at || !op.last_report_at || units < 1) return undefined;
  const elapsedMinutes = (op.last_report_at.getTime() - op.started_at.getTime()) / 60_000;
  if (elapsedMinutes <= 0) return undefined;
  const rate = Math.min(Math.max(elapsedMinutes / units, op.run_minutes_per_unit * 0.5), op.run_minutes_per_unit * 3);
  return remainingQuantity * rate;
}

/** One open operation as the engine sees it: remaining quantity, running, held or continuing. */
function operationInput(
  op: OperationRow,
  orderQuantity: number,
  context: { hold: Hold | undefined; continues: boolean; machines: number; pin: PinRow | undefined },
): OperationInput {
  const remaining = Math.max(0, orderQuantity - op.quantity_good);
  const { hold, continues } = context;
  const machine = op.machine;
  const startedAt = op.started_at;
  const running = op.status === 'running' && machine !== null && startedAt !== null && !continues;
  const remainingMinutes = running ? observedRemainingMinutes(op, remaining) : undefined;
  return {
    seq: op.seq,
    workCenter: op.work_center_code,
    setupMinutes: continues ? 0 : op.setup_minutes,
    runMinutesPerUnit: op.run_minutes_per_unit,
    quantity: remaining,
    ...(op.min_transfer_minutes > 0 ? { minTransferMinutes: op.min_transfer_minutes } : {}),
    // A held operation that is already running keeps running: the hold only stops a start.
    status: running ? 'running' : hold ? 'held' : 'pending',
    ...(running ? { running: { machine, startedAt: startedAt.getTime(), ...(remainingMinutes !== undefined ? { remainingMinutes } : {}) } } : {}),
    ...(hold && !running ? { hold: { until: hold.until, reason: hold.reason, ...(hold.andonId ? { andonId: hold.andonId } : {}) } } : {}),
    ...(continues && machine !== null && machine <= context.machines ? { pin: { machine } } : {}),
    ...(!running && !continues ? plannerPin(context.pin, context.machines) : {}),
  };
}

/**
 * A planner's pin as the engine takes it: exact keeps machine and start, queue keeps the machine and
 * joins its sequence at the pin's time. Running work ignores pins (it stays where it runs). A machine
 * the work center no longer has cannot be honoured: left out, so the plan stays feasible.
 */
function plannerPin(pin: PinRow | undefined, machines: number): Pick<OperationInput, 'pin'> {
  if (!pin || pin.machine > machines) return {};
  const at = pin.start_at?.getTime();
  if (pin.mode === 'exact' && at !== undefined) return { pin: { machine: pin.machine, start: at } };
  return { pin: { machine: pin.machine, ...(at !== undefined ? { queueAt: at } : {}) } };
}

async function readPreviousPlan(db: Queryable, versionId: string | null): Promise<PreviousPlan | null> {
  if (!versionId) return null;
  const planned = await db
    .selectFrom('planned_operation as pl')
    .innerJoin('customer_order as o', 'o.id', 'pl.order_id')
    .select(['o.code', 'pl.seq', 'pl.work_center_code', 'pl.machine', 'pl.start_at', 'pl.end_at'])
    .where('pl.version_id', '=', versionId)
    .where('o.status', '=', 'open')
    .execute();
  return {
    operations: planned.map(
      (p): PlannedOperation => ({
        order: p.code,
        seq: p.seq,
        workCenter: p.work_center_code,
        machine: p.machine,
        start: p.start_at.getTime(),
        end: p.end_at.getTime(),
        setupMinutes: 0,
        pinned: false,
        frozen: false,
      }),
    ),
  };
}

/**
 * A forecast shortage behaves like a material hold: the operations the latest plan runs short hold
 * until the arrival estimate, else the material andon's default from the shortage's first-seen
 * instant. That instant is remembered (component_shortage), so a hold that moved an operation does
 * not move its own lift on the next plan. An open andon's later hold wins.
 */
async function holdShortOperations(
  db: Queryable,
  plantId: number,
  input: { previousPlan: PreviousPlan | null; orders: OrderInput[]; now: number },
): Promise<Map<string, number>> {
  const firstSeen = new Map<string, number>();
  if (!input.previousPlan) return firstSeen;
  const materials = await readMaterials(db, plantId);
  if (!materials) return firstSeen;
  const orderByCode = new Map(input.orders.map((o) => [o.code, o]));
  const demand: DemandOperation[] = [];
  for (const p of input.previousPlan.operations) {
    const order = orderByCode.get(p.order);
    const op = order?.operations.find((o) => o.seq === p.seq);
    if (!order || !op) continue;
    demand.push({ order: p.order, seq: p.seq, product: order.product, workCenter: p.workCenter, start: p.start, remaining: op.quantity });
  }
  const shortages = forecastShortages(demand, materials.bomOf, materials.stock);
  for (const sh of shortages) if (!materials.anchors.has(sh.component)) firstSeen.set(sh.component, sh.neededAt);
  const holds = shortageHolds(shortages, materials.anchors, {
    now: input.now,
    defaultMs: andonEffects.material.defaultMinutes * 60_000,
    overdueMs: OVERDUE_EXTENSION_MS,
  });
  for (const order of input.orders) {
    for (const op of order.operations) {
      const hold = holds.get(`${order.code}/${op.seq}`);
      if (!hold || op.status === 'running' || (op.hold && op.hold.until >= hold.until)) continue;
      op.status = 'held';
      op.hold = { until: hold.until, reason: 'material' };
    }
  }
  return firstSeen;
}

/** The engine's input for one plant now, the plan the floor has, and how to save the new one. */
export async function loadSnapshot(db: Queryable, plantId: number, now: number): Promise<LoadedSnapshot> {
  const rows = await readPlant(db, plantId);
  const calendars: Calendar[] = rows.calendarRows.map((c) => ({
    code: c.code,
    timeZone: c.time_zone,
    shifts: c.shifts as Calendar['shifts'],
    exceptions: c.exceptions as Calendar['exceptions'],
  }));
  const workCenters: WorkCenter[] = rows.workCenterRows.map((w) => ({
    code: w.code,
    machines: w.machines,
    calendar: w.calendar_code,
    setupMatrix: w.setup_matrix as WorkCenter['setupMatrix'],
  }));
  const { downtimes, holds } = andonConstraints(rows.andonRows, now);
  const machinesOf = new Map(rows.workCenterRows.map((w) => [w.code, w.machines]));
  const continueOnMachine = operationsToContinue(rows.operationRows, machinesOf);
  const pinOf = new Map(rows.pinRows.map((p) => [`${p.order_id}/${p.seq}`, p]));

  const opsByOrder = new Map<string, OperationRow[]>();
  for (const op of rows.operationRows) {
    const list = opsByOrder.get(op.order_id) ?? [];
    list.push(op);
    opsByOrder.set(op.order_id, list);
  }
  const orderIds = new Map<string, string>();
  const orders: OrderInput[] = [];
  for (const o of rows.orderRows) {
    const ops = opsByOrder.get(o.id);
    if (!ops?.length) continue;
    orderIds.set(o.code, o.id);
    orders.push({
      code: o.code,
      product: o.product_code,
      ...(o.family ? { family: o.family } : {}),
      quantity: o.quantity,
      ...(o.release_at ? { releaseAt: o.release_at.getTime() } : {}),
      dueAt: o.due_at.getTime(),
      priority: o.priority,
      ...(o.promised ? { promised: true } : {}),
      operations: ops.map((op) =>
        operationInput(op, o.quantity, {
          hold: holds.get(`${o.id}/${op.seq}`),
          continues: continueOnMachine.has(`${o.id}/${op.seq}`),
          machines: machinesOf.get(op.work_center_code) ?? 0,
          pin: pinOf.get(`${o.id}/${op.seq}`),
        }),
      ),
    });
  }

  const previousPlan = await readPreviousPlan(db, rows.versionId);
  const shortagesFirstSeen = await holdShortOperations(db, plantId, { previousPlan, orders, now });
  const held = new Map<string, 'material' | 'quality'>();
  for (const order of orders) for (const op of order.operations) if (op.hold) held.set(`${order.code}/${op.seq}`, op.hold.reason);
  return { snapshot: { calendars, workCenters, downtimes, orders }, previousPlan, orderIds, pins: rows.pinRows, shortagesFirstSeen, held };
}
