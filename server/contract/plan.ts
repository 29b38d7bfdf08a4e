import * as z from 'zod/mini';
import { Code, IsoInstant } from './common.ts';
import { ScheduleProblem, type ScheduledOperationView } from './schedule.ts';

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
export interface MovedOperationView extends Pick<ScheduledOperationView, 'order' | 'seq' | 'workCenter' | 'machine' | 'start' | 'end'> {
  previousMachine: number | null;
  previousStart: string | null;
  previousEnd: string | null;
}

export interface PreviewEtaChange {
  order: string;
  eta: string | null;
  previousEta: string | null;
  /** eta - previousEta in minutes (positive: later). */
  minutes: number | null;
  dueAt: string;
  late: boolean;
  previousLate: boolean;
}

export interface PreviewView {
  /** The schedule version the preview was computed against: send it back with the commit. */
  baseVersion: number;
  feasible: boolean;
  /** Why it is not feasible, or which pins it could not honour. */
  problems: ScheduleProblem[];
  solveMs: number;
  moved: MovedOperationView[];
  etaChanges: PreviewEtaChange[];
  lateOrders: { before: number; after: number };
}

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

export interface PlanCalendarView {
  from: string;
  to: string;
  workCenters: {
    code: string;
    closed: { from: string; to: string }[];
    downtime: { from: string; to: string; reason: 'breakdown' | 'safety'; machine: number | null; andonId: string }[];
  }[];
}

/** What `POST /pins/undo` took back: the caller's last commit's pins, and the pins they had replaced, live again. */
export interface PinUndoView {
  commitId: string;
  removed: PinView[];
  restored: PinView[];
}
