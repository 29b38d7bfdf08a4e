import { compileCalendar, expandCalendar } from '../../../scheduler/engine/calendar.ts';
import { schedule } from '../../../scheduler/engine/index.ts';
import type { Plan, PreviousPlan, ScheduleOptions, Snapshot } from '../../../scheduler/engine/model.ts';
import { demoProducts } from '../factory.ts';
import { seededRandom } from '../random.ts';
import {
  actualMinutes,
  andonCourse,
  arrivingOrder,
  materialShort,
  nextArrivalGapMinutes,
  nextBreakdownMinutes,
  qualityStop,
  twinTime,
  type TwinAndonReason,
} from './model.ts';
import { twinParameters } from './parameters.ts';
import { twinCalendar, twinSnapshot, twinWorkCenters } from './snapshot.ts';
import type { TwinAndon, TwinHour, TwinOperation, TwinOrder } from './state.ts';

/**
 * The digital twin on a simulated clock: the demo factory in memory, re-planned by the real engine
 * whenever something happened, its machines starting what the plan put on them next. One seed, one
 * history. Reports an hourly sample and, per order, its due date, every ETA the plans gave it and its
 * actual completion.
 */
export interface TwinRunOptions {
  seed: number;
  /** Simulated start; the twin starts at a Monday shift start by default. */
  start?: number;
  days: number;
  /** Simulated minutes per step; divides 60 so shift boundaries fall on steps. */
  stepMinutes?: number;
  /**
   * Engine options; construction only (no search) by default so a month runs in seconds. A function
   * is asked before every plan and gives all of them, for options that depend on the snapshot or
   * start a clock per solve (the live loop's budget).
   */
  engine?: Partial<ScheduleOptions> | ((snapshot: Snapshot) => ScheduleOptions);
  /**
   * Plan with the previous plan (repair, as the live loop does; the default) or from scratch each
   * time: a diagnostic for how much of the ETA error the repair's kept sequences cause.
   */
  repair?: boolean;
  /** Observers (a benchmark): what the twin does is the same with or without them. */
  hooks?: TwinHooks;
}

/** The twin as it stands at one simulated instant, for hooks. Read it, do not change it. */
export interface TwinView {
  now: number;
  inShift: boolean;
  /** The plan the floor works to: the latest at or before now. */
  plan: Plan | null;
  /** Whether the engine planned at this instant. */
  replanned: boolean;
  orders: ReadonlyMap<string, TwinOrder>;
  andons: ReadonlyMap<string, TwinAndon>;
  /** The engine's input now, built on demand (it costs a pass over every open order). */
  snapshot(): Snapshot;
}

export interface TwinHooks {
  /**
   * An order arriving in the run (not the opening book), before the twin takes it: the hook may set
   * its dueAt, releaseAt and priority, as a customer accepting a quoted date would.
   */
  arriving?(order: TwinOrder, view: TwinView): void;
  /** After every step's plan, before the machines take their next jobs. */
  step?(view: TwinView): void;
}

export interface TwinRun {
  hours: TwinHour[];
  orders: TwinOrder[];
  andons: TwinAndon[];
  plans: number;
  /** Plans the engine refused (should stay 0). */
  planErrors: string[];
}

const { MINUTE_MS, HOUR_MS, DAY_MS } = twinTime;
// Monday 2026-11-30 06:00 in Asia/Shanghai (UTC+8): the first shift of a week.
const DEFAULT_START = Date.UTC(2026, 10, 29, 22, 0);
const familyOf = new Map(demoProducts.map((p) => [p.code, p.body.family]));
const routingOf = new Map(demoProducts.map((p) => [p.code, p.body.routing]));

/** Working intervals of the plant's calendar over the run, for "is the shift on now". */
function shiftClock(from: number, to: number): (t: number) => boolean {
  const working = expandCalendar(compileCalendar(twinCalendar), from, to);
  return (t) => {
    for (let k = 0; k < working.length; k += 2) if (t >= working[k]! && t < working[k + 1]!) return true;
    return false;
  };
}

