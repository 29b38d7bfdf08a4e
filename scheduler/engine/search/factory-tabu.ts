/**
 * Improving local search for the factory plan: a tabu search over machine sequences. Each
 * iteration picks a late order (roulette on weighted tardiness; the makespan order when none is
 * late or the objective is makespan), follows its critical chain back through the machines that
 * delayed it, and tries N5/N7-style moves inside those critical blocks plus moving an operation to
 * another machine of its work center. Candidates are decoded exactly (decode.ts, i.e. with
 * calendars, setups and downtime), the best non-tabu one is taken, and the best plan is kept.
 */
import { decodeScratch, decodeSequences } from '../decode.ts';
import { compareScores, scoreSchedule } from '../evaluate.ts';
import type { Score } from '../evaluate.ts';
import { STATUS_RUNNING } from '../problem.ts';
import type { Problem } from '../problem.ts';
import { createRandom } from '../random.ts';
import { cloneSchedule } from '../schedule-state.ts';
import type { Schedule } from '../schedule-state.ts';
import { earliestStart } from '../timing.ts';
import { criticalBlocks } from './blocks.ts';

export interface SearchBudget {
  seed: number;
  timeLimitMs: number;
  elapsedMs?: () => number;
  maxIterations?: number;
  /** Observes each new best (for benchmarks). */
  onImprove?: (score: Score, iteration: number) => void;
}

export interface SearchResult {
  schedule: Schedule;
  score: Score;
  iterations: number;
}

interface Move {
  op: number;
  toMachine: number;
  toIndex: number; // index in the target sequence once op is removed from its own
}

const MAX_CANDIDATES = 10;
const STALL_ITERATIONS = 150;

