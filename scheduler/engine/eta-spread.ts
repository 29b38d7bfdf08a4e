/**
 * Probabilistic ETAs: the dates by which half (P50) and nine in ten (P90) of the plausible futures
 * finish each order. Pure, seeded: the same snapshot, model and seed give the same dates.
 *
 * Method (README "How sure is an ETA"): K futures are drawn from the learned model (spread-model.ts):
 * every open operation's minutes times its log-normal factor, breakdowns of every machine as a
 * Poisson process in working time with exponential repairs, and jobs held at their planned start
 * (material, quality) with exponential waits. Each future is planned by the engine's
 * construction (no search: K plans must cost less than one live plan's search). What a future adds to
 * an order is measured against the construction of the unchanged snapshot, not against the live plan:
 * the live plan's search finishes some orders earlier than any construction would, and comparing the
 * two would count the search's gain as luck. The P50 / P90 are the live ETA plus the median / the
 * 90th percentile of those additions, so they move with the live ETA and keep its order decisions.
 * The P90's margin is then widened by the model's calibration factor, and the P50 moved by its
 * calibration shift (spread-model.ts).
 */
import { compileCalendar, expandCalendar, MINUTE_MS } from './calendar.ts';
import { construct } from './construct.ts';
import { orderEta } from './evaluate.ts';
import { dispatchAsFloor } from './floor-dispatch.ts';
import type { Downtime, Instant, OperationInput, PreviousPlan, ScheduleOptions, Snapshot } from './model.ts';
import { compileProblem } from './problem.ts';
import { createRandom, type Random } from './random.ts';
import { DURATION_PRIOR, type SpreadModel } from './spread-model.ts';

export interface SpreadOptions {
  samples: number;
  seed: number;
  frozenMinutes: number;
  /** Stop drawing futures past this (at least MIN_SAMPLES are drawn). Needs `elapsedMs`. */
  timeLimitMs?: number;
  elapsedMs?: () => number;
}

export interface OrderSpread {
  order: string;
  p50: Instant;
  p90: Instant;
}

/** Below this many futures a P90 is a guess; drawn whatever the time limit says. */
export const MIN_SAMPLES = 8;
/** Breakdowns are drawn this far past the latest ETA (later ones cannot move any order). */
const HORIZON_SLACK_MS = 2 * 86_400_000;
/** And never further than this from now: a plan reaching further is not made of today's floor. */
const MAX_HORIZON_MS = 90 * 86_400_000;

function normal(random: Random): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random.next()) * mean;
}

/** The value below which a share q of the sorted values lie (linear between neighbours). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const x = (sorted.length - 1) * q;
  const lo = Math.floor(x);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (x - lo);
}

/** Construction only, worked the floor's way: the ETAs of one future, by order code. Null when it cannot be planned. */
function constructedEtas(snapshot: Snapshot, previousPlan: PreviousPlan | null, now: Instant, options: ScheduleOptions): Map<string, number> | null {
  const problem = compileProblem(snapshot, previousPlan, now, options);
  const built = construct(problem);
  if (built.errors.length) return null;
  // Each future is worked as the floor works a plan: no machine idles while a queued job could start.
  const worked = dispatchAsFloor(problem, built.schedule);
  const etas = new Map<string, number>();
  problem.orders.forEach((o, k) => etas.set(o.code, orderEta(problem, worked, k)));
  return etas;
}

/** What every future shares: each work center's failure rate and working time until the horizon. */
interface FailureGround {
  until: Instant;
  workCenters: { code: string; machines: number; perMachineHour: number; repairMinutes: number; working: number[] }[];
}

