/**
 * The plan's rules, one named function each, checked independently of how the plan was made:
 * hard rules return violations (a plan with any is wrong); soft rules are scored in evaluate.ts
 * (weighted tardiness, makespan, flow time, stability). Used by tests and available to callers
 * that want to verify a stored plan against a new snapshot.
 */
import { compileCalendar, expandCalendar, MINUTE_MS, normalizeIntervals, subtractIntervals } from './calendar.ts';
import { PIN_PAST_GRACE_MS, type Instant, type OperationInput, type OrderInput, type Plan, type PlannedOperation, type Snapshot } from './model.ts';

interface Context {
  snapshot: Snapshot;
  plan: Plan;
  now: Instant;
  planned: Map<string, PlannedOperation>;
  /** Working intervals (calendar minus downtime) of a machine, from now on. */
  working: (workCenter: string, machine: number) => number[];
}

type HardRule = (c: Context, order: OrderInput, op: OperationInput, p: PlannedOperation, prev: PlannedOperation | null) => string | null;

const name = (order: OrderInput, op: OperationInput): string => `${order.code}/${op.seq}`;
const workWithin = (w: number[], a: number, b: number): number => {
  let sum = 0;
  for (let i = 0; i < w.length; i += 2) sum += Math.max(0, Math.min(b, w[i + 1]!) - Math.max(a, w[i]!));
  return sum;
};
const inWorking = (w: number[], t: number): boolean => {
  for (let i = 0; i < w.length; i += 2) if (w[i]! <= t && t < w[i + 1]!) return true;
  return false;
};
const runningWork = (op: OperationInput): number => (op.running?.remainingMinutes ?? op.quantity * op.runMinutesPerUnit) * MINUTE_MS;

/** Hard: the operation runs on a machine of its own work center. */
export const onOwnWorkCenter: HardRule = (c, order, op, p) => {
  const wc = c.snapshot.workCenters.find((w) => w.code === op.workCenter);
  return wc && p.workCenter === op.workCenter && p.machine >= 1 && p.machine <= wc.machines ? null : `${name(order, op)} is on ${p.workCenter}/${p.machine}`;
};

/** Hard: a running operation stays on its machine from now, doing its remaining work. */
export const runningStays: HardRule = (c, order, op, p) => {
  if (op.status !== 'running' || !op.running) return null;
  if (p.machine !== op.running.machine || p.start !== c.now) return `${name(order, op)} is running but was moved`;
  const got = workWithin(c.working(p.workCenter, p.machine), p.start, p.end);
  return Math.abs(got - runningWork(op)) > 1 ? `${name(order, op)} gets ${got} ms for ${runningWork(op)} ms of remaining work` : null;
};

/** Hard: nothing starts before now, before its order's release, or before its hold lifts. */
export const notBeforeReady: HardRule = (c, order, op, p) => {
  if (op.status === 'running') return null;
  if (p.start < c.now) return `${name(order, op)} starts before now`;
  if (order.releaseAt !== undefined && p.start < order.releaseAt) return `${name(order, op)} starts before its order's release`;
  if (op.hold && p.start < op.hold.until) return `${name(order, op)} starts before its hold lifts`;
  return null;
};

/** Hard: routing precedence with the minimum transfer time. */
export const afterPredecessor: HardRule = (_c, order, op, p, prev) => {
  if (op.status === 'running' || !prev) return null;
  return p.start < prev.end + (op.minTransferMinutes ?? 0) * MINUTE_MS ? `${name(order, op)} starts before its predecessor ends (+ transfer)` : null;
};

/** Hard: setup and run happen in working time (calendar minus downtime), starting in it. */
export const inWorkingTime: HardRule = (c, order, op, p) => {
  if (op.status === 'running') return null;
  const w = c.working(p.workCenter, p.machine);
  const work = p.setupMinutes * MINUTE_MS + op.quantity * op.runMinutesPerUnit * MINUTE_MS;
  const got = workWithin(w, p.start, p.end);
  if (Math.abs(got - work) > 1) return `${name(order, op)} gets ${got} ms of working time for ${work} ms of work`;
  if (work > 0 && op.pin?.start === undefined && !inWorking(w, p.start)) return `${name(order, op)} starts outside working time`;
  return null;
};

