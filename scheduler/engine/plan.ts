/** Turns the internal schedule into the contract's Plan. */
import { MINUTE_MS } from './calendar.ts';
import { orderEta, scoreSchedule } from './evaluate.ts';
import type { OrderEta, PinIssue, Plan, PlannedOperation } from './model.ts';
import { PIN_ISSUE_CODES, STATUS_RUNNING } from './problem.ts';
import type { Problem } from './problem.ts';
import { lateReasons } from './reasons.ts';
import type { Schedule } from './schedule-state.ts';

const PIN_ISSUE_WORDS: Record<PinIssue['code'], string> = {
  pin_in_past: 'it would start in the past',
  pin_not_ready: 'its order is not released or it is held',
  pin_off_shift: 'the work center does not work (off-shift or holiday)',
  pin_machine_down: 'the machine is down',
  pin_conflict: 'it clashes with other fixed work or its routing predecessor',
};

/**
 * A queue pin keeps its machine, so when that machine is down the job waits for the repair instead of
 * going to a sister machine: the planner who queued it there is told (the pin is not kept as meant),
 * not left to find out from the Gantt. Reported when the job starts the moment its machine is back.
 */
function queueWaitsForRepair(p: Problem, s: Schedule, i: number): boolean {
  if (Number.isNaN(p.opQueueAt[i]!) || p.opStatus[i] === STATUS_RUNNING) return false;
  const m = s.machine[i]!;
  const start = s.start[i]!;
  return p.machineDowntimes[m]!.some((d) => d.to > p.now && d.from < start && d.to <= start && p.machineTime[m]!.nextWorking(d.to) === start);
}

export function toPlan(p: Problem, s: Schedule, solveMs: number, iterations: number): Plan {
  const operations: PlannedOperation[] = [];
  for (let i = 0; i < p.opCount; i++) {
    const m = s.machine[i]!;
    operations.push({
      order: p.orders[p.opOrder[i]!]!.code,
      seq: p.opSeq[i]!,
      workCenter: p.wcCodes[p.opWc[i]!]!,
      machine: p.machineNumber[m]!,
      start: s.start[i]!,
      end: s.end[i]!,
      setupMinutes: s.setup[i]! / MINUTE_MS,
      pinned: p.opPinned[i] === 1,
      // Held by this plan, running, or starting inside the horizon (the next plan holds it): either
      // way the floor is preparing it, and a planner may no longer move it.
      frozen: p.opFrozen[i] === 1 || p.opStatus[i] === STATUS_RUNNING || (s.start[i]! < p.frozenUntil && p.opPinned[i] !== 1),
    });
  }
  const orders: OrderEta[] = p.orders.map((o, k) => {
    const eta = orderEta(p, s, k);
    const late = eta > o.dueAt;
    return {
      order: o.code,
      eta,
      dueAt: o.dueAt,
      latenessMinutes: (eta - o.dueAt) / MINUTE_MS,
      late,
      reasons: late ? lateReasons(p, s, k) : [],
    };
  });
  const pinIssues: PinIssue[] = [];
  for (let i = 0; i < p.opCount; i++) {
    const waited = queueWaitsForRepair(p, s, i);
    const issue = waited ? PIN_ISSUE_CODES.indexOf('pin_machine_down') + 1 : p.opPinIssue[i]!;
    if (!issue) continue;
    const code = PIN_ISSUE_CODES[issue - 1]!;
    const order = p.orders[p.opOrder[i]!]!.code;
    const workCenter = p.wcCodes[p.opWc[i]!]!;
    const asked = waited ? p.opQueueAt[i]! : p.opPinAsked[i]!;
    pinIssues.push({
      order, seq: p.opSeq[i]!, workCenter, code,
      message: `order ${order} seq ${p.opSeq[i]}: ${PIN_ISSUE_WORDS[code]} at the pinned start ${new Date(asked).toISOString()}; planned at ${new Date(s.start[i]!).toISOString()}`,
      pinnedStart: asked,
      plannedStart: s.start[i]!,
    });
  }
  const score = scoreSchedule(p, s);
  return {
    operations,
    orders,
    figures: {
      weightedTardinessMinutes: score.weightedTardinessMinutes,
      lateOrders: score.lateOrders,
      makespan: score.makespan,
      totalFlowMinutes: score.totalFlowMinutes,
      movedOperations: score.movedOperations,
      solveMs,
      iterations,
    },
    pinIssues,
  };
}
