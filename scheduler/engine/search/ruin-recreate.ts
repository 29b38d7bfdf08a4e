/**
 * Ruin and recreate for weighted tardiness: take a late order and the orders queued just ahead
 * of it on its machines out of the plan, and put them back with construction's gap insertion,
 * most urgent first. Everything else keeps its machine and times, so a move costs a few dozen
 * slot searches instead of re-timing the plant, and its effect is known exactly: only the removed
 * orders' ends change. (Fixed machine sequences re-timed on shift calendars cascade badly: one
 * operation pushed past Friday night drags its whole queue to Monday.) Gaps left behind are closed
 * from time to time by a left shift that keeps every sequence and never delays anything.
 */
import { findSlot } from '../construct.ts';
import type { Slot } from '../construct.ts';
import { compareScores, scoreSchedule, weightedLatenessMs } from '../evaluate.ts';
import type { Score } from '../evaluate.ts';
import { setupMs, STATUS_RUNNING } from '../problem.ts';
import type { Problem } from '../problem.ts';
import type { Random } from '../random.ts';
import type { Schedule } from '../schedule-state.ts';
import { earliestStart, timeOperation } from '../timing.ts';

/** What a search returns: its best schedule, that schedule's score, and the iterations it ran. */
export interface SearchResult {
  schedule: Schedule;
  score: Score;
  iterations: number;
}

/** Orders taken out per move, at most (the late order itself included). */
const MAX_RUIN_ORDERS = 6;
/** How many machine predecessors of each of the late order's operations are candidates. */
const BLOCKER_DEPTH = 4;
/** Share of moves that put the late order back first, whatever its urgency. */
const LATE_FIRST = 0.5;
/** Accepted moves between left shifts. */
const COMPACT_EVERY = 64;

export function cloneSchedule(s: Schedule): Schedule {
  return { machine: s.machine.slice(), start: s.start.slice(), end: s.end.slice(), setup: s.setup.slice(), sequence: s.sequence.map((q) => q.slice()) };
}

/**
 * Re-times every operation in its current machine sequence as early as it can start (semi-active
 * left shift). Sequences and setups are kept; no operation ends later than before.
 */
export function leftShift(p: Problem, s: Schedule): void {
  const n = p.opCount;
  const prevOnMachine = new Int32Array(n).fill(-1);
  const nextOnMachine = new Int32Array(n).fill(-1);
  for (const seq of s.sequence) {
    for (let k = 1; k < seq.length; k++) {
      prevOnMachine[seq[k]!] = seq[k - 1]!;
      nextOnMachine[seq[k - 1]!] = seq[k]!;
    }
  }
  const jobEdge = (op: number): boolean => p.opPred[op]! >= 0 && p.opStatus[op] !== STATUS_RUNNING;
  const waiting = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let op = 0; op < n; op++) {
    waiting[op] = (jobEdge(op) ? 1 : 0) + (prevOnMachine[op]! >= 0 ? 1 : 0);
    if (waiting[op] === 0) queue[tail++] = op;
  }
  for (let head = 0; head < tail; head++) {
    const op = queue[head]!;
    const mp = prevOnMachine[op]!;
    const pred = p.opPred[op]!;
    const jobReady = earliestStart(p, op, pred >= 0 ? s.end[pred]! : -Infinity);
    const ready = mp >= 0 ? Math.max(jobReady, s.end[mp]!) : jobReady;
    const timing = timeOperation(p, s.machine[op]!, mp, ready, op);
    if (timing && timing.end <= s.end[op]! && timing.start <= s.start[op]!) {
      s.start[op] = timing.start;
      s.end[op] = timing.end;
    }
    const succ = p.opSucc[op]!;
    if (succ >= 0 && jobEdge(succ) && --waiting[succ]! === 0) queue[tail++] = succ;
    const ms = nextOnMachine[op]!;
    if (ms >= 0 && --waiting[ms]! === 0) queue[tail++] = ms;
  }
}