export function runTwin(options: TwinRunOptions): TwinRun {
  const random = seededRandom(options.seed);
  const stepMinutes = options.stepMinutes ?? 5;
  const step = stepMinutes * MINUTE_MS;
  const start = options.start ?? DEFAULT_START;
  const end = start + options.days * DAY_MS;
  const inShift = shiftClock(start - DAY_MS, end + DAY_MS);
  const defaults: ScheduleOptions = { seed: options.seed, timeLimitMs: 0, maxIterations: 0, frozenMinutes: 30, objective: 'tardiness' };
  const engineOptions = (snapshot: Snapshot): ScheduleOptions =>
    typeof options.engine === 'function' ? options.engine(snapshot) : { ...defaults, ...options.engine };
  const hooks = options.hooks ?? {};

  const orders = new Map<string, TwinOrder>();
  const andons = new Map<string, TwinAndon>();
  const hours: TwinHour[] = [];
  const planErrors: string[] = [];
  let plans = 0;
  let plan: Plan | null = null;
  let orderNumber = 2611000;
  let andonNumber = 0;
  let now = start;
  let changed = true;
  let replanned = false;
  const view = (): TwinView => ({ now, inShift: inShift(now), plan, replanned, orders, andons, snapshot: () => twinSnapshot(orders.values(), andons, now) });

  /** A new order; the opening book's material is in stock (released at once), as the seed's is. */
  const addOrder = (at: number, opening = false): void => {
    const body = arrivingOrder(random, `SO-${++orderNumber}`, at);
    const routing = routingOf.get(body.product)!;
    const order: TwinOrder = {
      code: body.code,
      product: body.product,
      family: familyOf.get(body.product) ?? body.product,
      quantity: body.quantity,
      priority: body.priority ?? 1,
      arrivedAt: at,
      releaseAt: opening ? at : Date.parse(body.releaseAt),
      dueAt: Date.parse(body.dueAt),
      operations: routing.map((s) => ({ seq: s.seq, workCenter: s.workCenter, setupMinutes: s.setupMinutes, runMinutesPerUnit: s.runMinutesPerUnit, status: 'pending', doneUnits: 0, runMinutes: 0 })),
      etas: [],
    };
    if (!opening) hooks.arriving?.(order, view());
    orders.set(order.code, order);
    changed = true;
  };

  const raise = (reason: TwinAndonReason, workCenter: string, target: { machine?: number; order?: string; seq?: number }): TwinAndon => {
    const course = andonCourse(random, reason, workCenter);
    const andon: TwinAndon = {
      id: `twin-${++andonNumber}`,
      reason,
      workCenter,
      ...target,
      raisedAt: now,
      expectedMinutes: course.expectedMinutes,
      acknowledgeAt: now + course.acknowledgeAfterMinutes * MINUTE_MS,
      resolveAt: now + course.resolveAfterMinutes * MINUTE_MS,
      acknowledged: false,
      resolved: false,
    };
    andons.set(andon.id, andon);
    changed = true;
    return andon;
  };

  const openAndons = (): TwinAndon[] => [...andons.values()].filter((a) => !a.resolved);
  const machineDown = (workCenter: string, machine: number): boolean =>
    openAndons().some((a) => a.reason === 'breakdown' && a.workCenter === workCenter && (a.machine === undefined || a.machine === machine));

  // Per machine: working minutes left until it next breaks down.
  const untilBreakdown = new Map<string, number>();
  for (const wc of twinWorkCenters) for (let m = 1; m <= wc.machines; m++) untilBreakdown.set(`${wc.code}#${m}`, nextBreakdownMinutes(random, wc.code));

  const replan = (): void => {
    const previous: PreviousPlan | null = plan && options.repair !== false ? { operations: plan.operations } : null;
    const snapshot = twinSnapshot(orders.values(), andons, now);
    const result = schedule(snapshot, previous, now, engineOptions(snapshot));
    plans++;
    if (!result.ok) {
      planErrors.push(`${new Date(now).toISOString()}: ${result.errors.map((e) => e.message).join('; ')}`);
      return;
    }
    plan = result.plan;
    for (const eta of plan.orders) {
      const order = orders.get(eta.order)!;
      if (order.etas.at(-1)?.eta !== eta.eta) order.etas.push({ at: now, eta: eta.eta });
    }
  };

  const completeOperation = (order: TwinOrder, op: TwinOperation, at: number): void => {
    op.status = 'done';
    op.doneUnits = order.quantity;
    op.workedMinutes = op.runMinutes - stepMinutes + (at - now) / MINUTE_MS;
    if (order.operations.every((o) => o.status === 'done')) order.completedAt = at;
    changed = true;
  };

  /** One step of working time for a running job: setup first, then units. */
  const work = (order: TwinOrder, op: TwinOperation): void => {
    if (machineDown(op.workCenter, op.machine!)) return;
    const actual = op.actual!;
    let minutes = stepMinutes;
    const setup = Math.min(minutes, actual.setupLeft);
    actual.setupLeft -= setup;
    minutes -= setup;
    op.runMinutes += stepMinutes;
    const needed = (order.quantity - op.doneUnits) * actual.perUnit;
    if (minutes >= needed) {
      completeOperation(order, op, now + (stepMinutes - minutes + needed) * MINUTE_MS);
      return;
    }
    op.doneUnits += minutes / actual.perUnit;
    if (qualityStop(random, stepMinutes)) {
      // The job leaves the machine, held until quality releases it; what it made stays made.
      const andon = raise('quality', op.workCenter, { order: order.code, seq: op.seq });
      op.status = 'pending';
      op.holdAndon = andon.id;
      delete op.machine;
    }
  };

  const ready = (order: TwinOrder, op: TwinOperation): boolean => {
    if (op.status !== 'pending' || op.holdAndon || order.releaseAt > now) return false;
    const previous = order.operations.find((o) => o.seq === op.seq - 1);
    return !previous || previous.status === 'done';
  };

  /** Idle machines take the next job the plan put on them whose material is there. */
  const startPlannedJobs = (): void => {
    if (!plan) return;
    const busy = new Set<string>();
    for (const o of orders.values()) for (const op of o.operations) if (op.status === 'running') busy.add(`${op.workCenter}#${op.machine}`);
    const byMachine = new Map<string, Plan['operations']>();
    for (const p of plan.operations) {
      const key = `${p.workCenter}#${p.machine}`;
      byMachine.set(key, [...(byMachine.get(key) ?? []), p]);
    }
    for (const [key, planned] of byMachine) {
      if (busy.has(key)) continue;
      const [workCenter, machineText] = key.split('#') as [string, string];
      const machine = Number(machineText);
      if (machineDown(workCenter, machine)) continue;
      for (const p of planned.sort((a, b) => a.start - b.start)) {
        const order = orders.get(p.order);
        const op = order?.operations.find((o) => o.seq === p.seq);
        if (!order || !op || !ready(order, op)) continue;
        if (!op.actual && materialShort(random)) {
          op.holdAndon = raise('material', workCenter, { order: order.code, seq: op.seq }).id;
          continue;
        }
        op.actual ??= (() => {
          const drawn = actualMinutes(random, workCenter, op.setupMinutes, op.runMinutesPerUnit);
          return { setupLeft: drawn.setup, perUnit: drawn.perUnit };
        })();
        op.status = 'running';
        op.machine = machine;
        op.startedAt = now;
        changed = true;
        break;
      }
    }
  };

  const sample = (): void => {
    const open = [...orders.values()].filter((o) => o.completedAt === undefined);
    const late = plan ? plan.orders.filter((e) => e.late && orders.get(e.order)?.completedAt === undefined) : [];
    const busy = new Set<string>();
    for (const o of open) for (const op of o.operations) if (op.status === 'running') busy.add(op.workCenter);
    hours.push({
      at: now,
      inShift: inShift(now),
      openOrders: open.length,
      lateOrders: late.length,
      lateWithReasons: late.filter((e) => e.reasons.length > 0).length,
      busyWorkCenters: busy.size,
      openAndons: openAndons().length,
    });
  };

  for (let i = 0; i < twinParameters.openingOrders; i++) addOrder(start, true);
  let untilArrival = nextArrivalGapMinutes(random);

  for (; now < end; now += step) {
    // Leads close what is due; a resolved hold frees its job.
    for (const a of openAndons()) {
      if (!a.acknowledged && a.acknowledgeAt <= now) a.acknowledged = true;
      if (a.resolveAt > now) continue;
      a.resolved = true;
      changed = true;
      if (a.order) {
        const op = orders.get(a.order)?.operations.find((o) => o.seq === a.seq);
        if (op?.holdAndon === a.id) delete op.holdAndon;
      }
    }
    if (inShift(now)) {
      // Orders arrive in working time (sales and customers work the plant's hours).
      untilArrival -= stepMinutes;
      while (untilArrival <= 0) {
        addOrder(now);
        untilArrival += nextArrivalGapMinutes(random);
      }
      for (const [key, left] of untilBreakdown) {
        const rest = left - stepMinutes;
        if (rest > 0) {
          untilBreakdown.set(key, rest);
          continue;
        }
        const [workCenter, machine] = key.split('#') as [string, string];
        if (!machineDown(workCenter, Number(machine))) raise('breakdown', workCenter, { machine: Number(machine) });
        untilBreakdown.set(key, nextBreakdownMinutes(random, workCenter));
      }
      for (const order of orders.values()) {
        if (order.completedAt !== undefined) continue;
        for (const op of order.operations) if (op.status === 'running') work(order, op);
      }
    }
    replanned = changed;
    if (changed) {
      replan();
      changed = false;
    }
    hooks.step?.(view());
    if (inShift(now)) startPlannedJobs();
    if ((now - start) % HOUR_MS === 0) sample();
  }
  return { hours, orders: [...orders.values()], andons: [...andons.values()], plans, planErrors };
}
