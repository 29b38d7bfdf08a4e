import { describe, expect, it } from 'vitest';
import { generatePlant } from '../../scheduler/bench/plant.ts';
import { schedule } from '../../scheduler/engine/index.ts';
import { planOf } from './fixtures.ts';
import { compareScores } from '../../scheduler/engine/evaluate.ts';
import { compileProblem } from '../../scheduler/engine/problem.ts';
import { constructedAndSearched, planViolations, searchObjective } from './plan-check.ts';

const plant = generatePlant({ seed: 11, workCenters: 8, machinesPerWorkCenter: 2, orders: 80, operationsPerOrder: 5 });
const base = { seed: 5, timeLimitMs: 0, frozenMinutes: 0, objective: 'tardiness' as const };

describe('search after construction', () => {
  it('never worsens the constructed plan, stays feasible and is reproducible', () => {
    const { searched, again } = constructedAndSearched(plant, base, 300);
    // What the search is asked to improve, before the floor's replay (whose plan of the searched
    // queues need not beat the replay of the construction's at this instant: search-ruin-recreate).
    const objective = searchObjective(plant, base, 300);
    expect(compareScores(compileProblem(plant.snapshot, null, plant.now, base), objective.searched, objective.constructed)).toBeLessThanOrEqual(0);
    expect(searched.figures.iterations).toBeGreaterThan(0);
    expect(planViolations(plant.snapshot, searched, plant.now)).toEqual([]);
    expect(again.operations).toEqual(searched.operations);
  });

  it('stops at the time budget through the injected clock', () => {
    let calls = 0;
    const elapsedMs = () => (calls++ > 20 ? 10_000 : 0); // the "clock" runs out after a few checks
    const plan = planOf(schedule(plant.snapshot, null, plant.now, { ...base, timeLimitMs: 100, elapsedMs }));
    expect(plan.figures.iterations).toBeLessThan(30);
  });

  it("objective 'makespan' ignores due dates", () => {
    const shifted = structuredClone(plant.snapshot);
    shifted.orders.forEach((o, k) => (o.dueAt = plant.now + (k % 2 ? 1 : 1000) * 3_600_000));
    const a = planOf(schedule(plant.snapshot, null, plant.now, { ...base, objective: 'makespan', maxIterations: 50 }));
    const b = planOf(schedule(shifted, null, plant.now, { ...base, objective: 'makespan', maxIterations: 50 }));
    expect(b.operations).toEqual(a.operations);
  });

  it('a re-solve with the previous plan keeps what is not affected', () => {
    const first = planOf(schedule(plant.snapshot, null, plant.now, { ...base, maxIterations: 100 }));
    const second = planOf(schedule(plant.snapshot, first, plant.now, { ...base, maxIterations: 0 }));
    expect(second.figures.movedOperations).toBe(0);
    expect(second.operations.map((o) => [o.machine, o.start])).toEqual(first.operations.map((o) => [o.machine, o.start]));
  });
});
