/**
 * Capable-to-promise: the date a new order can be promised, planned against everything already on
 * the floor. Pure, like schedule(): every answer is a plan of the same snapshot with the candidate
 * added, so a quote is exactly as good as the engine's plans.
 *
 * - "earliest": the candidate expedited (its priority one above every open order's, so the plan puts
 *   it first wherever that helps it); every order it would delay is listed.
 * - "keep-promises": the earliest release of the candidate at which no existing order ends later
 *   than max(its due, its ETA without the candidate), found by bisection over the release time (a
 *   later release can only leave more room to the others). The order created from the quote keeps
 *   that release, so the live plan starts from the situation the quote was computed for.
 *
 * Either way the date is checked the way the order will be planned: with the quoted date as its
 * due, promised (see OrderInput.promised). An order whose plan would then end later is quoted the
 * later date (a few rounds at most), so a quote is one the plan keeps while the floor has not changed.
 */
import { schedule } from './index.ts';
import type { Infeasibility, Instant, OrderEta, OrderInput, Plan, PreviousPlan, ScheduleOptions, Snapshot } from './model.ts';

export type QuoteMode = 'keep-promises' | 'earliest';

/** A quote's candidate: the new order as the engine takes it, without the dates the quote decides. */
export type QuoteCandidate = Omit<OrderInput, 'releaseAt' | 'dueAt'>;

export interface QuoteRequest {
  order: QuoteCandidate;
  mode: QuoteMode;
}

export interface QuoteImpact {
  order: string;
  etaBefore: Instant;
  etaAfter: Instant;
  lateBefore: boolean;
  lateAfter: boolean;
}

export type QuoteResult =
  | {
      ok: true;
      /** The date to promise: the candidate's plan ends by it. */
      eta: Instant;
      /** The candidate's release (now for "earliest"). */
      releaseAt: Instant;
      /** The candidate's priority as quoted (raised for "earliest"): the order is created with it. */
      priority: number;
      /** Existing orders that end later with the candidate than without it. */
      impacts: QuoteImpact[];
      /** The plan with the candidate, released at releaseAt and due at eta. */
      plan: Plan;
      /** Plans computed to answer (each one a full construction, plus the options' search). */
      plans: number;
    }
  | { ok: false; errors: Infeasibility[] };

/** Release times are bisected down to this step. */
export const QUOTE_RELEASE_STEP_MS = 15 * 60_000;
/** ETA changes below this are the construction's rounding, not a delay worth naming. */
const TOLERANCE_MS = 60_000;
/** Rounds of "plan it with the quoted date as its due" before the date is taken as it stands. */
const HONESTY_ROUNDS = 4;

export function quote(snapshot: Snapshot, previousPlan: PreviousPlan | null, now: Instant, request: QuoteRequest, options: ScheduleOptions): QuoteResult {
  const base = schedule(snapshot, previousPlan, now, options);
  if (!base.ok) return base;
  const before = new Map(base.plan.orders.map((o) => [o.order, o]));
  const code = request.order.code;
  let plans = 1;

  const priority =
    request.mode === 'earliest' ? Math.max(request.order.priority, ...snapshot.orders.map((o) => o.priority + 1)) : request.order.priority;
  const planWith = (releaseAt: Instant, dueAt: Instant) => {
    plans += 1;
    const candidate: OrderInput = { ...request.order, priority, releaseAt, dueAt, promised: true };
    return schedule({ ...snapshot, orders: [...snapshot.orders, candidate] }, previousPlan, now, options);
  };
  const etaIn = (plan: Plan): Instant => plan.orders.find((o) => o.order === code)!.eta;
  const delayed = (o: OrderEta) => {
    const b = before.get(o.order);
    return o.order !== code && b !== undefined && o.eta > b.eta + TOLERANCE_MS ? b : null;
  };
  const keepsPromises = (plan: Plan) =>
    plan.orders.every((o) => {
      const b = delayed(o);
      return b === null || o.eta <= Math.max(o.dueAt, b.eta) + TOLERANCE_MS;
    });

  // The release: now, or the earliest one (to the step) at which nobody's promise is broken.
  let releaseAt = now;
  if (request.mode === 'keep-promises') {
    const first = planWith(now, now);
    if (!first.ok) return first;
    if (!keepsPromises(first.plan)) {
      // After everything planned now ends, the candidate cannot be in anyone's way.
      let high = now + Math.ceil((base.plan.figures.makespan - now) / QUOTE_RELEASE_STEP_MS) * QUOTE_RELEASE_STEP_MS;
      let low = now;
      while (high - low > QUOTE_RELEASE_STEP_MS) {
        const mid = low + Math.floor((high - low) / 2 / QUOTE_RELEASE_STEP_MS) * QUOTE_RELEASE_STEP_MS;
        const probe = planWith(mid, mid);
        if (!probe.ok) return probe;
        if (keepsPromises(probe.plan)) high = mid;
        else low = mid;
      }
      releaseAt = high;
    }
  }

  // The date, checked as the order will be planned: due at the date quoted.
  const urgent = planWith(releaseAt, releaseAt);
  if (!urgent.ok) return urgent;
  let eta = etaIn(urgent.plan);
  let plan = urgent.plan;
  for (let round = 0; round < HONESTY_ROUNDS; round++) {
    const asOrdered = planWith(releaseAt, eta);
    if (!asOrdered.ok) return asOrdered;
    plan = asOrdered.plan;
    const planned = etaIn(plan);
    if (planned <= eta) break;
    eta = planned;
  }

  const impacts: QuoteImpact[] = [];
  for (const o of plan.orders) {
    const b = delayed(o);
    if (b) impacts.push({ order: o.order, etaBefore: b.eta, etaAfter: o.eta, lateBefore: b.late, lateAfter: o.late });
  }
  impacts.sort((a, b) => b.etaAfter - b.etaBefore - (a.etaAfter - a.etaBefore));
  return { ok: true, eta, releaseAt, priority, impacts, plan, plans };
}
