import type { CalibrationObservation } from '../../../scheduler/engine/spread-model.ts';
import type { OrderInput, ScheduleOptions, Snapshot } from '../../../scheduler/engine/model.ts';
import { quote } from '../../../scheduler/engine/quote.ts';
import { liveSearchBudget } from '../../../scheduler/tasks/budget.ts';
import { runTwin, type TwinView } from '../../../server/demo/twin/run.ts';
import type { TwinOrder } from '../../../server/demo/twin/state.ts';
import type { OrderRecord } from './figures.ts';

/**
 * One simulated month of the demo factory's twin, watched: per arriving order its static ETA, its
 * live ETAs at due - 48 h and due - 24 h, the P50/P90 sampled at due - 48 h and, for a share of
 * orders, the date a keep-promises quote promised. The twin runs exactly as the demo does; the
 * bench only observes it and, for quoted orders, sets the dates the customer accepted.
 */

const HOUR_MS = 3_600_000;
/** As server/config.ts's TAKT_FROZEN_MINUTES default. */
export const FROZEN_MINUTES = 30;

/**
 * 'live': the live loop's options per plan (liveSearchBudget: a count of iterations with a wall-clock
 * backstop, seed 1); 'construction': no search (fast); a number: that many iterations and no backstop.
 */
export type EngineMode = 'live' | 'construction' | number;

/** P50/P90 of the given open orders at the view's instant; the twin's history up to then is in the view. */
/** `known`: P90s given earlier, of orders completed since (the plant's record, for the calibration). */
export type SpreadAt = (
  view: TwinView,
  orders: readonly string[],
  observedShiftHours: number,
  known: CalibrationObservation[],
) => ReadonlyMap<string, { p50: number; p90: number; scale: number; shiftMinutes: number }>;

/** The P90 of the plan with the quoted order added, as /quotes gives it (scheduler/tasks/preview.ts). */
export type QuoteSpreadAt = (view: TwinView, ordered: OrderInput, observedShiftHours: number, known: CalibrationObservation[]) => number | null;

export interface MonthOptions {
  seed: number;
  days: number;
  engine: EngineMode;
  /** Every n-th arriving order asks for a keep-promises quote and takes the quoted date as its due. */
  quoteEvery: number;
  /** The P50/P90 sampler; null leaves the P50/P90 columns empty. */
  spread: SpreadAt | null;
  /** The P90 of a quoted order (its dueAt is the quote's date), as /quotes samples it; null: promise the quote's date. */
  quoteSpread?: QuoteSpreadAt | null;
  stepMinutes?: number;
  /** False: every plan from scratch (diagnostic; the live loop repairs the previous plan). */
  repair?: boolean;
}

export interface MonthRecord {
  start: number;
  end: number;
  records: OrderRecord[];
  plans: number;
  planErrors: string[];
  quotes: { asked: number; refused: number };
  spreadCalls: number;
  /** Search iterations over all plans. */
  searchIterations: number;
  /** Live mode: plans the wall-clock backstop stopped before their iterations (0: the run repeats exactly). */
  cappedPlans: number;
}

/**
 * The live loop's options (scheduler/tasks/reschedule.ts), with a clock started per solve as the engine
 * thread does; `capped` counts the plans the wall-clock backstop stopped before their iterations.
 */
function liveOptions(capped: { plans: number }): (snapshot: Snapshot) => ScheduleOptions {
  return (snapshot) => {
    const started = performance.now();
    const budget = liveSearchBudget(snapshot);
    let hit = false;
    const elapsedMs = () => {
      const elapsed = performance.now() - started;
      if (elapsed >= budget.timeLimitMs && !hit) {
        hit = true;
        capped.plans++;
      }
      return elapsed;
    };
    return { seed: 1, ...budget, elapsedMs, frozenMinutes: FROZEN_MINUTES, objective: 'tardiness' };
  };
}

function iterationOptions(iterations: number): () => ScheduleOptions {
  return () => ({ seed: 1, timeLimitMs: 60_000, maxIterations: iterations, frozenMinutes: FROZEN_MINUTES, objective: 'tardiness' });
}

/** Quotes as the server answers them (scheduler/tasks/preview.ts): construction only, so a quote returns at once. */
const QUOTE_OPTIONS: ScheduleOptions = { seed: 1, timeLimitMs: 0, maxIterations: 0, frozenMinutes: FROZEN_MINUTES, objective: 'tardiness' };

