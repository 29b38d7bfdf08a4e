/**
 * The scheduler's vocabulary. The engine is a pure function of these values:
 *   schedule(snapshot, previousPlan, now, options) -> ScheduleResult
 *
 * Terms
 * - Instant: epoch milliseconds (UTC). Durations in the input are minutes, as planners speak them.
 * - Work center: a group of `machines` identical machines (numbered 1..machines); an operation runs
 *   on exactly one of them.
 * - Calendar: weekly shifts in an IANA time zone plus dated exceptions; defines working time.
 *   Work pauses outside working time and resumes at the next shift.
 * - Downtime: a window where a work center (or one machine) cannot work, e.g. a breakdown andon
 *   from its raise until resolved (estimated end while open).
 * - Hold: an operation that may not start before `holdUntil` (material or quality andon).
 * - Pin: a planner's decision. `start` (exact): machine and start kept exactly, unless that start
 *   cannot be worked (in the past, off-shift, machine down, clashing with other fixed work or the
 *   routing): then the earliest feasible time after it, reported in `Plan.pinIssues`. `queueAt`
 *   (queue): the machine is kept, and the operation joins that machine's sequence about that time;
 *   the engine picks the actual start and re-sequences around it.
 * - Frozen horizon: operations planned to start before now + frozenMinutes keep machine and order.
 */

export type Instant = number;

/** ISO weekday: 1 = Monday .. 7 = Sunday. `end` <= `start` means the shift ends the next day. */
export interface WeeklyShift {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  start: string; // "HH:MM" local time
  end: string; // "HH:MM" local time
}

/** A dated exception in local time: a holiday (working=false) or an extra working window. */
export interface CalendarException {
  from: string; // "YYYY-MM-DDTHH:MM" local time
  to: string; // "YYYY-MM-DDTHH:MM" local time, exclusive
  working: boolean;
  note?: string;
}

export interface Calendar {
  code: string;
  timeZone: string; // IANA, e.g. "Asia/Shanghai"
  shifts: WeeklyShift[];
  exceptions: CalendarException[];
}

/** Minutes of setup when switching from family `from` to family `to` (overrides the routing setup). */
export interface SetupMatrixEntry {
  from: string;
  to: string;
  minutes: number;
}

export interface WorkCenter {
  code: string;
  machines: number;
  calendar: string; // Calendar.code
  setupMatrix?: SetupMatrixEntry[];
}

export interface Downtime {
  id: string; // e.g. the andon id
  workCenter: string;
  machine?: number; // absent: every machine of the work center
  from: Instant;
  to: Instant; // estimated end while the cause is open
  reason: 'breakdown' | 'safety' | 'maintenance' | 'other';
}

export type OperationStatus = 'pending' | 'running' | 'held';

export interface Pin {
  machine?: number;
  /** Exact mode: the start to keep. */
  start?: Instant;
  /** Queue mode (ignored with `start`): where in the machine's sequence it joins, as a time. */
  queueAt?: Instant;
}

export interface OperationInput {
  seq: number; // 1-based position in the routing
  workCenter: string;
  setupMinutes: number;
  runMinutesPerUnit: number;
  quantity: number; // units still to make on this operation
  minTransferMinutes?: number; // wait after the previous operation ends before this one may start
  status: OperationStatus;
  /** Present when status = 'running': it stays on this machine until its remaining work is done. */
  running?: {
    machine: number;
    startedAt: Instant;
    /** Remaining working minutes, when the loader could estimate it from an observed rate. */
    remainingMinutes?: number;
  };
  /** Held operations may not start before this instant (the hold's expected lift). */
  hold?: { until: Instant; reason: 'material' | 'quality'; andonId?: string };
  pin?: Pin;
}

export interface OrderInput {
  code: string;
  product: string;
  family?: string; // product family for sequence-dependent setups
  quantity: number;
  releaseAt?: Instant;
  dueAt: Instant;
  priority: number; // weight in weighted tardiness, >= 1
  /**
   * Its due date is a date quoted to the customer (engine/quote.ts): the search weighs its lateness
   * PROMISE_WEIGHT times, so it never trades a promise for others' lateness. Construction ignores it,
   * so the plan that gave the quote and the live plan start alike.
   */
  promised?: boolean;
  /** Open operations only (completed ones are gone), in routing order. */
  operations: OperationInput[];
}

