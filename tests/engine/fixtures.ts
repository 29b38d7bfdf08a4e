/** Tiny hand-checkable inputs for engine tests. Times are UTC unless a test says otherwise. */
import type {
  Calendar, OperationInput, OrderInput, Plan, PlannedOperation, ScheduleOptions, ScheduleResult, Snapshot, WorkCenter,
} from '../../scheduler/engine/model.ts';

/** Monday 2026-01-05 00:00 UTC. */
export const MONDAY = Date.UTC(2026, 0, 5);
export const H = 3_600_000;
export const MIN = 60_000;
export const at = (iso: string): number => Date.parse(iso);

export const weekdays = (start: string, end: string): Calendar['shifts'] =>
  ([1, 2, 3, 4, 5] as const).map((weekday) => ({ weekday, start, end }));
export const everyDay = (start: string, end: string): Calendar['shifts'] =>
  ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, start, end }));

/** Day shift 08:00-16:00 UTC, Monday to Friday. */
export const dayShift: Calendar = { code: 'day', timeZone: 'UTC', shifts: weekdays('08:00', '16:00'), exceptions: [] };
/** Always open. */
export const allDay: Calendar = { code: 'all', timeZone: 'UTC', shifts: everyDay('00:00', '00:00'), exceptions: [] };

export const wc = (code: string, machines = 1, calendar = 'day', extra: Partial<WorkCenter> = {}): WorkCenter => ({ code, machines, calendar, ...extra });

export const op = (seq: number, workCenter: string, runMinutes: number, extra: Partial<OperationInput> = {}): OperationInput => ({
  seq, workCenter, setupMinutes: 0, runMinutesPerUnit: runMinutes, quantity: 1, status: 'pending', ...extra,
});

export const order = (code: string, operations: OperationInput[], extra: Partial<OrderInput> = {}): OrderInput => ({
  code, product: 'P', quantity: 1, dueAt: MONDAY + 30 * 24 * H, priority: 1, operations, ...extra,
});

export const snapshot = (parts: Partial<Snapshot>): Snapshot => ({
  calendars: [dayShift, allDay], workCenters: [wc('A')], downtimes: [], orders: [], ...parts,
});

export const options = (extra: Partial<ScheduleOptions> = {}): ScheduleOptions => ({
  seed: 1, timeLimitMs: 0, maxIterations: 0, frozenMinutes: 0, objective: 'tardiness', ...extra,
});

export function planOf(result: ScheduleResult): Plan {
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
  return result.plan;
}

export function opOf(plan: Plan, orderCode: string, seq: number): PlannedOperation {
  const found = plan.operations.find((o) => o.order === orderCode && o.seq === seq);
  if (!found) throw new Error(`no ${orderCode}/${seq} in plan`);
  return found;
}

/** [start, end] as ISO strings, to compare with expected instants readably. */
export const times = (o: PlannedOperation): [string, string] => [new Date(o.start).toISOString(), new Date(o.end).toISOString()];