/** Hard: pins are honoured exactly. */
export const pinsHonoured: HardRule = (c, order, op, p) => {
  if (op.pin?.machine !== undefined && p.machine !== op.pin.machine) return `${name(order, op)} ignores its pinned machine`;
  if (op.pin?.start !== undefined && op.status !== 'running' && p.start !== op.pin.start) {
    // A start the plan could not keep is reported (pinIssues) and planned later, never earlier.
    const reported = (c.plan.pinIssues ?? []).some((i) => i.order === order.code && i.seq === op.seq);
    // A start passed by less than the grace is kept as "now" without a report (problem.ts).
    const justPassed = p.start === c.now && op.pin.start < c.now && c.now - op.pin.start <= PIN_PAST_GRACE_MS;
    if (!reported && !justPassed) return `${name(order, op)} ignores its pinned start`;
    if (p.start < op.pin.start && p.start !== c.now) return `${name(order, op)} starts before its pinned start`;
  }
  return null;
};

const perOperationRules: HardRule[] = [onOwnWorkCenter, runningStays, notBeforeReady, afterPredecessor, inWorkingTime, pinsHonoured];

/** Hard: one operation at a time per machine. */
export function noMachineOverlap(plan: Plan): string[] {
  const byMachine = new Map<string, PlannedOperation[]>();
  for (const o of plan.operations) {
    if (o.end <= o.start) continue;
    const k = `${o.workCenter}/${o.machine}`;
    (byMachine.get(k) ?? byMachine.set(k, []).get(k)!).push(o);
  }
  const problems: string[] = [];
  for (const [k, list] of byMachine) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.start < list[i - 1]!.end) problems.push(`${k}: ${list[i - 1]!.order}/${list[i - 1]!.seq} overlaps ${list[i]!.order}/${list[i]!.seq}`);
    }
  }
  return problems;
}

/** Every hard rule; empty when the plan is feasible for this snapshot at `now`. */
export function hardViolations(snapshot: Snapshot, plan: Plan, now: Instant): string[] {
  const calendars = new Map(snapshot.calendars.map((cal) => [cal.code, compileCalendar(cal)]));
  const horizonEnd = Math.max(now, ...plan.operations.map((o) => o.end)) + 86_400_000;
  const cache = new Map<string, number[]>();
  const c: Context = {
    snapshot, plan, now,
    planned: new Map(plan.operations.map((o) => [`${o.order}\u0000${o.seq}`, o])),
    working: (workCenter, machine) => {
      const k = `${workCenter}\u0000${machine}`;
      let w = cache.get(k);
      if (!w) {
        const wc = snapshot.workCenters.find((x) => x.code === workCenter)!;
        const down = snapshot.downtimes
          .filter((d) => d.workCenter === workCenter && (d.machine === undefined || d.machine === machine))
          .flatMap((d) => [d.from, d.to]);
        w = subtractIntervals(expandCalendar(calendars.get(wc.calendar)!, now, horizonEnd), normalizeIntervals(down));
        cache.set(k, w);
      }
      return w;
    },
  };
  const problems: string[] = [];
  let count = 0;
  for (const order of snapshot.orders) {
    let prev: PlannedOperation | null = null;
    for (const op of order.operations) {
      count++;
      const p = c.planned.get(`${order.code}\u0000${op.seq}`);
      if (!p) {
        problems.push(`${name(order, op)} is not planned`);
        prev = null;
        continue;
      }
      for (const rule of perOperationRules) {
        const problem = rule(c, order, op, p, prev);
        if (problem) problems.push(problem);
      }
      prev = p;
    }
  }
  if (count !== plan.operations.length) problems.push(`plan has ${plan.operations.length} operations for ${count} open ones`);
  return problems.concat(noMachineOverlap(plan));
}
