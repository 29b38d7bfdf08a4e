/**
 * The plan as the floor will work it. A searched plan is semi-active: each machine keeps its
 * sequence, so a machine may stand idle for hours waiting for the next job in its queue while a job
 * queued behind it is ready now. No floor does that: a machine that comes free takes the first job
 * in its queue that can start (the station lists its queue in plan order). Left as searched, such a
 * plan tells sales a date hours later than the floor will deliver the overtaking job, and the
 * overtaken job's date too early, each by the length of the gap.
 *
 * So the final plan is replayed with that rule, machine decisions in time order: each machine starts
 * the job of its queue that can start soonest, the first in the queue among equals. Machine choice
 * stays the plan's. No job overtakes a pinned or queue-pinned one (the planner placed it). Should
 * the replay not give a sound plan (a pin no longer kept, work left over), the plan stays as searched.
 */
import { STATUS_RUNNING } from './problem.ts';
import type { Problem } from './problem.ts';
import type { Schedule } from './schedule-state.ts';
import { earliestStart, timeOperation, type OperationTiming } from './timing.ts';

interface Choice {
  op: number;
  timing: OperationTiming;
}

/** A binary min-heap of machine decisions by start; stale entries are skipped by version. */
class DecisionHeap {
  private keys: number[] = [];
  private machines: number[] = [];
  private versions: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, machine: number, version: number): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.machines.push(machine);
    this.versions.push(version);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { machine: number; version: number } {
    const top = { machine: this.machines[0]!, version: this.versions[0]! };
    const last = this.keys.length - 1;
    this.swap(0, last);
    this.keys.pop();
    this.machines.pop();
    this.versions.pop();
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.keys.length && this.before(l, m)) m = l;
      if (r < this.keys.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  /** Earlier start first; the lower machine index among equals, so the replay repeats exactly. */
  private before(a: number, b: number): boolean {
    return this.keys[a]! < this.keys[b]! || (this.keys[a] === this.keys[b] && this.machines[a]! < this.machines[b]!);
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b]!, this.keys[a]!];
    [this.machines[a], this.machines[b]] = [this.machines[b]!, this.machines[a]!];
    [this.versions[a], this.versions[b]] = [this.versions[b]!, this.versions[a]!];
  }
}

const fixedInQueue = (p: Problem, op: number): boolean => !Number.isNaN(p.opPinStart[op]!) || !Number.isNaN(p.opQueueAt[op]!);

export function dispatchAsFloor(p: Problem, plan: Schedule): Schedule {
  const n = p.opCount;
  const machines = p.machineCount;
  const queue = plan.sequence;
  const taken = new Uint8Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const setup = new Float64Array(n);
  const firstOpen = new Int32Array(machines);
  const free = new Float64Array(machines).fill(p.now);
  const last = new Int32Array(machines).fill(-1);
  const version = new Int32Array(machines);
  const sequence: number[][] = Array.from({ length: machines }, () => []);

  /** The job machine m starts next: the soonest to start of its queue, up to the first the planner fixed. */
  const choose = (m: number): Choice | null => {
    const ops = queue[m]!;
    const time = p.machineTime[m]!;
    const soonest = time.nextWorking(free[m]!);
    let best: Choice | null = null;
    for (let k = firstOpen[m]!; k < ops.length; k++) {
      const op = ops[k]!;
      if (taken[op]) continue;
      const fixed = fixedInQueue(p, op) || p.opStatus[op] === STATUS_RUNNING;
      if (fixed && best) break;
      const pred = p.opPred[op]!;
      if (pred < 0 || taken[pred] || p.opStatus[op] === STATUS_RUNNING) {
        const ready = earliestStart(p, op, pred >= 0 ? end[pred]! : -Infinity);
        const timing = timeOperation(p, m, last[m]!, Math.max(free[m]!, ready), op);
        if (timing && (!best || timing.start < best.timing.start)) best = { op, timing };
        // Nothing later in the queue can start sooner than this.
        if (best && best.timing.start <= soonest) break;
      }
      if (fixed) break;
    }
    return best;
  };

  const heap = new DecisionHeap();
  const offer = (m: number): void => {
    version[m]!++;
    const choice = choose(m);
    if (choice) heap.push(choice.timing.start, m, version[m]!);
  };
  for (let m = 0; m < machines; m++) offer(m);

  let placed = 0;
  while (heap.size > 0) {
    const { machine: m, version: v } = heap.pop();
    if (v !== version[m]) continue;
    const choice = choose(m)!;
    const op = choice.op;
    taken[op] = 1;
    placed++;
    start[op] = choice.timing.start;
    end[op] = choice.timing.end;
    setup[op] = choice.timing.setup;
    free[m] = Math.max(free[m]!, choice.timing.end);
    last[m] = op;
    sequence[m]!.push(op);
    const ops = queue[m]!;
    while (firstOpen[m]! < ops.length && taken[ops[firstOpen[m]!]!]) firstOpen[m]!++;
    offer(m);
    const succ = p.opSucc[op]!;
    if (succ >= 0 && !taken[succ]) offer(plan.machine[succ]!);
  }

  // Sound or not at all: every job placed, pins where asked, no two jobs at once on a machine.
  if (placed !== n) return plan;
  for (let i = 0; i < n; i++) if (!Number.isNaN(p.opPinStart[i]!) && start[i] !== p.opPinStart[i]) return plan;
  for (const ops of sequence) for (let k = 1; k < ops.length; k++) if (start[ops[k]!]! < end[ops[k - 1]!]!) return plan;
  return { machine: plan.machine.slice(), start, end, setup, sequence };
}
