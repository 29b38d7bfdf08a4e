/**
 * Tabu search for the job shop (in the spirit of TSAB / i-TSAB with the N7 neighbourhood):
 * moves shift the first or last operation of a critical block inside the block, or an inner
 * operation to the block's ends; candidates are ranked by approximate evaluation, tabu attributes
 * are reversed operation pairs with a randomised tenure, and a stalled search restarts from a
 * perturbed elite solution. Budget and seed are options; the search never reads a clock itself.
 */
import { createRandom } from '../random.ts';
import type { Random } from '../random.ts';
import { criticalBlocks } from '../search/blocks.ts';
import { dispatchSequences } from './dispatch.ts';
import type { JobShop } from './instance.ts';
import { JobShopGraph } from './graph.ts';

export interface TabuOptions {
  seed: number;
  timeLimitMs: number;
  elapsedMs?: () => number;
  maxIterations?: number;
  /** Iterations without improvement before restarting from an elite solution. */
  stallIterations?: number;
  /** Stop as soon as this makespan is reached (e.g. a proven lower bound). */
  target?: number;
  /** Called with (makespan, iteration) whenever the best solution improves. */
  onImprove?: (makespan: number, iteration: number) => void;
}

export interface JobShopResult {
  makespan: number;
  /** Start time of every operation (job by job, in route order). */
  starts: Int32Array;
  iterations: number;
}

/** Lower bound: the longest job and the most loaded machine. */
export function jobShopLowerBound(js: JobShop): number {
  let lb = 0;
  const load = new Float64Array(js.machines);
  for (let j = 0; j < js.jobs; j++) {
    let len = 0;
    for (let i = js.jobFirstOp[j]!; i < js.jobFirstOp[j + 1]!; i++) {
      len += js.opDuration[i]!;
      load[js.opMachine[i]!]! += js.opDuration[i]!;
    }
    lb = Math.max(lb, len);
  }
  for (const l of load) lb = Math.max(lb, l);
  return lb;
}

interface Elite {
  makespan: number;
  seq: Int32Array;
}

const ELITE_SIZE = 8;

