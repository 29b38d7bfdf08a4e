import type { Calendar, Downtime, OperationInput, OrderInput, Snapshot, WorkCenter } from '../../../scheduler/engine/model.ts';
import { demoCalendar, demoWorkCenters } from '../factory.ts';
import type { TwinAndon, TwinOperation, TwinOrder } from './state.ts';

/** What load-snapshot.ts does with an alert whose estimate has passed: assume another quarter hour. */
const OVERDUE_EXTENSION_MS = 15 * 60_000;

// As load-snapshot.ts reads a calendar row: the contract validated the weekdays when it was stored.
export const twinCalendar: Calendar = {
  code: demoCalendar.code,
  timeZone: demoCalendar.body.timeZone,
  shifts: demoCalendar.body.shifts as Calendar['shifts'],
  exceptions: demoCalendar.body.exceptions,
};
export const twinWorkCenters: WorkCenter[] = demoWorkCenters.map((w) => ({ code: w.code, machines: w.body.machines, calendar: w.body.calendar }));

function estimatedEnd(a: TwinAndon, now: number): number {
  return Math.max(a.raisedAt + a.expectedMinutes * 60_000, now + OVERDUE_EXTENSION_MS);
}

/** The rate the floor's reports show, clamped like load-snapshot.ts so one odd job cannot wreck ETAs. */
function observedRemainingMinutes(op: TwinOperation, remainingUnits: number): number | undefined {
  if (op.doneUnits < 1 || op.runMinutes <= 0) return undefined;
  const rate = Math.min(Math.max(op.runMinutes / op.doneUnits, op.runMinutesPerUnit * 0.5), op.runMinutesPerUnit * 3);
  return remainingUnits * rate;
}

function operationInput(order: TwinOrder, op: TwinOperation, andons: Map<string, TwinAndon>, now: number): OperationInput {
  const remaining = Math.max(1, order.quantity - Math.floor(op.doneUnits));
  const base = { seq: op.seq, workCenter: op.workCenter, setupMinutes: op.actual ? 0 : op.setupMinutes, runMinutesPerUnit: op.runMinutesPerUnit, quantity: remaining };
  if (op.status === 'running') {
    const remainingMinutes = observedRemainingMinutes(op, remaining);
    return { ...base, setupMinutes: op.setupMinutes, status: 'running', running: { machine: op.machine!, startedAt: op.startedAt!, ...(remainingMinutes !== undefined ? { remainingMinutes } : {}) } };
  }
  const hold = op.holdAndon ? andons.get(op.holdAndon) : undefined;
  if (hold && (hold.reason === 'material' || hold.reason === 'quality')) {
    return { ...base, status: 'held', hold: { until: estimatedEnd(hold, now), reason: hold.reason, andonId: hold.id } };
  }
  return { ...base, status: 'pending' };
}

/** The engine's input, built as scheduler/tasks/load-snapshot.ts builds it from the database. */
export function twinSnapshot(orders: Iterable<TwinOrder>, andons: Map<string, TwinAndon>, now: number): Snapshot {
  const downtimes: Downtime[] = [];
  for (const a of andons.values()) {
    if (a.reason !== 'breakdown' || a.resolved) continue;
    downtimes.push({ id: a.id, workCenter: a.workCenter, ...(a.machine ? { machine: a.machine } : {}), from: a.raisedAt, to: estimatedEnd(a, now), reason: 'breakdown' });
  }
  const inputs: OrderInput[] = [];
  for (const o of orders) {
    if (o.completedAt !== undefined) continue;
    const open = o.operations.filter((op) => op.status !== 'done');
    inputs.push({
      code: o.code,
      product: o.product,
      family: o.family,
      quantity: o.quantity,
      ...(o.releaseAt > now ? { releaseAt: o.releaseAt } : {}),
      dueAt: o.dueAt,
      priority: o.priority,
      ...(o.promised ? { promised: true } : {}),
      operations: open.map((op) => operationInput(o, op, andons, now)),
    });
  }
  return { calendars: [twinCalendar], workCenters: twinWorkCenters, downtimes, orders: inputs };
}
