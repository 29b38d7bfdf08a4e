import { describe, expect, it } from 'vitest';
import { generatePlant } from '../../scheduler/bench/plant.ts';
import { schedule } from '../../scheduler/engine/index.ts';

describe('performance', () => {
  it('constructs 16,000 operations on 120 machines quickly (target 300 ms; loose bound for CI)', () => {
    const { snapshot, now } = generatePlant({ seed: 3, workCenters: 60, machinesPerWorkCenter: 2, orders: 2000, operationsPerOrder: 8 });
    const options = { seed: 1, timeLimitMs: 0, maxIterations: 0, frozenMinutes: 0, objective: 'tardiness' as const };
    schedule(snapshot, null, now, options); // warm-up (JIT)
    const t0 = performance.now();
    const result = schedule(snapshot, null, now, options);
    const ms = performance.now() - t0;
    expect(result.ok).toBe(true);
    expect(ms).toBeLessThan(1000);
  });
});
