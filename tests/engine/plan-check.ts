/**
 * An independent feasibility check of a plan against its input, for property tests: everything a
 * plan promises the floor (precedence, capacity, calendars, downtime, holds, pins, running work).
 */
import { compileCalendar, expandCalendar, normalizeIntervals, subtractIntervals } from '../../scheduler/engine/calendar.ts';
import type { Instant, Plan, Snapshot } from '../../scheduler/engine/model.ts';

const MIN = 60_000;

export function planViolations(snapshot: Snapshot, plan: Plan, now: Instant): string[] {
  const problems: string[] = [];
  const calendars = new Map(snapshot.calendars.map((c) => [c.code, compileCalendar(c)]));
  const planned = new Map(plan.operations.map((o) => [`${o.order}/${o.seq}`, o]));
  const horizonEnd = Math.max(now, ...plan.operations.map((o) => o.end)) + 86_400_000;
  const workingCache = new Map<string, number[]>();
  const working = (wcCode: string, machine: number): number[] => {
    const k = `${wcCode}/${machine}`;
    let w = workingCache.get(k);
    if (!w) {
      const wc = snapshot.workCenters.find((x) => x.code === wcCode)!;
      const down = snapshot.downtimes
        .filter((d) => d.workCenter === wcCode && (d.machine === undefined || d.machine === machine))
        .flatMap((d) => [d.from, d.to]);
      w = subtractIntervals(expandCalendar(calendars.get(wc.calendar)!, now, horizonEnd), normalizeIntervals(down));
      workingCache.set(k, w);
    }
    return w;
  };
  const workWithin = (w: number[], a: number, b: number): number => {
    let sum = 0;
    for (let i = 0; i < w.length; i += 2) sum += Math.max(0, Math.min(b, w[i + 1]!) - Math.max(a, w[i]!));
    return sum;
  };
  const inWorking = (w: number[], t: number): boolean => {
    for (let i = 0; i < w.length; i += 2) if (w[i]! <= t && t < w[i + 1]!) return true;
    return false;
  };

  let count = 0;
  for (const order of snapshot.orders) {
    let prevEnd = -Infinity;
    for (const op of order.operations) {
      count++;
      const name = `${order.code}/${op.seq}`;
      const p = planned.get(name);
      if (!p) {
        problems.push(`${name} missing`);
        continue;
      }
      const wc = snapshot.workCenters.find((x) => x.code === op.workCenter)!;
      if (p.workCenter !== op.workCenter || p.machine < 1 || p.machine > wc.machines) problems.push(`${name} on ${p.workCenter}/${p.machine}`);
      const w = working(p.workCenter, p.machine);
      if (op.status === 'running' && op.running) {
        if (p.machine !== op.running.machine || p.start !== now) problems.push(`${name} running but moved`);
        const remaining = (op.running.remainingMinutes ?? op.quantity * op.runMinutesPerUnit) * MIN;
        if (Math.abs(workWithin(w, p.start, p.end) - remaining) > 1) problems.push(`${name} running work ${workWithin(w, p.start, p.end)} != ${remaining}`);
      } else {
        if (p.start < now) problems.push(`${name} starts before now`);
        if (p.start < prevEnd + (op.minTransferMinutes ?? 0) * MIN) problems.push(`${name} starts before its predecessor ends (+transfer)`);
        if (order.releaseAt !== undefined && p.start < order.releaseAt) problems.push(`${name} starts before release`);
        if (op.hold && p.start < op.hold.until) problems.push(`${name} starts before hold.until`);
        const work = p.setupMinutes * MIN + op.quantity * op.runMinutesPerUnit * MIN;
        if (Math.abs(workWithin(w, p.start, p.end) - work) > 1) problems.push(`${name} gets ${workWithin(w, p.start, p.end)} ms of working time for ${work} ms of work`);
        if (work > 0 && !op.pin?.start && !inWorking(w, p.start)) problems.push(`${name} starts outside working time`);
        if (op.pin?.machine !== undefined && p.machine !== op.pin.machine) problems.push(`${name} ignores its pinned machine`);
        if (op.pin?.start !== undefined && p.start !== op.pin.start) problems.push(`${name} ignores its pinned start`);
      }
      prevEnd = p.end;
    }
  }
  if (count !== plan.operations.length) problems.push(`plan has ${plan.operations.length} operations for ${count} open ones`);
  const byMachine = new Map<string, typeof plan.operations>();
  for (const o of plan.operations) {
    if (o.end <= o.start) continue;
    const k = `${o.workCenter}/${o.machine}`;
    (byMachine.get(k) ?? byMachine.set(k, []).get(k)!).push(o);
  }
  for (const [k, list] of byMachine) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.start < list[i - 1]!.end) problems.push(`${k}: ${list[i - 1]!.order}/${list[i - 1]!.seq} overlaps ${list[i]!.order}/${list[i]!.seq}`);
    }
  }
  return problems;
}
