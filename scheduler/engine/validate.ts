/**
 * Input checks. Everything the engine relies on is checked here, so later stages may assume sound
 * numbers and references; problems are reported against the order / seq / work center they concern.
 */
import { isValidTimeZone, parseClock, parseLocalDateTime } from './calendar.ts';
import type { Infeasibility, Instant, ScheduleOptions, Snapshot } from './model.ts';

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNonNegative = (x: unknown): boolean => isFiniteNumber(x) && x >= 0;

export function validateInput(snapshot: Snapshot, now: Instant, options: ScheduleOptions): Infeasibility[] {
  const errors: Infeasibility[] = [];
  const invalid = (message: string, at: Partial<Infeasibility> = {}): void => {
    errors.push({ code: 'invalid_input', message, ...at });
  };

  if (!isFiniteNumber(now)) invalid('now must be a finite instant');
  if (!isNonNegative(options.frozenMinutes)) invalid('options.frozenMinutes must be a non-negative number');
  if (options.maxIterations !== undefined && !isNonNegative(options.maxIterations)) {
    invalid('options.maxIterations must be a non-negative number');
  }
  if (!snapshot || !Array.isArray(snapshot.calendars) || !Array.isArray(snapshot.workCenters) ||
      !Array.isArray(snapshot.orders) || !Array.isArray(snapshot.downtimes)) {
    invalid('snapshot must hold calendars, workCenters, downtimes and orders arrays');
    return errors;
  }

  const calendars = new Set<string>();
  for (const cal of snapshot.calendars) {
    if (calendars.has(cal.code)) invalid(`calendar ${cal.code} is defined twice`);
    calendars.add(cal.code);
    if (typeof cal.timeZone !== 'string' || !isValidTimeZone(cal.timeZone)) {
      invalid(`calendar ${cal.code} has an unknown time zone "${String(cal.timeZone)}"`);
    }
    for (const s of cal.shifts ?? []) {
      if (![1, 2, 3, 4, 5, 6, 7].includes(s.weekday)) invalid(`calendar ${cal.code}: weekday ${s.weekday} is not 1..7`);
      if (parseClock(s.start) === null || parseClock(s.end) === null) {
        invalid(`calendar ${cal.code}: shift ${s.start}-${s.end} is not "HH:MM"`);
      }
    }
    for (const ex of cal.exceptions ?? []) {
      const a = parseLocalDateTime(ex.from);
      const b = parseLocalDateTime(ex.to);
      if (a === null || b === null) invalid(`calendar ${cal.code}: exception ${ex.from}..${ex.to} is not "YYYY-MM-DDTHH:MM"`);
      else if (b <= a) invalid(`calendar ${cal.code}: exception ${ex.from}..${ex.to} ends before it starts`);
    }
  }

  const machinesOf = new Map<string, number>();
  for (const wc of snapshot.workCenters) {
    if (machinesOf.has(wc.code)) invalid(`work center ${wc.code} is defined twice`, { workCenter: wc.code });
    const okMachines = Number.isInteger(wc.machines) && wc.machines >= 1;
    if (!okMachines) invalid(`work center ${wc.code} must have a whole number of machines >= 1`, { workCenter: wc.code });
    machinesOf.set(wc.code, okMachines ? wc.machines : 0);
    if (!calendars.has(wc.calendar)) {
      errors.push({ code: 'unknown_calendar', message: `work center ${wc.code} uses unknown calendar ${wc.calendar}`, workCenter: wc.code });
    }
    for (const e of wc.setupMatrix ?? []) {
      if (!isNonNegative(e.minutes)) invalid(`work center ${wc.code}: setup ${e.from}->${e.to} minutes must be >= 0`, { workCenter: wc.code });
    }
  }

  for (const d of snapshot.downtimes) {
    const machines = machinesOf.get(d.workCenter);
    if (machines === undefined) {
      errors.push({ code: 'unknown_work_center', message: `downtime ${d.id} names unknown work center ${d.workCenter}`, workCenter: d.workCenter });
      continue;
    }
    if (d.machine !== undefined && !(Number.isInteger(d.machine) && d.machine >= 1 && d.machine <= machines)) {
      invalid(`downtime ${d.id}: machine ${d.machine} is not 1..${machines}`, { workCenter: d.workCenter });
    }
    if (!isFiniteNumber(d.from) || !isFiniteNumber(d.to) || d.to < d.from) {
      invalid(`downtime ${d.id}: from/to must be finite with to >= from`, { workCenter: d.workCenter });
    }
  }

  const orderCodes = new Set<string>();
  for (const o of snapshot.orders) {
    const order = o.code;
    if (typeof order !== 'string' || order === '') invalid('an order has no code');
    if (orderCodes.has(order)) invalid(`order ${order} is listed twice`, { order });
    orderCodes.add(order);
    if (!isFiniteNumber(o.dueAt)) invalid(`order ${order}: dueAt must be a finite instant`, { order });
    if (!isFiniteNumber(o.priority) || o.priority <= 0) invalid(`order ${order}: priority must be a positive number`, { order });
    if (o.releaseAt !== undefined && !isFiniteNumber(o.releaseAt)) invalid(`order ${order}: releaseAt must be a finite instant`, { order });
    if (!Array.isArray(o.operations)) {
      invalid(`order ${order}: operations must be an array`, { order });
      continue;
    }
    let lastSeq = -Infinity;
    for (const op of o.operations) {
      const seq = op.seq;
      const at = { order, seq, workCenter: op.workCenter };
      if (!Number.isInteger(seq)) invalid(`order ${order}: seq ${seq} is not an integer`, at);
      else if (seq <= lastSeq) invalid(`order ${order}: seq ${seq} is out of routing order or repeated`, at);
      lastSeq = seq;
      const machines = machinesOf.get(op.workCenter);
      if (machines === undefined) {
        errors.push({ code: 'unknown_work_center', message: `order ${order} seq ${seq}: unknown work center ${op.workCenter}`, ...at });
      }
      for (const [name, value] of [
        ['setupMinutes', op.setupMinutes],
        ['runMinutesPerUnit', op.runMinutesPerUnit],
        ['quantity', op.quantity],
      ] as const) {
        if (!isNonNegative(value)) invalid(`order ${order} seq ${seq}: ${name} must be a non-negative number`, at);
      }
      if (op.minTransferMinutes !== undefined && !isNonNegative(op.minTransferMinutes)) {
        invalid(`order ${order} seq ${seq}: minTransferMinutes must be a non-negative number`, at);
      }
      if (op.status !== 'pending' && op.status !== 'running' && op.status !== 'held') {
        invalid(`order ${order} seq ${seq}: unknown status ${String(op.status)}`, at);
      }
      const inRange = (m: unknown): boolean => Number.isInteger(m) && (m as number) >= 1 && (m as number) <= (machines ?? 0);
      if (op.status === 'running') {
        if (!op.running) invalid(`order ${order} seq ${seq}: running without running.machine`, at);
        else {
          if (machines !== undefined && !inRange(op.running.machine)) {
            invalid(`order ${order} seq ${seq}: running on machine ${op.running.machine}, work center ${op.workCenter} has ${machines}`, at);
          }
          if (op.running.remainingMinutes !== undefined && !isNonNegative(op.running.remainingMinutes)) {
            invalid(`order ${order} seq ${seq}: running.remainingMinutes must be a non-negative number`, at);
          }
        }
      }
      if (op.status === 'held' && !op.hold) invalid(`order ${order} seq ${seq}: held without hold.until`, at);
      if (op.hold && !isFiniteNumber(op.hold.until)) invalid(`order ${order} seq ${seq}: hold.until must be a finite instant`, at);
      if (op.pin) {
        const pin = op.pin;
        if (pin.machine !== undefined && machines !== undefined && !inRange(pin.machine)) {
          errors.push({
            code: 'pin_machine_out_of_range',
            message: `order ${order} seq ${seq}: pinned to machine ${pin.machine}, work center ${op.workCenter} has ${machines}`,
            ...at,
          });
        }
        // A pinned start in the past is not an error: pins age, and the plan reports it (Plan.pinIssues).
        if (pin.start !== undefined && !isFiniteNumber(pin.start)) invalid(`order ${order} seq ${seq}: pin.start must be a finite instant`, at);
        if (pin.queueAt !== undefined && !isFiniteNumber(pin.queueAt)) invalid(`order ${order} seq ${seq}: pin.queueAt must be a finite instant`, at);
        if (op.status === 'running' && op.running && pin.machine !== undefined && pin.machine !== op.running.machine) {
          invalid(`order ${order} seq ${seq}: pinned to machine ${pin.machine} but running on ${op.running.machine}`, at);
        }
      }
    }
  }
  return errors;
}
