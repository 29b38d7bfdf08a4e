/**
 * Improving local search for the factory plan: a tabu search over machine sequences. Each
 * iteration picks a late order (roulette on weighted tardiness; the makespan operation when none
 * is late or the objective is makespan), follows its critical chain back through the machines
 * that delayed it, and tries N5/N7-style moves inside those critical blocks plus moving an
 * operation to another machine of its work center. Candidates are re-timed exactly and
 * incrementally (live-schedule.ts: calendars, setups, downtime); the best non-tabu candidate is
 * taken, and the best plan seen is returned.
 *
 * Fresh plans with the tardiness objective first go through ruin and recreate (ruin-recreate.ts):
 * whole late orders re-placed into the plan's gaps, far cheaper per move than re-timing sequences.
 */
import { compareScores, etaFrom, scoreSchedule, weightedLatenessMs } from '../evaluate.ts';
import type { Score } from '../evaluate.ts';
import { STATUS_RUNNING } from '../problem.ts';
import type { Problem } from '../problem.ts';
import { createRandom } from '../random.ts';
import type { Schedule } from '../schedule-state.ts';
import { earliestStart } from '../timing.ts';
import { criticalBlocks } from './blocks.ts';
import { LiveSchedule } from './live-schedule.ts';
import { multiStart } from './multi-start.ts';
import { ruinAndRecreate, type SearchResult } from './ruin-recreate.ts';
import type { Move } from './live-schedule.ts';

export interface SearchBudget {
  seed: number;
  timeLimitMs: number;
  elapsedMs?: () => number;
  maxIterations?: number;
  /** Observes each new best (for benchmarks). */
  onImprove?: (score: Score, iteration: number) => void;
}


const MAX_CANDIDATES = 12;
/** How far back a late order's operation looks for work with slack to overtake. */
const JUMP_SCAN = 6;
const STALL_ITERATIONS = 60;
/**
 * Share of a time budget, and number of starts, for multi-start construction: the fixed rule
 * variants only; jittered restarts never paid for their time on the generated plants.
 */
const MULTI_START_SHARE = 0.2;
const MULTI_START_MAX = 5;

