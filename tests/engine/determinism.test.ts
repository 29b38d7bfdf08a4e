import { describe, expect, it } from 'vitest';
import { schedule } from '../../scheduler/engine/index.ts';
import { generatePlant } from '../../scheduler/bench/plant.ts';
import { LIVE_SEARCH_ITERATIONS, liveSearchBudget } from '../../scheduler/tasks/budget.ts';

describe('determinism', () => {
  it('same input and options give the same plan', () => {
    const { snapshot, now } = generatePlant({ seed: 7, workCenters: 6, machinesPerWorkCenter: 2, orders: 60, operationsPerOrder: 5 });
    const opts = { seed: 3, timeLimitMs: 0, maxIterations: 200, frozenMinutes: 0, objective: 'tardiness' as const };
    const a = schedule(snapshot, null, now, opts);
    const b = schedule(structuredClone(snapshot), null, now, opts);
    expect(a.ok).toBe(true);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('under the live budget a busy machine makes the plan an idle one does; the clock only stops it at the backstop', () => {
    const { snapshot, now } = generatePlant({ seed: 7, workCenters: 6, machinesPerWorkCenter: 2, orders: 60, operationsPerOrder: 5 });
    const budget = liveSearchBudget(snapshot);
    expect(budget.maxIterations).toBe(LIVE_SEARCH_ITERATIONS);
    const base = { seed: 1, ...budget, frozenMinutes: 0, objective: 'tardiness' as const };
    const idle = schedule(snapshot, null, now, { ...base, elapsedMs: () => 0 });
    // A clock a millisecond short of the backstop at every look: fresh plans' multi-start included.
    const busy = schedule(structuredClone(snapshot), null, now, { ...base, elapsedMs: () => budget.timeLimitMs - 1 });
    const stopped = schedule(structuredClone(snapshot), null, now, { ...base, elapsedMs: () => budget.timeLimitMs });
    if (!idle.ok || !busy.ok || !stopped.ok) throw new Error('infeasible');
    expect(idle.plan.figures.iterations).toBe(LIVE_SEARCH_ITERATIONS);
    expect(busy.plan.figures.iterations).toBe(LIVE_SEARCH_ITERATIONS);
    expect(JSON.stringify(busy.plan.operations)).toBe(JSON.stringify(idle.plan.operations));
    expect(stopped.plan.figures.iterations).toBe(0);
  });

  it('an operator\'s explicit budget is wall-clock time, as given; the backstop grows with the plant to a second', () => {
    const { snapshot } = generatePlant({ seed: 7, workCenters: 6, machinesPerWorkCenter: 2, orders: 60, operationsPerOrder: 5 });
    expect(liveSearchBudget(snapshot, 300)).toEqual({ timeLimitMs: 300 });
    // As before the count of iterations: TAKT_RESCHEDULE_BUDGET_MS was never capped.
    expect(liveSearchBudget(snapshot, 5000)).toEqual({ timeLimitMs: 5000 });
    // 300 operations: the backstop's floor of 250 ms; 16,000 operations: the second.
    expect(liveSearchBudget(snapshot).timeLimitMs).toBe(250);
    const big = generatePlant({ seed: 7, workCenters: 6, machinesPerWorkCenter: 2, orders: 2000, operationsPerOrder: 8 });
    expect(liveSearchBudget(big.snapshot).timeLimitMs).toBe(1000);
  });
});
