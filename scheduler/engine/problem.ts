/**
 * The validated snapshot compiled to flat arrays indexed by operation and machine, so that
 * construction and search touch numbers, not objects. Operations of one order are contiguous and
 * in routing order; machines are numbered globally (work center offset + machine - 1).
 */
import { compileCalendar, expandCalendar, MINUTE_MS, normalizeIntervals, subtractIntervals } from './calendar.ts';
import type { CompiledCalendar } from './calendar.ts';
import { PIN_PAST_GRACE_MS, type Downtime, type Instant, type OrderInput, type PinIssueCode, type PreviousPlan, type ScheduleOptions, type Snapshot } from './model.ts';
import { WorkingTime } from './timeline.ts';

export const STATUS_PENDING = 0;
export const STATUS_RUNNING = 1;
export const STATUS_HELD = 2;

/** Index + 1 is stored in Problem.opPinIssue (0: the pin is kept as asked). */
export const PIN_ISSUE_CODES: readonly PinIssueCode[] = ['pin_in_past', 'pin_not_ready', 'pin_off_shift', 'pin_machine_down', 'pin_conflict'];
export const pinIssueIndex = (code: PinIssueCode): number => PIN_ISSUE_CODES.indexOf(code) + 1;

export interface MachineDowntime {
  id: string;
  from: number;
  to: number;
}

export interface Problem {
  now: number;
  /** now + the frozen horizon: what starts before it is committed to the floor. */
  frozenUntil: number;
  objective: 'tardiness' | 'makespan';
  orders: OrderInput[];
  opCount: number;
  orderFirstOp: Int32Array; // orderFirstOp[o]..orderFirstOp[o+1]-1
  opOrder: Int32Array;
  opSeq: Int32Array;
  opWc: Int32Array;
  opFamily: Int32Array; // -1: no family
  opRunMs: Float64Array; // for running ops: the remaining work
  opDefaultSetupMs: Float64Array;
  opTransferMs: Float64Array;
  opPred: Int32Array; // -1 for the first open operation
  opSucc: Int32Array;
  /** max(now, releaseAt, hold.until): the earliest start before precedence. */
  opReady: Float64Array;
  opStatus: Uint8Array;
  /** Global machine the operation must use (running or pinned), or -1. */
  opFixedMachine: Int32Array;
  opPinStart: Float64Array; // NaN when not pinned in time; the feasible start when the asked one is not
  /** The start the pin asked for (NaN: none); differs from opPinStart when opPinIssue says why. */
  opPinAsked: Float64Array;
  /** 0, or 1 + index into PIN_ISSUE_CODES: why the asked start is not kept. */
  opPinIssue: Uint8Array;
  /** Queue pins: the time the operation joins its (fixed) machine's sequence at; NaN otherwise. */
  opQueueAt: Float64Array;
  opPinned: Uint8Array;
  /** From the previous plan (-1 / NaN when absent). */
  opPrevMachine: Int32Array;
  opPrevStart: Float64Array;
  opFrozen: Uint8Array;
  wcCodes: string[];
  wcFirstMachine: Int32Array; // wcFirstMachine[w]..wcFirstMachine[w+1]-1
  machineCount: number;
  machineWc: Int32Array;
  machineNumber: Int32Array; // 1-based within its work center
  machineTime: WorkingTime[];
  /** Calendar only (no downtime), per work center: what an empty, healthy plant could do. */
  wcCalendarTime: WorkingTime[];
  machineDowntimes: MachineDowntime[][];
  /** Per work center: (fromFamily * familyCount + toFamily) -> setup ms. */
  setupTables: Map<number, number>[];
  familyCount: number;
}

export const opKey = (order: string, seq: number): string => `${order}\u0000${seq}`;

