/**
 * Construction: priority dispatching with gap insertion over calendar-aware machine timelines.
 * Fixed work is reserved first (running operations, pinned starts); then operations are taken
 * in priority order as soon as their routing predecessor is placed, each into the earliest gap of
 * the machine where it would finish first.
 *
 * Priority: frozen operations (previous order), then predecessors of pinned starts, then either
 * the previous plan's start (repair keeps the plan the floor already knows; such operations also
 * keep their machine and their order on it) or slack with a head start per priority step
 * (tardiness) / most work remaining (makespan).
 *
 * Queue pins: the operation's dispatch key is its queue time, in the same class and on the same time
 * scale as the previous plan's starts (and close to that of slack keys, which are now + slack). So on
 * its pinned machine it is dispatched ahead of the operations the floor had planned after that time
 * and behind those planned before it, and it does not inherit its own previous place in the machine's
 * order: the others re-sequence around it. Its routing predecessors are pulled forward as far as they
 * must start to reach it by its queue time (keys only ever decrease). The queue time is not a release: it may start earlier
 * when the machine is free. The search may re-time and re-sequence it, but never moves it to another
 * machine (opFixedMachine).
 *
 * Exact pins that cannot be kept (they overlap other fixed work or precede their routing
 * predecessor's end) are returned in `pinConflicts`; the caller demotes them to queue pins at that
 * time, not to start before it (see demotePins), and constructs again: an aged pin is reported,
 * not fatal.
 */
import type { Infeasibility } from './model.ts';
import { pinIssueIndex, setupMs, STATUS_RUNNING } from './problem.ts';
import type { Problem } from './problem.ts';
import type { Random } from './random.ts';
import { emptySchedule } from './schedule-state.ts';
import type { Schedule } from './schedule-state.ts';
import { earliestStart, timeOperation } from './timing.ts';
import type { OperationTiming } from './timing.ts';

export interface Construction {
  schedule: Schedule;
  errors: Infeasibility[];
  /** Pinned (not running) operations whose exact start cannot be kept; they are also in `errors`. */
  pinConflicts: number[];
}

const CLASS_RESERVED = 0;
const CLASS_FROZEN = 1;
const CLASS_BEFORE_PIN = 2;
const CLASS_FREE = 3;

function describe(p: Problem, op: number): { order: string; seq: number; workCenter: string } {
  return { order: p.orders[p.opOrder[op]!]!.code, seq: p.opSeq[op]!, workCenter: p.wcCodes[p.opWc[op]!]! };
}

/** Binary heap of operations ordered by (class, key, index): deterministic ties. */
class ReadyQueue {
  private readonly heap: number[] = [];
  private readonly cls: Int8Array;
  private readonly key: Float64Array;
  constructor(cls: Int8Array, key: Float64Array) {
    this.cls = cls;
    this.key = key;
  }
  get size(): number {
    return this.heap.length;
  }
  private before(a: number, b: number): boolean {
    const ca = this.cls[a]!;
    const cb = this.cls[b]!;
    if (ca !== cb) return ca < cb;
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    return ka !== kb ? ka < kb : a < b;
  }
  push(op: number): void {
    const h = this.heap;
    h.push(op);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < h.length && this.before(h[l]!, h[best]!)) best = l;
        if (r < h.length && this.before(h[r]!, h[best]!)) best = r;
        if (best === i) break;
        [h[i], h[best]] = [h[best]!, h[i]!];
        i = best;
      }
    }
    return top;
  }
}

