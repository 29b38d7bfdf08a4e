/** Plan-to-plan stability measures for the reschedule benchmark. */
import type { Plan, PlannedOperation } from '../engine/model.ts';

const key = (o: { order: string; seq: number }): string => `${o.order}\u0000${o.seq}`;
const machineKey = (o: PlannedOperation): string => `${o.workCenter}\u0000${o.machine}`;

/** Operations reachable from `from` in the plan: routing successors and later work on machines. */
export function downstreamOf(plan: Plan, from: PlannedOperation): Set<string> {
  const byOrder = new Map<string, PlannedOperation[]>();
  const byMachine = new Map<string, PlannedOperation[]>();
  for (const o of plan.operations) {
    (byOrder.get(o.order) ?? byOrder.set(o.order, []).get(o.order)!).push(o);
    (byMachine.get(machineKey(o)) ?? byMachine.set(machineKey(o), []).get(machineKey(o))!).push(o);
  }
  for (const list of byOrder.values()) list.sort((a, b) => a.seq - b.seq);
  for (const list of byMachine.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
  const seen = new Set<string>([key(from)]);
  const stack = [from];
  while (stack.length) {
    const o = stack.pop()!;
    const route = byOrder.get(o.order)!;
    const machine = byMachine.get(machineKey(o))!;
    const next = [route[route.indexOf(o) + 1], machine[machine.indexOf(o) + 1]];
    for (const n of next) if (n && !seen.has(key(n))) { seen.add(key(n)); stack.push(n); }
  }
  return seen;
}

/**
 * Operations outside `downstream` whose machine changed, or whose predecessor on the machine
 * (counting only operations outside `downstream`) changed.
 */
export function changedOutsideDownstream(before: Plan, after: Plan, downstream: Set<string>): number {
  const predecessors = (plan: Plan): Map<string, string> => {
    const byMachine = new Map<string, PlannedOperation[]>();
    for (const o of plan.operations) {
      if (downstream.has(key(o))) continue;
      (byMachine.get(machineKey(o)) ?? byMachine.set(machineKey(o), []).get(machineKey(o))!).push(o);
    }
    const out = new Map<string, string>();
    for (const [m, list] of byMachine) {
      list.sort((a, b) => a.start - b.start || a.end - b.end);
      list.forEach((o, k) => out.set(key(o), `${m}\u0001${k > 0 ? key(list[k - 1]!) : '-'}`));
    }
    return out;
  };
  const a = predecessors(before);
  const b = predecessors(after);
  let changed = 0;
  for (const [k, v] of a) if (b.get(k) !== v) changed++;
  return changed;
}
