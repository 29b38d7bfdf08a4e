/**
 * The one place where an operation's start and end are derived: from its earliest start
 * (release, hold, predecessor + transfer), its machine's working time (calendar minus downtime), its
 * setup after the previous operation on the machine, and its pin or running state.
 */
import { setupMs, STATUS_RUNNING } from './problem.ts';
import type { Problem } from './problem.ts';

export interface OperationTiming {
  start: number;
  end: number;
  setup: number;
}

/** Earliest start from the operation's own constraints and its routing predecessor's end. */
export function earliestStart(p: Problem, op: number, predEnd: number): number {
  const pred = p.opPred[op]!;
  const ready = p.opReady[op]!;
  return pred >= 0 ? Math.max(ready, predEnd + p.opTransferMs[op]!) : ready;
}

/**
 * Timing of `op` on global machine `m` right after `prevOnMachine` (-1: first), not before
 * `earliest`. Running operations start at now with their remaining work and no setup; pinned
 * starts are taken exactly. Null when the machine never has enough working time.
 */
export function timeOperation(p: Problem, m: number, prevOnMachine: number, earliest: number, op: number): OperationTiming | null {
  const time = p.machineTime[m]!;
  if (p.opStatus[op] === STATUS_RUNNING) {
    const span = time.placeFrom(p.now, p.opRunMs[op]!);
    return span && { start: span.start, end: span.end, setup: 0 };
  }
  const setup = setupMs(p, prevOnMachine >= 0 ? p.opFamily[prevOnMachine]! : -1, op);
  const pinStart = p.opPinStart[op]!;
  const span = Number.isNaN(pinStart) ? time.place(earliest, setup + p.opRunMs[op]!) : time.placeFrom(pinStart, setup + p.opRunMs[op]!);
  return span && { start: span.start, end: span.end, setup };
}