/** Dispatch priority per operation: smaller key first within a class. */
function priorityKeys(p: Problem, frozenRank: Float64Array, weightExponent: number, weightBonusMs: number): { cls: Int8Array; key: Float64Array } {
  const n = p.opCount;
  const cls = new Int8Array(n).fill(CLASS_FREE);
  const key = new Float64Array(n);
  for (let o = 0; o < p.orders.length; o++) {
    const order = p.orders[o]!;
    const first = p.orderFirstOp[o]!;
    const last = p.orderFirstOp[o + 1]! - 1;
    let tail = 0; // work after this operation
    let pinAhead = NaN; // earliest pinned start later in the routing
    let queueBy = NaN; // when this operation should end for a queue pin later in the routing to be reached on time
    for (let i = last; i >= first; i--) {
      const own = p.opDefaultSetupMs[i]! + p.opRunMs[i]!;
      if (p.opStatus[i] === STATUS_RUNNING || !Number.isNaN(p.opPinStart[i]!)) cls[i] = CLASS_RESERVED;
      else if (p.opFrozen[i]) {
        cls[i] = CLASS_FROZEN;
        key[i] = frozenRank[i]!;
      } else if (!Number.isNaN(pinAhead)) {
        cls[i] = CLASS_BEFORE_PIN;
        key[i] = pinAhead - tail;
      } else if (!Number.isNaN(p.opQueueAt[i]!)) {
        key[i] = p.opQueueAt[i]!;
      } else if (!Number.isNaN(p.opPrevStart[i]!)) {
        key[i] = p.opPrevStart[i]!;
      } else if (p.objective === 'makespan') {
        key[i] = p.now - (tail + own); // most work remaining first
      } else {
        // Weighted slack: urgent heavy orders first; lateness is amplified by the weight.
        const slack = order.dueAt - tail - own - p.now;
        // Weighted slack; the exponent tempers how much the priority weight dominates.
        const weight = order.priority ** weightExponent;
        key[i] = p.now + (slack >= 0 ? slack / weight : slack * weight) - weightBonusMs * (order.priority - 1);
      }
      // Predecessors of a queue pin are pulled forward to reach it by its queue time (never pushed back).
      if (cls[i] === CLASS_FREE && !Number.isNaN(queueBy)) key[i] = Math.min(key[i]!, queueBy - own);
      const queueAt = p.opQueueAt[i]!;
      if (!Number.isNaN(queueAt)) queueBy = Number.isNaN(queueBy) ? queueAt : Math.min(queueAt, queueBy - own);
      else if (!Number.isNaN(queueBy)) queueBy -= own;
      if (!Number.isNaN(p.opPinStart[i]!)) pinAhead = Number.isNaN(pinAhead) ? p.opPinStart[i]! : Math.min(pinAhead, p.opPinStart[i]!);
      tail += own;
    }
  }
  return { cls, key };
}

