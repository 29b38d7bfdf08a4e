import type { Snapshot } from '../engine/model.ts';

/**
 * The wall-clock scale of a live plan: a few hundred operations settle within tens of milliseconds,
 * while the search thread competes with the server and PostgreSQL for two cores. 16,000 operations
 * get the full second the floor can wait.
 */
export function liveBudgetMs(snapshot: Snapshot): number {
  let operations = 0;
  for (const order of snapshot.orders) operations += order.operations.length;
  return Math.round(Math.min(1000, Math.max(50, operations * 0.06)));
}

/**
 * Search iterations per live plan. A plan searched for a span of wall-clock time depends on how busy
 * the machine was: the same floor got 300 iterations in one plan and 19,000 in the next, and a month
 * of the twin (`npm run bench:eta`) swung by 35 points of ETA accuracy between two runs of one seed.
 * A count makes the plan a function of the floor alone: the same snapshot gives the same plan on any
 * machine, the preview shows what the loop will do, and the bench repeats. 1,000 iterations cost the
 * demo plant about what its 50 ms budget did on average (44 ms; 99 in 100 plans within 175 ms).
 */
export const LIVE_SEARCH_ITERATIONS = 1000;

export interface LiveSearchBudget {
  timeLimitMs: number;
  maxIterations?: number;
}

/**
 * The live loop's search budget: LIVE_SEARCH_ITERATIONS, with wall-clock time only as the backstop of
 * a big plant or a starved thread (twice the scale, at least 250 ms, at most `capMs`: the second the
 * floor can wait). `fixedMs` (TAKT_RESCHEDULE_BUDGET_MS) is an operator's explicit time budget
 * instead, taken as given: whoever sets it has chosen their own trade-off.
 */
export function liveSearchBudget(snapshot: Snapshot, fixedMs: number | null = null, capMs = 1000): LiveSearchBudget {
  if (fixedMs !== null) return { timeLimitMs: fixedMs };
  return { maxIterations: LIVE_SEARCH_ITERATIONS, timeLimitMs: Math.min(capMs, Math.max(250, 2 * liveBudgetMs(snapshot))) };
}
