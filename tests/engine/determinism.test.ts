import { describe, expect, it } from 'vitest';
import { schedule } from '../../scheduler/engine/index.ts';
import { generatePlant } from '../../scheduler/bench/plant.ts';

describe('determinism', () => {
  it('same input and options give the same plan', () => {
    const { snapshot, now } = generatePlant({ seed: 7, workCenters: 6, machinesPerWorkCenter: 2, orders: 60, operationsPerOrder: 5 });
    const opts = { seed: 3, timeLimitMs: 0, maxIterations: 200, frozenMinutes: 0, objective: 'tardiness' as const };
    const a = schedule(snapshot, null, now, opts);
    const b = schedule(structuredClone(snapshot), null, now, opts);
    expect(a.ok).toBe(true);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