/** Index of the first operation in `seq` ending after t. */
function firstEndingAfter(seq: number[], end: Float64Array, t: number): number {
  let lo = 0;
  let hi = seq.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (end[seq[mid]!]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface Slot {
  position: number;
  timing: OperationTiming;
}

/**
 * Earliest gap on machine m where op fits without moving anything: it must end before the next
 * operation starts, and must not change that operation's setup (its family transition).
 */
export function findSlot(p: Problem, s: Schedule, m: number, op: number, earliest: number): Slot | null {
  const seq = s.sequence[m]!;
  const run = p.opRunMs[op]!;
  for (let k = firstEndingAfter(seq, s.end, earliest); ; k++) {
    const prev = k > 0 ? seq[k - 1]! : -1;
    const from = prev >= 0 ? Math.max(earliest, s.end[prev]!) : earliest;
    if (k < seq.length) {
      const next = seq[k]!;
      // Wall time is never shorter than work time: skip gaps that cannot hold the run.
      if (s.start[next]! - from < run) continue;
      const timing = timeOperation(p, m, prev, from, op);
      if (!timing) return null;
      if (timing.end <= s.start[next]! && setupMs(p, p.opFamily[op]!, next) === s.setup[next]!) {
        return { position: k, timing };
      }
    } else {
      const timing = timeOperation(p, m, prev, from, op);
      return timing && { position: k, timing };
    }
  }
}

function insertAt(s: Schedule, m: number, position: number, op: number, t: OperationTiming): void {
  s.sequence[m]!.splice(position, 0, op);
  s.machine[op] = m;
  s.start[op] = t.start;
  s.end[op] = t.end;
  s.setup[op] = t.setup;
}

/** Reserve running operations and pinned starts on their machines before anything else. */
function reserveFixed(p: Problem, s: Schedule, errors: Infeasibility[], pinConflicts: number[]): Uint8Array {
  const reserved = new Uint8Array(p.opCount);
  const fixed: number[] = [];
  for (let i = 0; i < p.opCount; i++) {
    if (p.opStatus[i] === STATUS_RUNNING || !Number.isNaN(p.opPinStart[i]!)) fixed.push(i);
  }
  // Running operations first (they start at now), then pins by start.
  fixed.sort((a, b) => {
    const ta = p.opStatus[a] === STATUS_RUNNING ? -Infinity : p.opPinStart[a]!;
    const tb = p.opStatus[b] === STATUS_RUNNING ? -Infinity : p.opPinStart[b]!;
    return ta - tb || a - b;
  });
  for (const op of fixed) {
    const w = p.opWc[op]!;
    const fixedMachine = p.opFixedMachine[op]!;
    const candidates: number[] = [];
    if (fixedMachine >= 0) candidates.push(fixedMachine);
    else for (let m = p.wcFirstMachine[w]!; m < p.wcFirstMachine[w + 1]!; m++) candidates.push(m);
    let placed = false;
    let noTime = false;
    for (const m of candidates) {
      const seq = s.sequence[m]!;
      const at = p.opStatus[op] === STATUS_RUNNING ? p.now : p.opPinStart[op]!;
      const k = firstEndingAfter(seq, s.end, at);
      const timing = timeOperation(p, m, k > 0 ? seq[k - 1]! : -1, at, op);
      if (!timing) {
        noTime = true;
        continue;
      }
      const next = k < seq.length ? seq[k]! : -1;
      const prev = k > 0 ? seq[k - 1]! : -1;
      if ((prev < 0 || s.end[prev]! <= timing.start) && (next < 0 || timing.end <= s.start[next]!)) {
        insertAt(s, m, k, op, timing);
        reserved[op] = 1;
        placed = true;
        break;
      }
    }
    if (!placed) {
      const where = describe(p, op);
      if (noTime) {
        errors.push({ code: 'no_working_time', message: `order ${where.order} seq ${where.seq}: work center ${where.workCenter} never has enough working time`, ...where });
      } else {
        const what = p.opStatus[op] === STATUS_RUNNING ? 'running operation' : 'pinned start';
        if (p.opStatus[op] !== STATUS_RUNNING) pinConflicts.push(op);
        errors.push({ code: 'invalid_input', message: `order ${where.order} seq ${where.seq}: ${what} overlaps other fixed work on ${where.workCenter}`, ...where });
      }
    }
  }
  return reserved;
}

/**
 * Plain slack dispatching with a head start per priority step of about eight average operations:
 * measured on generated plants, this beats multiplying slack by the weight by a factor of two.
 */
export function defaultWeightBonusMs(p: Problem): number {
  let work = 0;
  for (let i = 0; i < p.opCount; i++) work += p.opDefaultSetupMs[i]! + p.opRunMs[i]!;
  return p.opCount ? (8 * work) / p.opCount : 0;
}

/** Variation for repeated constructions: seeded jitter on dispatch keys (0 = the plain rule). */
export interface ConstructVariant {
  random: Random;
  /** Jitter amplitude in ms added to free operations' keys. */
  jitterMs: number;
  /** Exponent on the priority weight in the slack rule (1 = plain weighted slack). */
  weightExponent: number;
  /** Head start in ms per priority step above 1. */
  weightBonusMs: number;
}

export function construct(p: Problem, variant?: ConstructVariant): Construction {
  const n = p.opCount;
  const s = emptySchedule(p);
  const errors: Infeasibility[] = [];
  const pinConflicts: number[] = [];
  const reserved = reserveFixed(p, s, errors, pinConflicts);
  if (errors.length) return { schedule: s, errors, pinConflicts };

  // Frozen operations keep their machine and their order on it: chain them per machine.
  const frozenPred = new Int32Array(n).fill(-1);
  const frozenSucc = new Int32Array(n).fill(-1);
  const frozenByMachine = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!p.opFrozen[i]) continue;
    const m = p.opPrevMachine[i]!;
    let list = frozenByMachine.get(m);
    if (!list) frozenByMachine.set(m, (list = []));
    list.push(i);
  }
  for (const list of frozenByMachine.values()) {
    list.sort((a, b) => p.opPrevStart[a]! - p.opPrevStart[b]! || a - b);
    for (let k = 1; k < list.length; k++) {
      frozenPred[list[k]!] = list[k - 1]!;
      frozenSucc[list[k - 1]!] = list[k]!;
    }
  }

  const { cls, key } = priorityKeys(p, p.opPrevStart, variant?.weightExponent ?? 0, variant?.weightBonusMs ?? defaultWeightBonusMs(p));
  if (variant && variant.jitterMs > 0) {
    // Jitter whole orders, not single operations, so routings stay coherent.
    for (let o = 0; o < p.orders.length; o++) {
      const shift = variant.random.next() * variant.jitterMs;
      for (let i = p.orderFirstOp[o]!; i < p.orderFirstOp[o + 1]!; i++) if (cls[i] === CLASS_FREE) key[i]! += shift;
    }
  }
  const waiting = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (reserved[i]) continue;
    if (p.opPred[i]! >= 0) waiting[i]!++;
    if (frozenPred[i]! >= 0) waiting[i]!++;
  }
  const queue = new ReadyQueue(cls, key);
  for (let i = 0; i < n; i++) if (reserved[i] || waiting[i] === 0) queue.push(i);
  const release = (op: number): void => {
    if (op >= 0 && !reserved[op] && --waiting[op]! === 0) queue.push(op);
  };

  const lastKeptOnMachine = new Int32Array(p.machineCount).fill(-1);
  let done = 0;
  while (queue.size > 0) {
    const op = queue.pop();
    done++;
    if (!reserved[op]) {
      const pred = p.opPred[op]!;
      let earliest = earliestStart(p, op, pred >= 0 ? s.end[pred]! : -Infinity);
      const fp = frozenPred[op]!;
      if (fp >= 0) earliest = Math.max(earliest, s.end[fp]!);
      // Repair: operations the previous plan had on this machine keep their order on it.
      // A queue pin takes a new place in its machine's order (its queue time), not its previous one.
      const prevMachine = Number.isNaN(p.opQueueAt[op]!) ? p.opPrevMachine[op]! : -1;
      const lastKept = prevMachine >= 0 ? lastKeptOnMachine[prevMachine]! : -1;
      if (lastKept >= 0 && s.machine[lastKept] === prevMachine) earliest = Math.max(earliest, s.end[lastKept]!);
      const w = p.opWc[op]!;
      let lo = p.wcFirstMachine[w]!;
      let hi = p.wcFirstMachine[w + 1]!;
      const only = p.opFixedMachine[op]! >= 0 ? p.opFixedMachine[op]! : p.opPrevMachine[op]!;
      if (only >= 0) { lo = only; hi = only + 1; }
      let best: Slot | null = null;
      let bestMachine = -1;
      for (let m = lo; m < hi; m++) {
        const slot = findSlot(p, s, m, op, earliest);
        if (slot && (!best || slot.timing.end < best.timing.end || (slot.timing.end === best.timing.end && slot.timing.start < best.timing.start))) {
          best = slot;
          bestMachine = m;
        }
      }
      if (best) {
        insertAt(s, bestMachine, best.position, op, best.timing);
        if (bestMachine === prevMachine) lastKeptOnMachine[bestMachine] = op;
      }
      else {
        const where = describe(p, op);
        errors.push({ code: 'no_working_time', message: `order ${where.order} seq ${where.seq}: work center ${where.workCenter} never has enough working time`, ...where });
        s.machine[op] = lo;
        s.start[op] = s.end[op] = earliest;
      }
    }
    release(p.opSucc[op]!);
    release(frozenSucc[op]!);
  }
  if (done < n) {
    for (let i = 0; i < n; i++) {
      if (waiting[i]! > 0 && !reserved[i]) {
        const where = describe(p, i);
        errors.push({ code: 'routing_cycle', message: `order ${where.order} seq ${where.seq}: the previous plan's frozen order contradicts the routing`, ...where });
      }
    }
  }
  checkPins(p, s, errors, pinConflicts);
  return { schedule: s, errors, pinConflicts };
}