function failureGround(snapshot: Snapshot, model: SpreadModel, now: Instant, until: Instant): FailureGround {
  const calendars = new Map(snapshot.calendars.map((c) => [c.code, c]));
  const rates = new Map(model.breakdowns.map((b) => [b.workCenter, b]));
  const workCenters: FailureGround['workCenters'] = [];
  for (const wc of snapshot.workCenters) {
    const rate = rates.get(wc.code);
    const calendar = calendars.get(wc.calendar);
    if (!rate || !(rate.perMachineHour > 0) || !calendar) continue;
    const working = expandCalendar(compileCalendar(calendar), now, until);
    workCenters.push({ code: wc.code, machines: wc.machines, perMachineHour: rate.perMachineHour, repairMinutes: rate.repairMinutes, working });
  }
  return { until, workCenters };
}

/** Breakdowns of every machine until the horizon, placed in each work center's working time. */
function sampledBreakdowns(ground: FailureGround, random: Random, sample: number): Downtime[] {
  const { until } = ground;
  const downtimes: Downtime[] = [];
  for (const rate of ground.workCenters) {
    const { working } = rate;
    for (let machine = 1; machine <= rate.machines; machine++) {
      // Walk the working intervals, spending exponential working time between failures.
      let k = 0;
      let at = working[0] ?? until;
      let gap = exponential(random, 60 * MINUTE_MS / rate.perMachineHour);
      while (k < working.length) {
        const left = working[k + 1]! - at;
        if (gap > left) {
          gap -= left;
          k += 2;
          at = working[k] ?? until;
          continue;
        }
        const from = at + gap;
        const to = from + exponential(random, rate.repairMinutes * MINUTE_MS);
        downtimes.push({ id: `sample-${sample}-${rate.code}-${machine}-${downtimes.length}`, workCenter: rate.code, machine, from, to, reason: 'breakdown' });
        // The next failure counts working time from the repair on.
        while (k < working.length && working[k + 1]! <= to) k += 2;
        at = k < working.length ? Math.max(working[k]!, to) : until;
        gap = exponential(random, 60 * MINUTE_MS / rate.perMachineHour);
      }
    }
  }
  return downtimes;
}

/** The snapshot as one future would have it: every open operation's minutes times its factor, plus breakdowns. */
type SpreadOf = (workCenter: string, family: string | undefined) => { logMean: number; logSd: number };

function spreadLookup(model: SpreadModel): SpreadOf {
  const spreads = new Map<string, { logMean: number; logSd: number }>();
  for (const d of model.durations) spreads.set(d.family === undefined ? d.workCenter : `${d.workCenter}\u0000${d.family}`, d);
  return (wc, family) => (family !== undefined ? spreads.get(`${wc}\u0000${family}`) : undefined) ?? spreads.get(wc) ?? DURATION_PRIOR;
}

/**
 * A job found held when it was due to start waits from its planned start (or now, if the plan has
 * none) for an exponential time; its machine takes the next job meanwhile, as the floor does.
 */
interface HoldGround {
  rates: Map<string, { perStart: number; meanMinutes: number }>;
  plannedStart: Map<string, number>;
  now: Instant;
}

function holdGround(model: SpreadModel, previousPlan: PreviousPlan | null, now: Instant): HoldGround {
  const rates = new Map((model.holds ?? []).map((h) => [h.workCenter, h]));
  const plannedStart = new Map((previousPlan?.operations ?? []).map((o) => [`${o.order}\u0000${o.seq}`, o.start]));
  return { rates, plannedStart, now };
}

function sampledHold(op: OperationInput, order: string, holds: HoldGround, random: Random): OperationInput['hold'] {
  const rate = holds.rates.get(op.workCenter);
  // Drawn for every job, so one job's draw does not shift every other's random numbers.
  const u = random.next();
  const wait = exponential(random, (rate?.meanMinutes ?? 0) * MINUTE_MS);
  if (op.status !== 'pending' || op.hold || !rate || u >= rate.perStart) return op.hold;
  const start = Math.max(holds.now, holds.plannedStart.get(`${order}\u0000${op.seq}`) ?? holds.now);
  return { until: start + wait, reason: 'material' };
}