export function runMonth(options: MonthOptions): MonthRecord {
  const stepMs = (options.stepMinutes ?? 5) * 60_000;
  const records = new Map<string, OrderRecord>();
  const quotes = { asked: 0, refused: 0 };
  let arrivals = 0;
  let observedShiftHours = 0;
  let spreadCalls = 0;

  /**
   * A quoted order is cut from stock (released when the quote says, not when bought-in material
   * comes): the quote plans it against the floor as it stands, as /quotes does, and the order is
   * created with the quote's release, priority and date.
   */
  const askQuote = (order: TwinOrder, view: TwinView): number | null => {
    quotes.asked++;
    const candidate = {
      code: order.code,
      product: order.product,
      family: order.family,
      quantity: order.quantity,
      priority: order.priority,
      operations: order.operations.map((op) => ({ seq: op.seq, workCenter: op.workCenter, setupMinutes: op.setupMinutes, runMinutesPerUnit: op.runMinutesPerUnit, quantity: order.quantity, status: 'pending' as const })),
    };
    const answer = quote(view.snapshot(), view.plan ? { operations: view.plan.operations } : null, view.now, { mode: 'keep-promises', order: candidate }, QUOTE_OPTIONS);
    if (!answer.ok) {
      quotes.refused++;
      return null;
    }
    order.releaseAt = answer.releaseAt;
    order.priority = answer.priority;
    order.promised = true;
    // The customer is promised the quote's P90, as POST /orders with a quote does (its promiseAt).
    const ordered: OrderInput = { ...candidate, releaseAt: answer.releaseAt, dueAt: answer.eta, priority: answer.priority, promised: true };
    const p90 = options.quoteSpread?.(view, ordered, observedShiftHours, calibrationRecord(view)) ?? null;
    order.dueAt = Math.max(answer.eta, p90 ?? answer.eta);
    return answer.eta;
  };

  /** P90s given earlier at due - 48 h, of orders completed since: the plant's record the P90 is calibrated on. */
  const calibrationRecord = (view: TwinView): CalibrationObservation[] => {
    const known: CalibrationObservation[] = [];
    for (const r of records.values()) {
      const completedAt = view.orders.get(r.code)?.completedAt;
      if (r.p90 !== undefined && r.live48 !== undefined && completedAt !== undefined && completedAt <= view.now) {
        known.push({
          eta: r.live48, p90: r.p90, completedAt, ...(r.p90Scale !== undefined ? { scale: r.p90Scale } : {}),
          ...(r.p50 !== undefined ? { p50: r.p50, p50ShiftMinutes: r.p50ShiftMinutes ?? 0 } : {}),
        });
      }
    }
    return known;
  };

  const arriving = (order: TwinOrder, view: TwinView): void => {
    arrivals++;
    const quotedEta = arrivals % options.quoteEvery === 0 ? askQuote(order, view) : null;
    records.set(order.code, {
      code: order.code, arrivedAt: order.arrivedAt, releaseAt: order.releaseAt, dueAt: order.dueAt, quoted: quotedEta !== null,
      ...(quotedEta !== null ? { quotedEta } : {}),
    });
  };

  let searched = 0;
  const capped = { plans: 0 };
  let lastPlan: TwinView['plan'] = null;
  const step = (view: TwinView): void => {
    if (view.inShift) observedShiftHours += stepMs / HOUR_MS;
    if (!view.plan) return;
    if (view.plan !== lastPlan) {
      lastPlan = view.plan;
      searched += view.plan.figures.iterations;
    }
    const etas = new Map(view.plan.orders.map((e) => [e.order, e.eta]));
    const sampleNow: string[] = [];
    for (const r of records.values()) {
      const eta = etas.get(r.code);
      if (eta === undefined) continue; // done, or not planned yet
      if (r.staticEta === undefined && view.replanned && view.now >= r.releaseAt) r.staticEta = eta;
      // This step's plan is the latest at or before the instant when the instant falls before the next step.
      const at = (hours: number) => r.dueAt - hours * HOUR_MS;
      const due = (hours: number) => at(hours) >= view.now && at(hours) < view.now + stepMs && at(hours) >= r.arrivedAt;
      if (due(48)) {
        r.live48 = eta;
        sampleNow.push(r.code);
      }
      if (due(24)) r.live24 = eta;
    }
    if (options.spread && sampleNow.length > 0) {
      spreadCalls++;
      const spread = options.spread(view, sampleNow, observedShiftHours, calibrationRecord(view));
      for (const code of sampleNow) {
        const s = spread.get(code);
        if (!s) continue;
        records.get(code)!.p50 = s.p50;
        records.get(code)!.p90 = s.p90;
        records.get(code)!.p90Scale = s.scale;
        records.get(code)!.p50ShiftMinutes = s.shiftMinutes;
      }
    }
  };

  const run = runTwin({
    seed: options.seed,
    days: options.days,
    ...(options.stepMinutes !== undefined ? { stepMinutes: options.stepMinutes } : {}),
    ...(options.engine === 'live' ? { engine: liveOptions(capped) } : typeof options.engine === 'number' ? { engine: iterationOptions(options.engine) } : {}),
    ...(options.repair === false ? { repair: false } : {}),
    hooks: { arriving, step },
  });
  for (const o of run.orders) {
    const r = records.get(o.code);
    if (r && o.completedAt !== undefined) r.completedAt = o.completedAt;
  }
  const start = run.hours[0]!.at;
  return { start, end: start + options.days * 86_400_000, records: [...records.values()], plans: run.plans, planErrors: run.planErrors, quotes, spreadCalls, searchIterations: searched, cappedPlans: capped.plans };
}