/**
 * Exact pins that clash with fixed work or their routing become queue pins at the time they could
 * be kept: same machine, the engine picks the start, and the plan reports `pin_conflict`.
 */
export function demotePins(p: Problem, ops: number[]): void {
  for (const op of ops) {
    if (Number.isNaN(p.opPinStart[op]!)) continue;
    p.opQueueAt[op] = p.opPinStart[op]!;
    // Still not before the pin: at the earliest feasible time at or after it.
    p.opReady[op] = Math.max(p.opReady[op]!, p.opPinStart[op]!);
    p.opPinStart[op] = NaN;
    if (!p.opPinIssue[op]) p.opPinIssue[op] = pinIssueIndex('pin_conflict');
  }
}

/** Pinned starts are hard: each must respect its predecessor, transfer, release and hold. */
function checkPins(p: Problem, s: Schedule, errors: Infeasibility[], pinConflicts: number[]): void {
  for (let i = 0; i < p.opCount; i++) {
    if (Number.isNaN(p.opPinStart[i]!)) continue;
    const pred = p.opPred[i]!;
    const predRunning = pred >= 0 && p.opStatus[pred] === STATUS_RUNNING;
    const earliest = earliestStart(p, i, pred >= 0 ? s.end[pred]! : -Infinity);
    if (s.start[i]! < earliest) {
      pinConflicts.push(i);
      const where = describe(p, i);
      const cause = pred >= 0 && s.end[pred]! + p.opTransferMs[i]! > p.opReady[i]!
        ? `seq ${p.opSeq[pred]} ${predRunning ? 'is running and ' : ''}ends at ${new Date(s.end[pred]!).toISOString()}`
        : `release/hold allows ${new Date(p.opReady[i]!).toISOString()} at the earliest`;
      errors.push({
        code: 'invalid_input',
        message: `order ${where.order} seq ${where.seq}: pinned start ${new Date(s.start[i]!).toISOString()} is too early: ${cause}`,
        ...where,
      });
    }
  }
}