function sampledFuture(snapshot: Snapshot, spreadOf: SpreadOf, ground: FailureGround, holds: HoldGround, random: Random, sample: number): Snapshot {
  const orders = snapshot.orders.map((o) => ({
    ...o,
    operations: o.operations.map((op): OperationInput => {
      const { logMean, logSd } = spreadOf(op.workCenter, o.family);
      const factor = Math.exp(logMean + logSd * normal(random));
      const running = op.running?.remainingMinutes !== undefined ? { ...op.running, remainingMinutes: op.running.remainingMinutes * factor } : op.running;
      const hold = sampledHold(op, o.code, holds, random);
      return {
        ...op,
        setupMinutes: op.setupMinutes * factor,
        runMinutesPerUnit: op.runMinutesPerUnit * factor,
        ...(running ? { running } : {}),
        ...(hold ? { hold } : {}),
      };
    }),
  }));
  return { ...snapshot, orders, downtimes: [...snapshot.downtimes, ...sampledBreakdowns(ground, random, sample)] };
}

/**
 * P50 and P90 of every order with a live ETA. `liveEtas` are the saved plan's (by order code); orders
 * without one are skipped. Returns no orders when the unchanged snapshot cannot be constructed.
 */
export function sampleEtaSpread(
  snapshot: Snapshot,
  previousPlan: PreviousPlan | null,
  now: Instant,
  liveEtas: ReadonlyMap<string, Instant>,
  model: SpreadModel,
  options: SpreadOptions,
): { orders: OrderSpread[]; samples: number } {
  const engine: ScheduleOptions = { seed: options.seed, timeLimitMs: 0, frozenMinutes: options.frozenMinutes, objective: 'tardiness' };
  const base = constructedEtas(snapshot, previousPlan, now, engine);
  if (!base) return { orders: [], samples: 0 };
  let latest = now;
  for (const eta of liveEtas.values()) latest = Math.max(latest, eta);
  const ground = failureGround(snapshot, model, now, Math.min(now + MAX_HORIZON_MS, latest + HORIZON_SLACK_MS));
  const spreadOf = spreadLookup(model);
  const holds = holdGround(model, previousPlan, now);

  const random = createRandom(options.seed);
  const added = new Map<string, number[]>();
  for (const code of base.keys()) if (liveEtas.has(code)) added.set(code, []);
  let samples = 0;
  for (let k = 0; k < options.samples; k++) {
    const overTime = options.timeLimitMs !== undefined && options.elapsedMs !== undefined && options.elapsedMs() > options.timeLimitMs;
    if (k >= MIN_SAMPLES && overTime) break;
    const etas = constructedEtas(sampledFuture(snapshot, spreadOf, ground, holds, random, k), previousPlan, now, engine);
    if (!etas) continue;
    samples++;
    for (const [code, list] of added) list.push(etas.get(code)! - base.get(code)!);
  }
  if (samples === 0) return { orders: [], samples: 0 };
  // What the futures cannot know, as the plant's own record of P50s and P90s measured it (spread-model.ts).
  const scale = model.p90Scale?.scale ?? 1;
  const shift = (model.p50Shift?.minutes ?? 0) * MINUTE_MS;
  const orders: OrderSpread[] = [];
  for (const [code, list] of added) {
    list.sort((a, b) => a - b);
    const eta = liveEtas.get(code)!;
    // Whole minutes: sub-minute differences are the sampling's noise, not information. Never before
    // now: a future that finishes in the past is not one the order can still have.
    const p50 = Math.max(now, eta + Math.round((quantile(list, 0.5) + shift) / MINUTE_MS) * MINUTE_MS);
    const margin = quantile(list, 0.9);
    const p90 = Math.max(p50, eta + Math.round((margin > 0 ? margin * scale : margin) / MINUTE_MS) * MINUTE_MS);
    orders.push({ order: code, p50, p90 });
  }
  return { orders, samples };
}
