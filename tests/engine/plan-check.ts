/** Tests check plans with the engine's independent rule checks (scheduler/engine/constraints.ts). */
export { hardViolations as planViolations } from '../../scheduler/engine/constraints.ts';

import { construct } from '../../scheduler/engine/construct.ts';
import { scoreSchedule } from '../../scheduler/engine/evaluate.ts';
import { schedule } from '../../scheduler/engine/index.ts';
import { compileProblem } from '../../scheduler/engine/problem.ts';
import { improveSchedule } from '../../scheduler/engine/search/factory-tabu.ts';
import type { ScheduleOptions, Snapshot } from '../../scheduler/engine/model.ts';
import { planOf } from './fixtures.ts';

/** The constructed plan, the searched one, and the same search again (for reproducibility). */
export function constructedAndSearched(plant: { snapshot: Snapshot; now: number }, options: ScheduleOptions, maxIterations: number) {
  const run = (iterations: number) => planOf(schedule(plant.snapshot, null, plant.now, { ...options, maxIterations: iterations }));
  return { constructed: run(0), searched: run(maxIterations), again: run(maxIterations) };
}

/**
 * The search's own figures before the floor's replay (floor-dispatch.ts): what the search is asked
 * to improve, its queues timed strictly, against the construction's.
 */
export function searchObjective(plant: { snapshot: Snapshot; now: number }, options: ScheduleOptions, maxIterations: number) {
  const problem = compileProblem(plant.snapshot, null, plant.now, options);
  const built = construct(problem);
  const searched = improveSchedule(problem, built.schedule, { seed: options.seed, timeLimitMs: options.timeLimitMs, maxIterations });
  return { constructed: scoreSchedule(problem, built.schedule), searched: searched.score };
}
