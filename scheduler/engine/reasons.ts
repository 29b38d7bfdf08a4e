/**
 * Why an order is late: walk its routing and explain every wait between "ready" (predecessor done
 * plus transfer, or now) and the actual start: release, hold, queueing behind other orders on the
 * machine, downtime, closed shifts. If even an empty plant could not finish it in time, say so.
 */
import { MINUTE_MS } from './calendar.ts';
import type { LateReason } from './model.ts';
import { STATUS_RUNNING } from './problem.ts';
import type { Problem } from './problem.ts';
import type { Schedule } from './schedule-state.ts';

const MAX_BEHIND = 5;

export function lateReasons(p: Problem, s: Schedule, order: number): LateReason[] {
  const reasons: LateReason[] = [];
  const o = p.orders[order]!;
  const first = p.orderFirstOp[order]!;
  const last = p.orderFirstOp[order + 1]!;
  let released = false;
  for (let op = first; op < last; op++) {
    if (p.opStatus[op] === STATUS_RUNNING) {
      // Work under way stops when the shift ends: say when it resumes.
      const m = s.machine[op]!;
      const time = p.machineTime[m]!;
      const stop = time.stretchEnd(p.now);
      const resumes = stop < s.end[op]! ? time.nextWorking(stop) : NaN;
      if (resumes > stop && resumes < s.end[op]!) {
        reasons.push({ kind: 'closed', seq: p.opSeq[op]!, workCenter: p.wcCodes[p.opWc[op]!]!, until: resumes });
      }
      continue;
    }
    const pred = p.opPred[op]!;
    let cursor = pred >= 0 ? s.end[pred]! + p.opTransferMs[op]! : p.now;
    const start = s.start[op]!;
    if (start <= cursor) continue;
    const seq = p.opSeq[op]!;
    if (!released && o.releaseAt !== undefined && o.releaseAt > cursor) {
      reasons.push({ kind: 'released', at: o.releaseAt });
      released = true;
      cursor = Math.min(start, o.releaseAt);
    }
    const hold = o.operations[op - first]!.hold;
    if (hold && hold.until > cursor) {
      reasons.push({ kind: 'held', seq, reason: hold.reason, until: hold.until, ...(hold.andonId ? { andonId: hold.andonId } : {}) });
      cursor = Math.min(start, hold.until);
    }
    if (cursor >= start) continue;
    const m = s.machine[op]!;
    const workCenter = p.wcCodes[p.opWc[op]!]!;
    // Operations ahead on the machine that kept it busy while this one was ready.
    const sequence = s.sequence[m]!;
    const position = sequence.indexOf(op);
    const behind: string[] = [];
    let busyUntil = cursor;
    for (let k = position - 1; k >= 0; k--) {
      const other = sequence[k]!;
      if (s.end[other]! <= cursor) break;
      busyUntil = Math.max(busyUntil, Math.min(start, s.end[other]!));
      const code = p.orders[p.opOrder[other]!]!.code;
      if (code !== o.code && !behind.includes(code)) behind.unshift(code);
    }
    if (busyUntil > cursor) {
      const waitMinutes = Math.round((busyUntil - cursor) / MINUTE_MS);
      // Busy with this order's own work only: nobody to name, so it is a wait, never "queued behind nobody".
      reasons.push(behind.length ? { kind: 'queued', seq, workCenter, behind: behind.slice(-MAX_BEHIND), waitMinutes } : { kind: 'waiting', seq, workCenter, waitMinutes });
      cursor = busyUntil;
    }
    if (cursor < start && !p.machineTime[m]!.worksWithin(cursor, start)) {
      // The machine had no working time left before the start: a downtime or a closed shift.
      const down = p.machineDowntimes[m]!.filter((d) => d.from < start && d.to > cursor);
      if (down.length) {
        const latest = down.reduce((a, b) => (b.to > a.to ? b : a));
        reasons.push({ kind: 'down', seq, workCenter, until: latest.to, downtimeId: latest.id });
      }
      if (!down.length || down.every((d) => d.to < start)) reasons.push({ kind: 'closed', seq, workCenter, until: start });
    } else if (cursor < start) {
      // Idle but not started: a pinned start or the frozen order held it back.
      reasons.push({ kind: 'waiting', seq, workCenter, waitMinutes: Math.round((start - cursor) / MINUTE_MS) });
    }
  }
  // Downtime that interrupted work already under way.
  for (let op = first; op < last; op++) {
    const m = s.machine[op]!;
    for (const d of p.machineDowntimes[m]!) {
      if (d.from < s.end[op]! && d.to > Math.max(s.start[op]!, p.now) && d.from >= s.start[op]!) {
        reasons.push({ kind: 'down', seq: p.opSeq[op]!, workCenter: p.wcCodes[p.opWc[op]!]!, until: d.to, downtimeId: d.id });
      }
    }
  }
  // A due date already behind us explains the lateness better than any amount of work.
  if (o.dueAt <= p.now) {
    reasons.push({ kind: 'overdue', dueAt: o.dueAt });
    return reasons;
  }
  const lowerBound = emptyPlantFinish(p, s, order);
  // With no wait to blame (e.g. a long family changeover), the work itself is the reason.
  if (lowerBound > o.dueAt || reasons.length === 0) {
    let work = 0;
    for (let op = first; op < last; op++) work += p.opRunMs[op]! + (p.opStatus[op] === STATUS_RUNNING ? 0 : p.opDefaultSetupMs[op]!);
    reasons.push({ kind: 'work', minutes: Math.round(work / MINUTE_MS) });
  }
  return reasons;
}

/** Finish of the order on an empty plant without downtime (calendars and transfers only). */
function emptyPlantFinish(p: Problem, s: Schedule, order: number): number {
  let t = p.now;
  for (let op = p.orderFirstOp[order]!; op < p.orderFirstOp[order + 1]!; op++) {
    if (p.opStatus[op] === STATUS_RUNNING) {
      t = Math.max(t, s.end[op]!);
      continue;
    }
    const from = op > p.orderFirstOp[order]! ? t + p.opTransferMs[op]! : t;
    const span = p.wcCalendarTime[p.opWc[op]!]!.place(from, p.opDefaultSetupMs[op]! + p.opRunMs[op]!);
    t = span ? span.end : Infinity;
  }
  return t;
}