export function improveSchedule(p: Problem, constructed: Schedule, budget: SearchBudget): SearchResult {
  let initial = constructed;
  const hasBudget = budget.elapsedMs !== undefined || budget.maxIterations !== undefined;
  const maxIterations = budget.maxIterations ?? Infinity;
  let bestScore = scoreSchedule(p, initial);
  if (!hasBudget || maxIterations <= 0 || p.opCount < 2) return { schedule: initial, score: bestScore, iterations: 0 };
  const timeUp = (): boolean => budget.elapsedMs !== undefined && budget.elapsedMs() >= budget.timeLimitMs;
  const random = createRandom(budget.seed);
  const n = p.opCount;

  // Repair runs (a previous plan exists) keep the floor's sequence; fresh plans try other rules first.
  let repairing = false;
  for (let i = 0; i < n && !repairing; i++) repairing = p.opPrevMachine[i]! >= 0;
  let startIterations = 0;
  if (!repairing) {
    // Under a count of iterations the starts are bounded by MULTI_START_MAX alone: a share of the clock
    // would make the plan depend on how busy the machine was (tasks/budget.ts).
    const withinShare = (): boolean =>
      budget.maxIterations !== undefined || budget.elapsedMs === undefined || budget.elapsedMs() < budget.timeLimitMs * MULTI_START_SHARE;
    const starts = multiStart(p, initial, random, (k) => k < maxIterations && !timeUp() && withinShare(), MULTI_START_MAX);
    if (compareScores(p, starts.score, bestScore) < 0) {
      initial = starts.schedule;
      bestScore = starts.score;
      budget.onImprove?.(bestScore, starts.iterations);
    }
    startIterations = starts.iterations;
    // Weighted tardiness: ruin and recreate late orders with the plan's other work held in place.
    if (p.objective === 'tardiness') {
      const recreated = ruinAndRecreate(p, initial, random, (k) => startIterations + k < maxIterations && !timeUp(),
        (score, k) => budget.onImprove?.(score, startIterations + k));
      if (compareScores(p, recreated.score, bestScore) <= 0) {
        initial = recreated.schedule;
        bestScore = recreated.score;
      }
      startIterations += recreated.iterations;
    }
  }

  let best = initial;
  let live = new LiveSchedule(p, initial);
  const tabu = new Map<number, number>();
  const path: number[] = [];
  const blocks: number[] = [];
  const weights = new Float64Array(p.orders.length);
  const candidates: Move[] = [];
  let targetOrder = -1;

  // A queue pin's place in its machine's sequence is the planner's (construction put it at its queue
  // time): the search re-sequences around it, never moves it, or a kanban reorder would be undone.
  const movable = (op: number): boolean =>
    p.opStatus[op] !== STATUS_RUNNING && Number.isNaN(p.opPinStart[op]!) && Number.isNaN(p.opQueueAt[op]!) && !p.opFrozen[op];
  const tabuKey = (op: number, prev: number): number => op * (n + 1) + prev + 1;

  const pickTarget = (): number => {
    let total = 0;
    if (p.objective === 'tardiness') {
      for (let o = 0; o < p.orders.length; o++) {
        weights[o] = weightedLatenessMs(p, live.end, o);
        total += weights[o]!;
      }
    }
    if (total > 0) {
      let r = random.next() * total;
      for (let o = 0; o < p.orders.length; o++) if (weights[o]! > 0 && (r -= weights[o]!) < 0) return p.orderFirstOp[o + 1]! - 1;
    }
    let target = -1;
    let latest = -Infinity;
    let ties = 0;
    for (let op = 0; op < n; op++) {
      if (live.end[op]! > latest) { latest = live.end[op]!; target = op; ties = 1; }
      else if (live.end[op] === latest && random.int(++ties) === 0) target = op;
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
      const jobReady = earliestStart(p, x, pred >= 0 ? live.end[pred]! : -Infinity);
      const mp = live.prev[x]!;
      if (mp >= 0 && live.end[mp]! >= jobReady) x = mp;
      else if (pred >= 0 && jobReady > p.opReady[x]!) x = pred;
      else break;
    }
    path.reverse();
  };

  const collectMoves = (): void => {
    candidates.length = 0;
    const adjacent = (a: number, b: number): boolean => live.next[a] === b;
    const count = criticalBlocks(path, path.length, adjacent, blocks);
    for (let b = 0; b < count; b++) {
      const from = blocks[2 * b]!;
      const to = blocks[2 * b + 1]! - 1;
      if (to <= from) continue;
      const first = path[from]!;
      const second = path[from + 1]!;
      const last = path[to]!;
      const beforeLast = path[to - 1]!;
      const m = live.machine[first]!;
      if (movable(first) && movable(second)) candidates.push({ op: first, toMachine: m, before: live.next[second]! });
      if (to - 1 > from && movable(last) && movable(beforeLast)) candidates.push({ op: last, toMachine: m, before: beforeLast });
      if (to - from >= 2 && movable(last) && movable(first)) candidates.push({ op: last, toMachine: m, before: first });
      if (to - from >= 2 && movable(first)) candidates.push({ op: first, toMachine: m, before: live.next[last]! });
      if (to - from >= 3) {
        const inner = path[from + 1 + random.int(to - from - 1)]!;
        if (movable(inner) && movable(first)) candidates.push({ op: inner, toMachine: m, before: first });
      }
    }
    // The target order's own operations jump ahead of queued work whose orders have slack.
    for (const op of path) {
      if (p.objective !== 'tardiness' || p.opOrder[op] !== targetOrder || !movable(op)) continue;
      let y = live.prev[op]!;
      for (let hops = 0; y >= 0 && hops < JUMP_SCAN && movable(y); hops++, y = live.prev[y]!) {
        const o = p.opOrder[y]!;
        if (etaFrom(p, live.end, o) < p.orders[o]!.dueAt) candidates.push({ op, toMachine: live.machine[op]!, before: y });
      }
    }
    // Another machine of the same work center, where the operation's current start would fall.
    for (const op of path) {
      if (!movable(op) || p.opFixedMachine[op]! >= 0) continue;
      const w = p.opWc[op]!;
      const firstMachine = p.wcFirstMachine[w]!;
      const machines = p.wcFirstMachine[w + 1]! - firstMachine;
      if (machines < 2) continue;
      let m = firstMachine + random.int(machines - 1);
      if (m >= live.machine[op]!) m++;
      let before = live.head[m]!;
      while (before >= 0 && live.start[before]! < live.start[op]!) before = live.next[before]!;
      candidates.push({ op, toMachine: m, before });
    }
    for (let k = candidates.length - 1; k > 0; k--) {
      const j = random.int(k + 1);
      [candidates[k], candidates[j]] = [candidates[j]!, candidates[k]!];
    }
    if (candidates.length > MAX_CANDIDATES) candidates.length = MAX_CANDIDATES;
  };

  let iterations = startIterations;
  let lastImprovement = iterations;
  let fruitless = 0;
  while (iterations < maxIterations && !timeUp()) {
    iterations++;
    const target = pickTarget();
    targetOrder = p.opOrder[target]!;
    criticalChain(target);
    collectMoves();
    let chosen: Move | null = null;
    let chosenScore: Score | null = null;
    let chosenOrigin = -1;
    for (const move of candidates) {
      const origin = live.prev[move.op]!;
      if (!live.apply(move)) continue;
      const score = live.score();
      // Tabu: putting an operation back behind the one it recently left.
      const isTabu = (tabu.get(tabuKey(move.op, live.prev[move.op]!)) ?? 0) > iterations;
      if ((!isTabu || compareScores(p, score, bestScore) < 0) && (!chosenScore || compareScores(p, score, chosenScore) < 0)) {
        chosen = move;
        chosenScore = score;
        chosenOrigin = origin;
      }
      live.undo();
    }
    if (!chosen || !chosenScore) {
      if (++fruitless > 200) break; // no critical chain offers a move
      continue;
    }
    fruitless = 0;
    live.apply(chosen);
    tabu.set(tabuKey(chosen.op, chosenOrigin), iterations + 5 + random.int(6));
    if (compareScores(p, chosenScore, bestScore) < 0) {
      best = live.toSchedule();
      bestScore = chosenScore;
      lastImprovement = iterations;
      budget.onImprove?.(bestScore, iterations);
    } else if (iterations - lastImprovement > STALL_ITERATIONS) {
      live = new LiveSchedule(p, best);
      tabu.clear();
      lastImprovement = iterations;
    }
  }
  return { schedule: best, score: scoreSchedule(p, best), iterations };
}
