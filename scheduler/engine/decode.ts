/**
 * Decodes machine sequences into times: each operation starts as early as its routing
 * predecessor (plus transfer), release, hold and its machine predecessor allow, with timing from
 * timing.ts. Returns false when the sequences cannot be honoured: a cycle, or fixed work (running,
 * pinned start) that its predecessors would overrun. Decoding a construction's sequences gives
 * back the construction's times.
 */
import { STATUS_RUNNING } from './problem.ts';
import type { Problem } from './problem.ts';
import type { Schedule } from './schedule-state.ts';
import { earliestStart, timeOperation } from './timing.ts';

export interface DecodeScratch {
  machinePrev: Int32Array;
  machineNext: Int32Array;
  waiting: Int32Array;
  queue: Int32Array;
}

export function decodeScratch(p: Problem): DecodeScratch {
  return {
    machinePrev: new Int32Array(p.opCount),
    machineNext: new Int32Array(p.opCount),
    waiting: new Int32Array(p.opCount),
    queue: new Int32Array(p.opCount),
  };
}

/** Fills s.start/end/setup/machine from s.sequence. */
export function decodeSequences(p: Problem, s: Schedule, scratch: DecodeScratch): boolean {
  const { machinePrev, machineNext, waiting, queue } = scratch;
  const n = p.opCount;
  let placedCount = 0;
  for (let m = 0; m < s.sequence.length; m++) {
    const seq = s.sequence[m]!;
    for (let k = 0; k < seq.length; k++) {
      const op = seq[k]!;
      s.machine[op] = m;
      machinePrev[op] = k > 0 ? seq[k - 1]! : -1;
      machineNext[op] = k + 1 < seq.length ? seq[k + 1]! : -1;
      placedCount++;
    }
  }
  if (placedCount !== n) return false;
  let qt = 0;
  for (let op = 0; op < n; op++) {
    const jobEdge = p.opPred[op]! >= 0 && p.opStatus[op] !== STATUS_RUNNING ? 1 : 0;
    waiting[op] = jobEdge + (machinePrev[op]! >= 0 ? 1 : 0);
    if (waiting[op] === 0) queue[qt++] = op;
  }
  for (let qh = 0; qh < qt; qh++) {
    const op = queue[qh]!;
    const pred = p.opPred[op]!;
    const mp = machinePrev[op]!;
    const m = s.machine[op]!;
    const jobReady = earliestStart(p, op, pred >= 0 ? s.end[pred]! : -Infinity);
    const ready = mp >= 0 ? Math.max(jobReady, s.end[mp]!) : jobReady;
    const timing = timeOperation(p, m, mp, ready, op);
    if (!timing) return false;
    if (p.opStatus[op] !== STATUS_RUNNING && timing.start < ready) return false; // a pinned start overrun
    if (p.opStatus[op] === STATUS_RUNNING && mp >= 0) return false;
    s.start[op] = timing.start;
    s.end[op] = timing.end;
    s.setup[op] = timing.setup;
    const succ = p.opSucc[op]!;
    if (succ >= 0 && p.opStatus[succ] !== STATUS_RUNNING && --waiting[succ]! === 0) queue[qt++] = succ;
    const ms = machineNext[op]!;
    if (ms >= 0 && --waiting[ms]! === 0) queue[qt++] = ms;
  }
  return qt === n;
}