export function ruinAndRecreate(
  p: Problem,
  initial: Schedule,
  random: Random,
  more: (iterations: number) => boolean,
  onImprove?: (score: Score, iteration: number) => void,
): SearchResult {
  const s = cloneSchedule(initial);
  const orderCount = p.orders.length;
  const lastOp = (o: number): number => p.orderFirstOp[o + 1]! - 1;
  const tardiness = (o: number): number => weightedLatenessMs(p, s.end, o);

  // Orders with work the search must not touch (running, pinned, frozen) stay where they are.
  const movable = new Uint8Array(orderCount);
  for (let o = 0; o < orderCount; o++) {
    let ok = lastOp(o) >= p.orderFirstOp[o]!;
    for (let i = p.orderFirstOp[o]!; ok && i <= lastOp(o); i++) {
      ok = p.opStatus[i] !== STATUS_RUNNING && Number.isNaN(p.opPinStart[i]!) && !p.opFrozen[i] && p.opFixedMachine[i]! < 0 && p.opPrevMachine[i]! < 0;
    }
    movable[o] = ok ? 1 : 0;
  }
  let totalWork = 0;
  for (let i = 0; i < p.opCount; i++) totalWork += p.opDefaultSetupMs[i]! + p.opRunMs[i]!;
  const bonusMs = p.opCount ? (8 * totalWork) / p.opCount : 0;
  const orderWork = new Float64Array(orderCount);
  for (let o = 0; o < orderCount; o++) for (let i = p.orderFirstOp[o]!; i <= lastOp(o); i++) orderWork[o]! += p.opDefaultSetupMs[i]! + p.opRunMs[i]!;

  const weights = new Float64Array(orderCount);
  const inRuin = new Uint8Array(orderCount);
  const ruin: number[] = [];
  const urgency = new Float64Array(orderCount);
  // Undo log: removed operations in removal order with where they were.
  const removedOp: number[] = [];
  const removedMachine: number[] = [];
  const removedIndex: number[] = [];
  const removedTiming: number[] = [];
  const inserted: number[] = [];

  // Only moves that do not worsen the plan are kept, so the current plan is always the best.
  let current = scoreSchedule(p, s);

  const pickLate = (): number => {
    let total = 0;
    for (let o = 0; o < orderCount; o++) {
      weights[o] = movable[o] ? tardiness(o) : 0;
      total += weights[o]!;
    }
    if (total <= 0) return -1;
    let r = random.next() * total;
    for (let o = 0; o < orderCount; o++) if (weights[o]! > 0 && (r -= weights[o]!) < 0) return o;
    return -1;
  };

  const addToRuin = (o: number): void => {
    if (inRuin[o] || !movable[o] || ruin.length >= MAX_RUIN_ORDERS) return;
    inRuin[o] = 1;
    ruin.push(o);
  };

  const removeOp = (op: number): boolean => {
    const m = s.machine[op]!;
    const seq = s.sequence[m]!;
    const k = seq.indexOf(op);
    const next = k + 1 < seq.length ? seq[k + 1]! : -1;
    const prev = k > 0 ? seq[k - 1]! : -1;
    // The next operation's setup must not change: its times stay as they are.
    if (next >= 0 && setupMs(p, prev >= 0 ? p.opFamily[prev]! : -1, next) !== s.setup[next]) return false;
    seq.splice(k, 1);
    removedOp.push(op);
    removedMachine.push(m);
    removedIndex.push(k);
    removedTiming.push(s.start[op]!, s.end[op]!, s.setup[op]!);
    return true;
  };

  const restoreRemoved = (): void => {
    for (let j = removedOp.length - 1; j >= 0; j--) {
      const op = removedOp[j]!;
      const m = removedMachine[j]!;
      s.sequence[m]!.splice(removedIndex[j]!, 0, op);
      s.machine[op] = m;
      s.start[op] = removedTiming[3 * j]!;
      s.end[op] = removedTiming[3 * j + 1]!;
      s.setup[op] = removedTiming[3 * j + 2]!;
    }
  };

  const removeInserted = (): void => {
    for (let j = inserted.length - 1; j >= 0; j--) {
      const op = inserted[j]!;
      const seq = s.sequence[s.machine[op]!]!;
      seq.splice(seq.indexOf(op), 1);
    }
  };

  const placeOrder = (o: number): boolean => {
    for (let op = p.orderFirstOp[o]!; op <= lastOp(o); op++) {
      const pred = p.opPred[op]!;
      const earliest = earliestStart(p, op, pred >= 0 ? s.end[pred]! : -Infinity);
      const w = p.opWc[op]!;
      let chosen: Slot | null = null;
      let chosenMachine = -1;
      for (let m = p.wcFirstMachine[w]!; m < p.wcFirstMachine[w + 1]!; m++) {
        const slot = findSlot(p, s, m, op, earliest);
        if (slot && (!chosen || slot.timing.end < chosen.timing.end || (slot.timing.end === chosen.timing.end && slot.timing.start < chosen.timing.start))) {
          chosen = slot;
          chosenMachine = m;
        }
      }
      if (!chosen) return false;
      s.sequence[chosenMachine]!.splice(chosen.position, 0, op);
      s.machine[op] = chosenMachine;
      s.start[op] = chosen.timing.start;
      s.end[op] = chosen.timing.end;
      s.setup[op] = chosen.timing.setup;
      inserted.push(op);
    }
    return true;
  };

  let iterations = 0;
  let accepted = 0;
  while (more(iterations)) {
    iterations++;
    const seed = pickLate();
    if (seed < 0) break;
    ruin.length = 0;
    addToRuin(seed);
    // The orders queued right ahead of the late one on its machines.
    const candidates: number[] = [];
    for (let op = p.orderFirstOp[seed]!; op <= lastOp(seed); op++) {
      const seq = s.sequence[s.machine[op]!]!;
      let k = seq.indexOf(op) - 1;
      for (let d = 0; d < BLOCKER_DEPTH && k >= 0; d++, k--) {
        const y = seq[k]!;
        if (p.opOrder[y] !== seed) candidates.push(p.opOrder[y]!);
      }
    }
    while (ruin.length < MAX_RUIN_ORDERS && candidates.length > 0) {
      const j = random.int(candidates.length);
      addToRuin(candidates[j]!);
      candidates[j] = candidates[candidates.length - 1]!;
      candidates.pop();
    }

    let oldWt = 0;
    for (const o of ruin) oldWt += tardiness(o);
    removedOp.length = removedMachine.length = removedIndex.length = removedTiming.length = inserted.length = 0;
    let ok = true;
    for (const o of ruin) {
      for (let op = p.orderFirstOp[o]!; ok && op <= lastOp(o); op++) ok = removeOp(op);
      if (!ok) break;
    }
    if (ok) {
      // Recreate most urgent first (slack with a head start per priority step, plus noise).
      const noise = random.next() * bonusMs;
      for (const o of ruin) {
        const order = p.orders[o]!;
        urgency[o] = order.dueAt - orderWork[o]! - bonusMs * (order.priority - 1) + random.next() * noise;
      }
      if (random.next() < LATE_FIRST) urgency[seed] = -Infinity;
      ruin.sort((a, b) => urgency[a]! - urgency[b]! || a - b);
      for (const o of ruin) if (ok) ok = placeOrder(o);
    }
    let newWt = 0;
    if (ok) for (const o of ruin) newWt += tardiness(o);
    let take = ok && newWt < oldWt;
    if (ok && newWt === oldWt) take = compareScores(p, scoreSchedule(p, s), current) <= 0;
    if (take) {
      if (++accepted % COMPACT_EVERY === 0) leftShift(p, s);
      const score = scoreSchedule(p, s);
      if (compareScores(p, score, current) < 0) onImprove?.(score, iterations);
      current = score;
    } else {
      removeInserted();
      restoreRemoved();
    }
    for (const o of ruin) inRuin[o] = 0;
  }
  leftShift(p, s);
  return { schedule: s, score: scoreSchedule(p, s), iterations };
}
