import { describe, expect, it } from 'vitest';
import { generatePlant } from '../../scheduler/bench/plant.ts';
import { schedule } from '../../scheduler/engine/index.ts';
import { planOf } from './fixtures.ts';
import { constructedAndSearched, planViolations, searchObjective } from './plan-check.ts';

// A small, loaded plant: a third of the orders are late after construction.
const plant = generatePlant({ seed: 3, workCenters: 6, machinesPerWorkCenter: 2, orders: 120, operationsPerOrder: 5, downtimes: 2, pins: 2 });
const base = { seed: 7, timeLimitMs: 0, frozenMinutes: 0, objective: 'tardiness' as const };

describe('ruin and recreate on a fresh plan', () => {
  it('strictly lowers weighted tardiness, stays feasible and is reproducible', () => {
    const { constructed, searched, again } = constructedAndSearched(plant, base, 2000);
    expect(constructed.figures.lateOrders).toBeGreaterThan(0);
    // The search's objective: its queues timed strictly, before the floor's replay.
    const objective = searchObjective(plant, base, 2000);
    expect(objective.searched.weightedTardinessMinutes).toBeLessThan(objective.constructed.weightedTardinessMinutes);
    expect(planViolations(plant.snapshot, searched, plant.now)).toEqual([]);
    expect(again.operations).toEqual(searched.operations);
    expect(again.figures.weightedTardinessMinutes).toBe(searched.figures.weightedTardinessMinutes);
  });

  it('keeps pinned operations where the planner put them', () => {
    const searched = planOf(schedule(plant.snapshot, null, plant.now, { ...base, maxIterations: 2000 }));
    for (const order of plant.snapshot.orders) {
      for (const op of order.operations) {
        if (!op.pin?.machine) continue;
        const planned = searched.operations.find((o) => o.order === order.code && o.seq === op.seq)!;
        expect(planned.machine).toBe(op.pin.machine);
        expect(planned.pinned).toBe(true);
      }
    }
  });
});