export interface Snapshot {
  calendars: Calendar[];
  workCenters: WorkCenter[];
  downtimes: Downtime[];
  orders: OrderInput[];
}

export interface PlannedOperation {
  order: string;
  seq: number;
  workCenter: string;
  machine: number;
  start: Instant;
  end: Instant;
  setupMinutes: number;
  pinned: boolean;
  /** Running, or (not pinned and) starting before now + frozenMinutes: it keeps machine and order. */
  frozen: boolean;
}

export interface PreviousPlan {
  operations: PlannedOperation[];
}

/** Why an order is late (or at risk): structured so the UI can phrase it in zh-CN or en. */
export type LateReason =
  | { kind: 'queued'; seq: number; workCenter: string; behind: string[]; waitMinutes: number }
  | { kind: 'waiting'; seq: number; workCenter: string; waitMinutes: number } // the plan starts it later (pin, frozen order)
  | { kind: 'down'; seq: number; workCenter: string; until: Instant; downtimeId: string }
  | { kind: 'held'; seq: number; reason: 'material' | 'quality'; until: Instant; andonId?: string }
  | { kind: 'closed'; seq: number; workCenter: string; until: Instant } // waiting for the next shift
  | { kind: 'released'; at: Instant }
  | { kind: 'work'; minutes: number } // the remaining work alone cannot finish by the due date
  | { kind: 'overdue'; dueAt: Instant }; // the due date is already in the past: nothing could make it

export interface OrderEta {
  order: string;
  eta: Instant; // end of its last open operation
  dueAt: Instant;
  latenessMinutes: number; // eta - dueAt in minutes, negative when early
  late: boolean;
  reasons: LateReason[];
}

export interface PlanFigures {
  weightedTardinessMinutes: number; // what the search minimises: promised orders weigh PROMISE_WEIGHT times their priority
  lateOrders: number;
  makespan: Instant; // latest end
  totalFlowMinutes: number;
  movedOperations: number; // changed machine or start versus the previous plan
  solveMs: number;
  iterations: number;
}

/**
 * Why a pinned start could not be kept exactly. The operation is then planned at the earliest
 * feasible time after the pin (on the pinned machine), never in closed time.
 * - pin_in_past: the pinned start is before now (pins age).
 * - pin_not_ready: before its order's release or its hold's lift.
 * - pin_off_shift: the calendar does not work then (off-shift, holiday).
 * - pin_machine_down: the machine is down then (breakdown, safety).
 * - pin_conflict: it clashes with other fixed work (running, another pin) or its routing predecessor.
 */
/** How long a pinned start may have passed, the job not yet started, before planners are told. */
export const PIN_PAST_GRACE_MS = 30 * 60_000;

export type PinIssueCode = 'pin_in_past' | 'pin_not_ready' | 'pin_off_shift' | 'pin_machine_down' | 'pin_conflict';

export interface PinIssue {
  order: string;
  seq: number;
  workCenter: string;
  code: PinIssueCode;
  message: string;
  pinnedStart: Instant;
  plannedStart: Instant;
}

export interface Plan {
  operations: PlannedOperation[];
  orders: OrderEta[];
  figures: PlanFigures;
  /** Pinned starts the plan could not keep exactly (empty when every pin is honoured). */
  pinIssues: PinIssue[];
}

export type InfeasibleCode =
  | 'pin_wrong_work_center'
  | 'pin_machine_out_of_range'
  | 'unknown_work_center'
  | 'unknown_calendar'
  | 'no_working_time'
  | 'routing_cycle'
  | 'invalid_input';

export interface Infeasibility {
  code: InfeasibleCode;
  message: string;
  order?: string;
  seq?: number;
  workCenter?: string;
}

export type ScheduleResult = { ok: true; plan: Plan } | { ok: false; errors: Infeasibility[] };

export interface ScheduleOptions {
  seed: number;
  /** Search budget. Ignored unless `elapsedMs` is given: the engine never reads a clock itself. */
  timeLimitMs: number;
  /** Injected clock for the budget (milliseconds since the solve started). */
  elapsedMs?: () => number;
  /** Upper bound on local-search iterations; makes runs reproducible regardless of machine speed. */
  maxIterations?: number;
  frozenMinutes: number;
  objective: 'tardiness' | 'makespan';
}
