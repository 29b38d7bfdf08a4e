/** A schedule as flat arrays: where and when every operation runs, and each machine's sequence. */
import type { Problem } from './problem.ts';

export interface Schedule {
  machine: Int32Array; // global machine index
  start: Float64Array;
  end: Float64Array;
  setup: Float64Array; // ms
  /** Per machine: operations in start order. */
  sequence: number[][];
}

export function emptySchedule(p: Problem): Schedule {
  return {
    machine: new Int32Array(p.opCount).fill(-1),
    start: new Float64Array(p.opCount),
    end: new Float64Array(p.opCount),
    setup: new Float64Array(p.opCount),
    sequence: Array.from({ length: p.machineCount }, () => []),
  };
}