export function compileProblem(
  snapshot: Snapshot,
  previousPlan: PreviousPlan | null,
  now: Instant,
  options: ScheduleOptions,
): Problem {
  const calendars = new Map<string, CompiledCalendar>();
  for (const c of snapshot.calendars) calendars.set(c.code, compileCalendar(c));

  const families = new Map<string, number>();
  const familyId = (f: string | undefined): number => {
    if (f === undefined) return -1;
    let id = families.get(f);
    if (id === undefined) {
      id = families.size;
      families.set(f, id);
    }
    return id;
  };
  for (const o of snapshot.orders) familyId(o.family);
  for (const wc of snapshot.workCenters) for (const e of wc.setupMatrix ?? []) { familyId(e.from); familyId(e.to); }
  const familyCount = Math.max(1, families.size);

  const wcIndex = new Map<string, number>();
  const wcCodes: string[] = [];
  const wcFirstMachine = new Int32Array(snapshot.workCenters.length + 1);
  let machineCount = 0;
  snapshot.workCenters.forEach((wc, w) => {
    wcIndex.set(wc.code, w);
    wcCodes.push(wc.code);
    wcFirstMachine[w] = machineCount;
    machineCount += wc.machines;
  });
  wcFirstMachine[snapshot.workCenters.length] = machineCount;
  const machineWc = new Int32Array(machineCount);
  const machineNumber = new Int32Array(machineCount);
  const setupTables: Map<number, number>[] = [];
  snapshot.workCenters.forEach((wc, w) => {
    for (let m = 0; m < wc.machines; m++) {
      machineWc[wcFirstMachine[w]! + m] = w;
      machineNumber[wcFirstMachine[w]! + m] = m + 1;
    }
    const table = new Map<number, number>();
    for (const e of wc.setupMatrix ?? []) table.set(familyId(e.from) * familyCount + familyId(e.to), e.minutes * MINUTE_MS);
    setupTables.push(table);
  });

  // Working time per machine: machines without their own downtime share one timeline per work center.
  const machineDowntimes: MachineDowntime[][] = Array.from({ length: machineCount }, () => []);
  const wcDowntimes: Downtime[][] = snapshot.workCenters.map(() => []);
  const ownDowntime = new Uint8Array(machineCount);
  for (const d of snapshot.downtimes) {
    const w = wcIndex.get(d.workCenter)!;
    if (d.machine === undefined) wcDowntimes[w]!.push(d);
    else ownDowntime[wcFirstMachine[w]! + d.machine - 1] = 1;
    for (let m = wcFirstMachine[w]!; m < wcFirstMachine[w + 1]!; m++) {
      if (d.machine === undefined || machineNumber[m] === d.machine) machineDowntimes[m]!.push({ id: d.id, from: d.from, to: d.to });
    }
  }
  for (const list of machineDowntimes) list.sort((a, b) => a.from - b.from || a.to - b.to);
  const calendarTimelines = new Map<string, WorkingTime>();
  const calendarTimeline = (cal: CompiledCalendar): WorkingTime => {
    let t = calendarTimelines.get(cal.code);
    if (!t) calendarTimelines.set(cal.code, (t = timelineFor(cal, [])));
    return t;
  };
  const machineTime: WorkingTime[] = [];
  const timelineFor = (cal: CompiledCalendar, downtimes: MachineDowntime[]): WorkingTime => {
    const holes = normalizeIntervals(downtimes.flatMap((d) => [d.from, d.to]));
    const source = (from: number, to: number): number[] => subtractIntervals(expandCalendar(cal, from, to), holes);
    return new WorkingTime(now, source, cal.recurring, cal.lastOpeningEnd);
  };
  snapshot.workCenters.forEach((wc, w) => {
    const cal = calendars.get(wc.calendar)!;
    let shared: WorkingTime | undefined;
    for (let m = wcFirstMachine[w]!; m < wcFirstMachine[w + 1]!; m++) {
      if (ownDowntime[m]) machineTime.push(timelineFor(cal, machineDowntimes[m]!));
      else {
        if (!shared) {
          shared = wcDowntimes[w]!.length === 0 ? calendarTimeline(cal) : timelineFor(cal, machineDowntimes[m]!);
        }
        machineTime.push(shared);
      }
    }
  });
  const wcCalendarTime = snapshot.workCenters.map((wc) => calendarTimeline(calendars.get(wc.calendar)!));

  const orders = snapshot.orders;
  const opCount = orders.reduce((s, o) => s + o.operations.length, 0);
  const orderFirstOp = new Int32Array(orders.length + 1);
  const opOrder = new Int32Array(opCount);
  const opSeq = new Int32Array(opCount);
  const opWc = new Int32Array(opCount);
  const opFamily = new Int32Array(opCount);
  const opRunMs = new Float64Array(opCount);
  const opDefaultSetupMs = new Float64Array(opCount);
  const opTransferMs = new Float64Array(opCount);
  const opPred = new Int32Array(opCount);
  const opSucc = new Int32Array(opCount);
  const opReady = new Float64Array(opCount);
  const opStatus = new Uint8Array(opCount);
  const opFixedMachine = new Int32Array(opCount).fill(-1);
  const opPinStart = new Float64Array(opCount).fill(NaN);
  const opPinAsked = new Float64Array(opCount).fill(NaN);
  const opPinIssue = new Uint8Array(opCount);
  const opQueueAt = new Float64Array(opCount).fill(NaN);
  const opPinned = new Uint8Array(opCount);
  const opPrevMachine = new Int32Array(opCount).fill(-1);
  const opPrevStart = new Float64Array(opCount).fill(NaN);
  const opFrozen = new Uint8Array(opCount);

  const previous = new Map<string, { machine: number; start: number; wc: string }>();
  for (const p of previousPlan?.operations ?? []) previous.set(opKey(p.order, p.seq), { machine: p.machine, start: p.start, wc: p.workCenter });
  const frozenUntil = now + options.frozenMinutes * MINUTE_MS;

  let i = 0;
  orders.forEach((o, oi) => {
    orderFirstOp[oi] = i;
    const fam = familyId(o.family);
    o.operations.forEach((op, k) => {
      const w = wcIndex.get(op.workCenter)!;
      opOrder[i] = oi;
      opSeq[i] = op.seq;
      opWc[i] = w;
      opFamily[i] = fam;
      opDefaultSetupMs[i] = op.setupMinutes * MINUTE_MS;
      opTransferMs[i] = (op.minTransferMinutes ?? 0) * MINUTE_MS;
      opPred[i] = k > 0 ? i - 1 : -1;
      opSucc[i] = k < o.operations.length - 1 ? i + 1 : -1;
      let ready = now;
      if (o.releaseAt !== undefined) ready = Math.max(ready, o.releaseAt);
      if (op.hold) ready = Math.max(ready, op.hold.until);
      opReady[i] = ready;
      if (op.status === 'running' && op.running) {
        opStatus[i] = STATUS_RUNNING;
        opFixedMachine[i] = wcFirstMachine[w]! + op.running.machine - 1;
        const remaining = op.running.remainingMinutes ?? op.quantity * op.runMinutesPerUnit;
        opRunMs[i] = remaining * MINUTE_MS;
        opDefaultSetupMs[i] = 0;
      } else {
        opStatus[i] = op.status === 'held' ? STATUS_HELD : STATUS_PENDING;
        opRunMs[i] = op.quantity * op.runMinutesPerUnit * MINUTE_MS;
      }
      if (op.pin) {
        opPinned[i] = 1;
        if (op.pin.machine !== undefined) opFixedMachine[i] = wcFirstMachine[w]! + op.pin.machine - 1;
        if (op.pin.start !== undefined && opStatus[i] !== STATUS_RUNNING) {
          opPinAsked[i] = op.pin.start;
          const kept = feasiblePinStart(op.pin.start, ready, opFixedMachine[i]! >= 0 ? machineTime[opFixedMachine[i]!]! : null, wcCalendarTime[w]!);
          opPinStart[i] = kept.start;
          opPinIssue[i] = kept.issue;
        } else if (op.pin.queueAt !== undefined && opStatus[i] !== STATUS_RUNNING) {
          opQueueAt[i] = op.pin.queueAt;
        }
      }
      const prev = previous.get(opKey(o.code, op.seq));
      if (prev && prev.wc === op.workCenter && Number.isInteger(prev.machine) && prev.machine >= 1 &&
          prev.machine <= wcFirstMachine[w + 1]! - wcFirstMachine[w]!) {
        opPrevMachine[i] = wcFirstMachine[w]! + prev.machine - 1;
        opPrevStart[i] = prev.start;
        if (prev.start < frozenUntil && opStatus[i] !== STATUS_RUNNING && !op.pin) opFrozen[i] = 1;
      }
      i++;
    });
  });
  orderFirstOp[orders.length] = i;

  return {
    now, frozenUntil, objective: options.objective, orders, opCount, orderFirstOp, opOrder, opSeq, opWc, opFamily, opRunMs,
    opDefaultSetupMs, opTransferMs, opPred, opSucc, opReady, opStatus, opFixedMachine, opPinStart, opPinAsked, opPinIssue, opQueueAt, opPinned,
    opPrevMachine, opPrevStart, opFrozen, wcCodes, wcFirstMachine, machineCount, machineWc, machineNumber,
    machineTime, wcCalendarTime, machineDowntimes, setupTables, familyCount,
  };
}

