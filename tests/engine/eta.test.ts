import { describe, expect, it } from 'vitest';
import { generatePlant } from '../../scheduler/bench/plant.ts';
import { schedule } from '../../scheduler/engine/index.ts';
import { planOf } from './fixtures.ts';

describe('ETA (etaFrom in scheduler/engine/evaluate.ts, the one place it is derived)', () => {
  it("is the end of each order's last open operation, late exactly when it is after the due date, after search too", () => {
    const plant = generatePlant({ seed: 5, workCenters: 6, machinesPerWorkCenter: 2, orders: 80, operationsPerOrder: 4, downtimes: 2 });
    const plan = planOf(schedule(plant.snapshot, null, plant.now, { seed: 1, timeLimitMs: 0, maxIterations: 500, frozenMinutes: 0, objective: 'tardiness' }));
    let late = 0;
    for (const eta of plan.orders) {
      const ends = plan.operations.filter((o) => o.order === eta.order).map((o) => o.end);
      expect(eta.eta, eta.order).toBe(Math.max(...ends));
      expect(eta.late, eta.order).toBe(eta.eta > eta.dueAt);
      if (eta.late) late++;
    }
    expect(plan.figures.lateOrders).toBe(late);
  });
});
