/** Tests check plans with the engine's independent rule checks (scheduler/engine/constraints.ts). */
export { hardViolations as planViolations } from '../../scheduler/engine/constraints.ts';

import { schedule } from '../../scheduler/engine/index.ts';
import type { ScheduleOptions, Snapshot } from '../../scheduler/engine/model.ts';
import { planOf } from './fixtures.ts';

/** The constructed plan, the searched one, and the same search again (for reproducibility). */
export function constructedAndSearched(plant: { snapshot: Snapshot; now: number }, options: ScheduleOptions, maxIterations: number) {
  const run = (iterations: number) => planOf(schedule(plant.snapshot, null, plant.now, { ...options, maxIterations: iterations }));
  return { constructed: run(0), searched: run(maxIterations), again: run(maxIterations) };
}
