/**
 * Giffler-Thompson active schedules for an initial job-shop solution: among operations that could
 * start before the earliest possible completion on the critical machine, pick by a priority rule.
 */
import type { JobShop } from './instance.ts';

export type DispatchRule = 'mwkr' | 'spt' | 'lrpt-ratio';

/** Machine sequences (flat, machine by machine) from an active schedule built with `rule`. */
export function dispatchSequences(js: JobShop, rule: DispatchRule): Int32Array[] {
  const { jobs, machines } = js;
  const next = new Int32Array(jobs); // next op index per job (absolute), or jobFirstOp[j+1] when done
  const jobReady = new Int32Array(jobs);
  const machineReady = new Int32Array(machines);
  const remaining = new Float64Array(jobs);
  for (let j = 0; j < jobs; j++) {
    next[j] = js.jobFirstOp[j]!;
    for (let i = js.jobFirstOp[j]!; i < js.jobFirstOp[j + 1]!; i++) remaining[j]! += js.opDuration[i]!;
  }
  const sequences: number[][] = Array.from({ length: machines }, () => []);
  for (let placed = 0; placed < js.opCount; placed++) {
    // Earliest completion among schedulable operations.
    let bestEnd = Infinity;
    let bestMachine = -1;
    for (let j = 0; j < jobs; j++) {
      const op = next[j]!;
      if (op >= js.jobFirstOp[j + 1]!) continue;
      const m = js.opMachine[op]!;
      const end = Math.max(jobReady[j]!, machineReady[m]!) + js.opDuration[op]!;
      if (end < bestEnd) { bestEnd = end; bestMachine = m; }
    }
    let chosen = -1;
    let chosenKey = -Infinity;
    for (let j = 0; j < jobs; j++) {
      const op = next[j]!;
      if (op >= js.jobFirstOp[j + 1]! || js.opMachine[op] !== bestMachine) continue;
      const start = Math.max(jobReady[j]!, machineReady[bestMachine]!);
      if (start >= bestEnd && !(js.opDuration[op] === 0 && start === bestEnd)) continue;
      const key = rule === 'mwkr' ? remaining[j]! : rule === 'spt' ? -js.opDuration[op]! : remaining[j]! / (1 + js.opDuration[op]!);
      if (key > chosenKey) { chosenKey = key; chosen = j; }
    }
    const op = next[chosen]!;
    const start = Math.max(jobReady[chosen]!, machineReady[bestMachine]!);
    jobReady[chosen] = machineReady[bestMachine] = start + js.opDuration[op]!;
    remaining[chosen]! -= js.opDuration[op]!;
    next[chosen]!++;
    sequences[bestMachine]!.push(op);
  }
  return sequences.map((s) => Int32Array.from(s));
}
