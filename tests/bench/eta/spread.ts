import { sampleEtaSpread } from '../../../scheduler/engine/eta-spread.ts';
import {
  learnSpreadModel, type BreakdownHistory, type CalibrationObservation, type DurationObservation, type HoldHistory, type SpreadModel,
} from '../../../scheduler/engine/spread-model.ts';
import type { TwinView } from '../../../server/demo/twin/run.ts';
import { twinWorkCenters } from '../../../server/demo/twin/snapshot.ts';
import { FROZEN_MINUTES, type QuoteSpreadAt, type SpreadAt } from './month.ts';

/**
 * The P50/P90 at one instant of the twin: the spread model learned from the twin's own history up to
 * that instant, as production learns it from its event log, then the engine's sampler.
 *
 * Never from server/demo/twin/parameters.ts: the twin's true noise and MTBF/MTTR are what the model
 * must discover. Reading them would measure a sampler that knows the answer (cheating), and tell
 * nothing about the one a real plant gets.
 */

/** Futures per sampling. No time limit: the figures stay seeded, whatever the machine's load. */
export const SPREAD_SAMPLES = 100;

/**
 * Completed operations: standard = setup + run per unit x quantity (the routing's), actual = the
 * working minutes the machine spent on the job. Without the time its machine stood broken down: the
 * model draws breakdowns on their own, and counting them in durations too would count them twice.
 */
export function durationHistory(view: TwinView): DurationObservation[] {
  const observations: DurationObservation[] = [];
  for (const order of view.orders.values()) {
    for (const op of order.operations) {
      if (op.status !== 'done' || op.workedMinutes === undefined) continue;
      observations.push({ workCenter: op.workCenter, family: order.family, standardMinutes: op.setupMinutes + op.runMinutesPerUnit * order.quantity, actualMinutes: op.workedMinutes });
    }
  }
  return observations;
}

/** Breakdown andons resolved by now, per work center, over the working hours observed so far. */
export function breakdownHistory(view: TwinView, observedShiftHours: number): BreakdownHistory[] {
  const repairs = new Map<string, number[]>(twinWorkCenters.map((wc) => [wc.code, []]));
  for (const a of view.andons.values()) {
    if (a.reason !== 'breakdown' || !a.resolved || a.resolveAt > view.now) continue;
    repairs.get(a.workCenter)?.push((a.resolveAt - a.raisedAt) / 60_000);
  }
  return twinWorkCenters.map((wc) => ({ workCenter: wc.code, machines: wc.machines, observedHours: observedShiftHours, repairMinutes: repairs.get(wc.code)! }));
}

/** Jobs started per work center, and its material and quality holds resolved by now (their waits). */
export function holdHistory(view: TwinView): HoldHistory[] {
  const starts = new Map<string, number>(twinWorkCenters.map((wc) => [wc.code, 0]));
  for (const order of view.orders.values()) {
    for (const op of order.operations) if (op.status !== 'pending') starts.set(op.workCenter, (starts.get(op.workCenter) ?? 0) + 1);
  }
  const delays = new Map<string, number[]>(twinWorkCenters.map((wc) => [wc.code, []]));
  for (const a of view.andons.values()) {
    if (a.reason === 'breakdown' || !a.resolved || a.resolveAt > view.now) continue;
    delays.get(a.workCenter)?.push((a.resolveAt - a.raisedAt) / 60_000);
  }
  return twinWorkCenters.map((wc) => ({ workCenter: wc.code, starts: starts.get(wc.code)!, delayMinutes: delays.get(wc.code)! }));
}

export function learnedModel(view: TwinView, observedShiftHours: number, known: CalibrationObservation[] = []): SpreadModel {
  return learnSpreadModel(durationHistory(view), breakdownHistory(view, observedShiftHours), holdHistory(view), known);
}

/** A sampler for runMonth; each call gets its own seed so the futures of two instants are independent draws. */
export function spreadAt(options: { seed: number; samples?: number }): SpreadAt {
  let calls = 0;
  return (view, orders, observedShiftHours, known) => {
    const plan = view.plan!;
    const wanted = new Set(orders);
    const liveEtas = new Map(plan.orders.filter((e) => wanted.has(e.order)).map((e) => [e.order, e.eta]));
    const model = learnedModel(view, observedShiftHours, known);
    const scale = model.p90Scale?.scale ?? 1;
    const shiftMinutes = model.p50Shift?.minutes ?? 0;
    const result = sampleEtaSpread(view.snapshot(), { operations: plan.operations }, view.now, liveEtas, model, {
      samples: options.samples ?? SPREAD_SAMPLES,
      seed: options.seed * 100_003 + ++calls,
      frozenMinutes: FROZEN_MINUTES,
    });
    return new Map(result.orders.map((o) => [o.order, { p50: o.p50, p90: o.p90, scale, shiftMinutes }]));
  };
}

/** Futures of a quote, as /quotes samples them (scheduler/tasks/preview.ts's QUOTE_SPREAD_SAMPLES). */
export const QUOTE_SPREAD_SAMPLES = 24;

/** The P90 /quotes gives: the plan with the quoted order added, its futures sampled, the model learned as for the orders. */
export function quoteSpreadAt(options: { seed: number }): QuoteSpreadAt {
  let calls = 0;
  return (view, ordered, observedShiftHours, known) => {
    const plan = view.plan;
    const snapshot = view.snapshot();
    const result = sampleEtaSpread(
      { ...snapshot, orders: [...snapshot.orders, ordered] },
      plan ? { operations: plan.operations } : null,
      view.now,
      new Map([[ordered.code, ordered.dueAt]]),
      learnedModel(view, observedShiftHours, known),
      { samples: QUOTE_SPREAD_SAMPLES, seed: options.seed * 200_003 + ++calls, frozenMinutes: FROZEN_MINUTES },
    );
    return result.orders.find((o) => o.order === ordered.code)?.p90 ?? null;
  };
}