/**
 * An exact pin's start as the plan can keep it: the asked start when it can be worked, otherwise the
 * earliest workable time after it (never in the past, before release/hold, off-shift or on a machine
 * that is down), with the reason. Cheap: only pinned operations pass here.
 */
function feasiblePinStart(asked: number, ready: number, machine: WorkingTime | null, calendar: WorkingTime): { start: number; issue: number } {
  let start = asked;
  let issue = 0;
  if (start < ready) {
    // ready is max(now, release, hold): in the past when now is what holds it back. A floor rarely
    // starts on the pinned minute: a start passed by less than the grace is kept as "now", unreported.
    const past = start < calendar.origin;
    if (!past || calendar.origin - start > PIN_PAST_GRACE_MS) issue = pinIssueIndex(past ? 'pin_in_past' : 'pin_not_ready');
    start = ready;
  }
  const open = calendar.nextWorking(start);
  const next = machine ? machine.nextWorking(start) : open;
  if (!Number.isNaN(next) && next !== start) {
    if (!issue) issue = pinIssueIndex(open !== start ? 'pin_off_shift' : 'pin_machine_down');
    start = next;
  }
  return { start, issue };
}

/** Setup before `op` when the machine last ran family `prevFamily` (-1: unknown). */
export function setupMs(p: Problem, prevFamily: number, op: number): number {
  if (p.opStatus[op] === STATUS_RUNNING) return 0;
  const fam = p.opFamily[op]!;
  if (prevFamily >= 0 && fam >= 0) {
    const hit = p.setupTables[p.opWc[op]!]!.get(prevFamily * p.familyCount + fam);
    if (hit !== undefined) return hit;
  }
  return p.opDefaultSetupMs[op]!;
}