export function improveSchedule(p: Problem, initial: Schedule, budget: SearchBudget): SearchResult {
  const hasBudget = budget.elapsedMs !== undefined || budget.maxIterations !== undefined;
  const maxIterations = budget.maxIterations ?? Infinity;
  let bestScore = scoreSchedule(p, initial);
  if (!hasBudget || maxIterations <= 0 || p.opCount < 2) return { schedule: initial, score: bestScore, iterations: 0 };
  const timeUp = (): boolean => budget.elapsedMs !== undefined && budget.elapsedMs() >= budget.timeLimitMs;
  const random = createRandom(budget.seed);
  const scratch = decodeScratch(p);
  const n = p.opCount;

  let best = cloneSchedule(initial);
  const current = cloneSchedule(initial);
  let currentScore = bestScore;
  const trial: Schedule = { ...cloneSchedule(initial), sequence: current.sequence };
  const position = new Int32Array(n);
  const tabu = new Map<number, number>();
  const path: number[] = [];
  const blocks: number[] = [];
  const weights = new Float64Array(p.orders.length);

  const movable = (op: number): boolean => p.opStatus[op] !== STATUS_RUNNING && Number.isNaN(p.opPinStart[op]!) && !p.opFrozen[op];
  const reindex = (): void => {
    for (const seq of current.sequence) for (let k = 0; k < seq.length; k++) position[seq[k]!] = k;
  };
  const machinePrev = (op: number): number => {
    const k = position[op]!;
    return k > 0 ? current.sequence[current.machine[op]!]![k - 1]! : -1;
  };
  const tabuKey = (op: number, prev: number): number => op * (n + 1) + prev + 1;

  const pickTarget = (): number => {
    let total = 0;
    if (p.objective === 'tardiness') {
      for (let o = 0; o < p.orders.length; o++) {
        const last = p.orderFirstOp[o + 1]! - 1;
        const late = last >= p.orderFirstOp[o]! ? current.end[last]! - p.orders[o]!.dueAt : 0;
        weights[o] = late > 0 ? late * p.orders[o]!.priority : 0;
        total += weights[o]!;
      }
    }
    if (total > 0) {
      let r = random.next() * total;
      for (let o = 0; o < p.orders.length; o++) if ((r -= weights[o]!) < 0 && weights[o]! > 0) return p.orderFirstOp[o + 1]! - 1;
    }
    // Makespan: one of the operations ending last.
    let target = -1;
    let latest = -Infinity;
    let ties = 0;
    for (let op = 0; op < n; op++) {
      if (current.end[op]! > latest) (latest = current.end[op]!), (target = op), (ties = 1);
      else if (current.end[op] === latest && random.int(++ties) === 0) target = op;
    }
    return target;
  };

  /** The chain of binding constraints that ends at `op`, oldest first. */
  const criticalChain = (op: number): void => {
    path.length = 0;
    let x = op;
    while (x >= 0 && path.length < n) {
      path.push(x);
      if (p.opStatus[x] === STATUS_RUNNING) break;
      const pred = p.opPred[x]!;
      const jobReady = earliestStart(p, x, pred >= 0 ? current.end[pred]! : -Infinity);
      const mp = machinePrev(x);
      if (mp >= 0 && current.end[mp]! >= jobReady) x = mp;
      else if (pred >= 0 && jobReady > p.opReady[x]!) x = pred;
      else break;
    }
    path.reverse();
  };

  const candidates: Move[] = [];
  const addMove = (op: number, toMachine: number, toIndex: number): void => {
    candidates.push({ op, toMachine, toIndex });
  };
  const collectMoves = (): void => {
    candidates.length = 0;
    const sameMachineAdjacent = (a: number, b: number): boolean => current.machine[a] === current.machine[b] && position[b] === position[a]! + 1;
    const count = criticalBlocks(path, path.length, sameMachineAdjacent, blocks);
    for (let b = 0; b < count; b++) {
      const from = blocks[2 * b]!;
      const to = blocks[2 * b + 1]! - 1;
      if (to > from) {
        const first = path[from]!;
        const second = path[from + 1]!;
        const last = path[to]!;
        const beforeLast = path[to - 1]!;
        const m = current.machine[first]!;
        const firstAt = position[first]!;
        const lastAt = position[last]!;
        if (movable(first) && movable(second)) addMove(first, m, firstAt + 1); // swap the first two
        if (to - 1 > from && movable(last) && movable(beforeLast)) addMove(last, m, lastAt - 1); // swap the last two
        if (to - from >= 2 && movable(last)) addMove(last, m, firstAt); // last to the front
        if (to - from >= 2 && movable(first)) addMove(first, m, lastAt); // first to the end
        if (to - from >= 3) {
          const inner = path[from + 1 + random.int(to - from - 1)]!;
          if (movable(inner)) addMove(inner, m, firstAt);
        }
      }
    }
    // Another machine of the same work center, at the slot matching the current start.
    for (const op of path) {
      if (!movable(op) || p.opFixedMachine[op]! >= 0) continue;
      const w = p.opWc[op]!;
      const first = p.wcFirstMachine[w]!;
      const machines = p.wcFirstMachine[w + 1]! - first;
      if (machines < 2) continue;
      let m = first + random.int(machines - 1);
      if (m >= current.machine[op]!) m++;
      const seq = current.sequence[m]!;
      let lo = 0;
      let hi = seq.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (current.start[seq[mid]!]! < current.start[op]!) lo = mid + 1;
        else hi = mid;
      }
      addMove(op, m, lo);
    }
    // Keep a bounded, seeded sample.
    for (let k = candidates.length - 1; k > 0; k--) {
      const j = random.int(k + 1);
      [candidates[k], candidates[j]] = [candidates[j]!, candidates[k]!];
    }
    if (candidates.length > MAX_CANDIDATES) candidates.length = MAX_CANDIDATES;
  };

  /** Applies a move to current.sequence; returns the inverse move. */
  const apply = (move: Move): Move => {
    const fromMachine = current.machine[move.op]!;
    const fromSeq = current.sequence[fromMachine]!;
    const fromIndex = fromSeq.indexOf(move.op);
    fromSeq.splice(fromIndex, 1);
    current.sequence[move.toMachine]!.splice(move.toIndex, 0, move.op);
    current.machine[move.op] = move.toMachine;
    return { op: move.op, toMachine: fromMachine, toIndex: fromIndex };
  };
  const undo = (inverse: Move): void => {
    const seq = current.sequence[current.machine[inverse.op]!]!;
    seq.splice(seq.indexOf(inverse.op), 1);
    current.sequence[inverse.toMachine]!.splice(inverse.toIndex, 0, inverse.op);
    current.machine[inverse.op] = inverse.toMachine;
  };
  /** The operation's machine predecessor while `move` is applied. */
  const prevWhileApplied = (move: Move): number => (move.toIndex > 0 ? current.sequence[move.toMachine]![move.toIndex - 1]! : -1);

  let iterations = 0;
  let lastImprovement = 0;
  let fruitless = 0;
  while (iterations < maxIterations && !timeUp()) {
    iterations++;
    reindex();
    criticalChain(pickTarget());
    collectMoves();
    if (candidates.length === 0) {
      if (++fruitless > 200) break; // nothing on any critical chain can move
      continue;
    }
    fruitless = 0;
    let chosen: Move | null = null;
    let chosenScore: Score | null = null;
    let chosenOrigin = -1;
    for (const move of candidates) {
      const prevBefore = machinePrev(move.op);
      const inverse = apply(move);
      const ok = decodeSequences(p, trial, scratch);
      if (ok) {
        const score = scoreSchedule(p, trial);
        // Tabu: returning an operation behind the one it was recently moved away from.
        const isTabu = (tabu.get(tabuKey(move.op, prevWhileApplied(move))) ?? 0) > iterations;
        const aspirates = compareScores(p, score, bestScore) < 0;
        if ((!isTabu || aspirates) && (!chosenScore || compareScores(p, score, chosenScore) < 0)) {
          chosen = move;
          chosenScore = score;
          chosenOrigin = prevBefore;
        }
      }
      undo(inverse);
    }
    if (!chosen || !chosenScore) continue;
    apply(chosen);
    decodeSequences(p, current, scratch);
    currentScore = chosenScore;
    tabu.set(tabuKey(chosen.op, chosenOrigin), iterations + 5 + random.int(6));
    if (compareScores(p, currentScore, bestScore) < 0) {
      best = cloneSchedule(current);
      bestScore = currentScore;
      lastImprovement = iterations;
      budget.onImprove?.(bestScore, iterations);
    } else if (iterations - lastImprovement > STALL_ITERATIONS) {
      restore(current, best);
      currentScore = bestScore;
      tabu.clear();
      lastImprovement = iterations;
    }
  }
  return { schedule: best, score: bestScore, iterations };
}

function restore(target: Schedule, source: Schedule): void {
  target.machine.set(source.machine);
  target.start.set(source.start);
  target.end.set(source.end);
  target.setup.set(source.setup);
  source.sequence.forEach((seq, m) => {
    target.sequence[m]!.length = 0;
    target.sequence[m]!.push(...seq);
  });
}
