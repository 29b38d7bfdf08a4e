import * as z from 'zod/mini';
import { Code, IsoInstant } from './common.ts';
import { ScheduleProblem, ScheduledOperationView } from './schedule.ts';

/**
 * A planner's moves on the plan (the Gantt and the kanban), previewed and then committed as pins.
 *
 * - `queue`: put the operation on `machine` at about `start` and let the engine re-sequence around
 *   it (the machine is kept; the start is where it joins the machine's queue, not a promise).
 * - `exact`: the operation starts at `start` on `machine`, exactly; the engine plans around it.
 */
export const moveModes = ['queue', 'exact'] as const;
export const MoveMode = z.enum(moveModes);
export type MoveMode = z.infer<typeof MoveMode>;

const Seq = z.int().check(z.gte(1), z.lte(100));
const MachineNumber = z.int().check(z.gte(1), z.lte(100));

export const PlanMove = z.object({
  order: Code,
  seq: Seq,
  /** Absent: the machine it is planned on now. */
  machine: z.optional(MachineNumber),
  /** Required for `exact`; for `queue` the time it should join the queue at (absent: where it is now). */
  start: z.optional(IsoInstant),
  mode: MoveMode,
});
export type PlanMove = z.infer<typeof PlanMove>;

export const PreviewBody = z.object({ moves: z.array(PlanMove).check(z.minLength(1), z.maxLength(50)) });
export type PreviewBody = z.infer<typeof PreviewBody>;

/** An operation the preview would move, with where it is in the base plan (null: not planned there). */
export const MovedOperationView = z.object({
  ...z.pick(ScheduledOperationView, { order: true, seq: true, workCenter: true, machine: true, start: true, end: true }).shape,
  previousMachine: z.nullable(z.number()),
  previousStart: z.nullable(z.string()),
  previousEnd: z.nullable(z.string()),
});
export type MovedOperationView = z.infer<typeof MovedOperationView>;

export const PreviewEtaChange = z.object({
  order: z.string(),
  eta: z.nullable(z.string()),
  previousEta: z.nullable(z.string()),
  /** eta - previousEta in minutes (positive: later). */
  minutes: z.nullable(z.number()),
  dueAt: z.string(),
  late: z.boolean(),
  previousLate: z.boolean(),
});
export type PreviewEtaChange = z.infer<typeof PreviewEtaChange>;

export const PreviewView = z.object({
  /** The schedule version the preview was computed against: send it back with the commit. */
  baseVersion: z.number(),
  feasible: z.boolean(),
  /** Why it is not feasible, or which pins it could not honour. */
  problems: z.array(ScheduleProblem),
  solveMs: z.number(),
  moved: z.array(MovedOperationView),
  etaChanges: z.array(PreviewEtaChange),
  lateOrders: z.object({ before: z.number(), after: z.number() }),
});
export type PreviewView = z.infer<typeof PreviewView>;

export const PinBody = z.object({ ...PlanMove.shape, baseVersion: z.int().check(z.gte(0)) });
export type PinBody = z.infer<typeof PinBody>;

/** Several moves committed together (a multi-select drag): all pinned or none. */
export const PinBatchBody = z.object({ moves: z.array(PlanMove).check(z.minLength(1), z.maxLength(50)), baseVersion: z.int().check(z.gte(0)) });
export type PinBatchBody = z.infer<typeof PinBatchBody>;

/**
 * - active: the engine plans with it.
 * - unhonourable: it can no longer be kept as asked (start off-shift, machine down at that time);
 *   the engine plans as close to it as it can and planners are told.
 * - removed: unpinned, replaced by a newer pin on the same operation, undone, or its operation
 *   completed; kept for the history.
 */
export const pinStates = ['active', 'unhonourable', 'removed'] as const;
export type PinState = (typeof pinStates)[number];

/**
 * Why a pin is unhonourable or was removed, as the console names it in the reader's language:
 * the engine's pin issues, then what removed it.
 */
export const pinNoteCodes = [
  'pin_in_past',
  'pin_not_ready',
  'pin_off_shift',
  'pin_machine_down',
  'pin_conflict',
  'machine_gone',
  'operation_completed',
  'order_closed',
  'replaced',
  'unpinned',
  'undone',
] as const;
export type PinNoteCode = (typeof pinNoteCodes)[number];

export const PinView = z.object({
  id: z.string(),
  order: z.string(),
  seq: z.number(),
  workCenter: z.string(),
  machine: z.number(),
  /** The pinned start (exact) or the queue position's time (queue). */
  start: z.nullable(z.string()),
  mode: MoveMode,
  state: z.enum(pinStates),
  /** Why it is unhonourable or why it was removed, in words the console shows as they are. */
  note: z.nullable(z.string()),
  noteCode: z.nullable(z.enum(pinNoteCodes)),
  /** One commit (a drop, possibly of several bars) shares one id: undo takes back a whole commit. */
  commitId: z.string(),
  baseVersion: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  removedAt: z.nullable(z.string()),
});
export type PinView = z.infer<typeof PinView>;

/** 409 on a commit whose base is stale in a way that touches the move: what changed under it. */
export interface StaleBaseDetails {
  baseVersion: number;
  currentVersion: number;
  changed: { order: string; seq: number; machine: number; start: string; previousMachine: number | null; previousStart: string | null }[];
}

/** POST /pins/undo: the commit to take back (absent: the caller's newest with live pins). */
export const PinUndoBody = z.object({ commitId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))) });
export type PinUndoBody = z.infer<typeof PinUndoBody>;

export const PinListQuery = z.object({ state: z.optional(z.enum(['active', 'unhonourable', 'removed', 'all'])) });

/**
 * What the Gantt shades behind the bars for a window, per work center: time its calendar does not
 * work (off-shift, holidays) and open downtime (breakdown, safety: hatched). Computed on the server
 * from the same calendar code the engine plans with, so shading and plan never disagree.
 */
/** The longest window GET /schedule/calendar shades, in days. */
export const MAX_CALENDAR_DAYS = 62;

export const PlanCalendarView = z.object({
  from: z.string(),
  to: z.string(),
  workCenters: z.array(
    z.object({
      code: z.string(),
      closed: z.array(z.object({ from: z.string(), to: z.string() })),
      downtime: z.array(
        z.object({ from: z.string(), to: z.string(), reason: z.enum(['breakdown', 'safety']), machine: z.nullable(z.number()), andonId: z.string() }),
      ),
    }),
  ),
});
export type PlanCalendarView = z.infer<typeof PlanCalendarView>;

/** What `POST /pins/undo` took back: the caller's last commit's pins, and the pins they had replaced, live again. */
export const PinUndoView = z.object({ commitId: z.string(), removed: z.array(PinView), restored: z.array(PinView) });
export type PinUndoView = z.infer<typeof PinUndoView>;

/** POST /pins/batch: the pins of the one commit. */
export const PinBatchView = z.object({ pins: z.array(PinView) });
export type PinBatchView = z.infer<typeof PinBatchView>;