export function solveJobShop(js: JobShop, options: TabuOptions): JobShopResult {
  const random = createRandom(options.seed);
  const g = new JobShopGraph(js);
  const n = js.opCount;
  if (n === 0) return { makespan: 0, starts: new Int32Array(0), iterations: 0 };

  // Initial solution: the best of a few dispatching rules.
  let bestSeq: Int32Array | null = null;
  let best = Infinity;
  for (const rule of ['mwkr', 'spt', 'lrpt-ratio'] as const) {
    g.loadSequences(dispatchSequences(js, rule));
    if (g.makespan < best) { best = g.makespan; bestSeq = g.seq.slice(); }
  }
  g.load(bestSeq!);
  options.onImprove?.(best, 0);
  const target = Math.max(options.target ?? 0, jobShopLowerBound(js));
  const elite: Elite[] = [{ makespan: best, seq: bestSeq!.slice() }];

  const maxIterations = options.maxIterations ?? Infinity;
  const timeUp = (): boolean => options.elapsedMs !== undefined && options.elapsedMs() >= options.timeLimitMs;
  const budgetless = options.elapsedMs === undefined && options.maxIterations === undefined;
  const stall = options.stallIterations ?? Math.max(2000, 20 * n);
  const baseTenure = 10 + Math.floor(js.jobs / Math.max(1, js.machines));
  // tabuUntil[a * n + b]: iteration until which "a directly or indirectly before b" may not be restored.
  const tabuUntil = new Int32Array(n * n);
  const blocks = new Int32Array(2 * n + 2);
  let iter = 0;
  let lastImprovement = 0;

  // Candidate move buffers (flat positions).
  const moveFrom: number[] = [];
  const moveTo: number[] = [];

  const isTabu = (from: number, to: number): boolean => {
    const u = g.seq[from]!;
    if (from < to) {
      for (let k = from + 1; k <= to; k++) if (tabuUntil[g.seq[k]! * n + u]! > iter) return true;
    } else {
      for (let k = to; k < from; k++) if (tabuUntil[u * n + g.seq[k]!]! > iter) return true;
    }
    return false;
  };
  const recordTabu = (from: number, to: number, tenure: number): void => {
    // Called before the move: forbid restoring the pairs this move reverses.
    const u = g.seq[from]!;
    if (from < to) for (let k = from + 1; k <= to; k++) tabuUntil[u * n + g.seq[k]!] = iter + tenure;
    else for (let k = to; k < from; k++) tabuUntil[g.seq[k]! * n + u] = iter + tenure;
  };

  const collectMoves = (): void => {
    moveFrom.length = 0;
    moveTo.length = 0;
    g.criticalPath(random);
    const count = criticalBlocks(g.path, g.pathLength, g.sameMachineAdjacent, blocks);
    for (let b = 0; b < count; b++) {
      const a = blocks[2 * b]!;
      const z = blocks[2 * b + 1]! - 1;
      if (z <= a) continue;
      const first = g.pos[g.path[a]!]!;
      const last = g.pos[g.path[z]!]!;
      const firstOp = g.path[a]!;
      const lastOp = g.path[z]!;
      // First operation moved later inside the block (including past the last).
      for (let k = first + 1; k <= last; k++) {
        if (g.forwardFeasible(firstOp, g.seq[k]!)) { moveFrom.push(first); moveTo.push(k); }
      }
      // Last operation moved earlier inside the block (the swap with its neighbour is already in).
      for (let k = last - 1; k >= first; k--) {
        if (k === last - 1 && last - 1 === first) continue;
        if (g.backwardFeasible(lastOp, g.seq[k]!)) { moveFrom.push(last); moveTo.push(k); }
      }
      // Inner operations moved to the block's ends.
      for (let k = first + 1; k < last; k++) {
        const u = g.seq[k]!;
        if (g.backwardFeasible(u, firstOp)) { moveFrom.push(k); moveTo.push(first); }
        if (g.forwardFeasible(u, lastOp)) { moveFrom.push(k); moveTo.push(last); }
      }
    }
  };

  const remember = (): void => {
    if (g.makespan < best) {
      best = g.makespan;
      bestSeq = g.seq.slice();
      lastImprovement = iter;
      options.onImprove?.(best, iter);
    }
    if (elite.some((e) => e.makespan === g.makespan)) return;
    if (elite.length < ELITE_SIZE) elite.push({ makespan: g.makespan, seq: g.seq.slice() });
    else {
      let worst = 0;
      for (let k = 1; k < elite.length; k++) if (elite[k]!.makespan > elite[worst]!.makespan) worst = k;
      if (g.makespan < elite[worst]!.makespan) elite[worst] = { makespan: g.makespan, seq: g.seq.slice() };
    }
  };

  const restart = (): void => {
    const from = elite[random.int(elite.length)]!;
    g.load(from.seq);
    perturb(g, random, 2 + random.int(4), blocks);
    iter += 2 * baseTenure + 2; // every tabu entry expires
    lastImprovement = iter;
  };

  while (best > target && iter < maxIterations && !budgetless) {
    if ((iter & 31) === 0 && timeUp()) break;
    iter++;
    collectMoves();
    if (moveFrom.length === 0) break; // one job's chain is critical: optimal
    let chosen = -1;
    let chosenValue = Infinity;
    let ties = 0;
    let fallback = -1;
    let fallbackValue = Infinity;
    for (let k = 0; k < moveFrom.length; k++) {
      const value = g.estimateMove(moveFrom[k]!, moveTo[k]!);
      const tabu = isTabu(moveFrom[k]!, moveTo[k]!);
      if (!tabu || value < best) {
        if (value < chosenValue) { chosenValue = value; chosen = k; ties = 1; }
        else if (value === chosenValue && random.int(++ties) === 0) chosen = k;
      } else if (value < fallbackValue || (value === fallbackValue && random.int(2) === 0)) {
        fallbackValue = value;
        fallback = k;
      }
    }
    if (chosen < 0) chosen = fallback;
    const from = moveFrom[chosen]!;
    const to = moveTo[chosen]!;
    recordTabu(from, to, baseTenure + random.int(Math.max(2, Math.ceil(baseTenure / 2))));
    if (!g.applyMove(from, to)) {
      // The feasibility tests are sufficient conditions; should a cycle still appear, undo it.
      g.applyMove(to, from);
      continue;
    }
    remember();
    if (iter - lastImprovement > stall) restart();
  }

  g.load(bestSeq!);
  return { makespan: g.makespan, starts: g.starts(), iterations: iter };
}

/** A few random feasible critical-block moves, to leave an elite solution's basin. */
function perturb(g: JobShopGraph, random: Random, moves: number, blocks: Int32Array): void {
  for (let k = 0; k < moves; k++) {
    g.criticalPath(random);
    const count = criticalBlocks(g.path, g.pathLength, g.sameMachineAdjacent, blocks);
    const candidates: number[] = [];
    for (let b = 0; b < count; b++) if (blocks[2 * b + 1]! - blocks[2 * b]! >= 2) candidates.push(b);
    if (!candidates.length) return;
    const b = candidates[random.int(candidates.length)]!;
    const i = blocks[2 * b]! + random.int(blocks[2 * b + 1]! - blocks[2 * b]! - 1);
    const from = g.pos[g.path[i]!]!;
    if (!g.applyMove(from, from + 1)) g.applyMove(from + 1, from);
  }
}
