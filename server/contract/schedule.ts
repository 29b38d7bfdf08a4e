import * as z from 'zod/mini';

/**
 * Why an order is late, as the API and the stream carry it: instants are ISO strings. The engine's
 * own type (`scheduler/engine/model.ts`, epoch milliseconds) is bridged to this one by one typed
 * function in the worker, which also proves at compile time that the two list the same kinds.
 */
export const LateReason = z.discriminatedUnion('kind', [
  // Never sent with nobody in the queue: "queued behind nobody" is not a reason.
  z.object({ kind: z.literal('queued'), seq: z.number(), workCenter: z.string(), behind: z.array(z.string()).check(z.minLength(1)), waitMinutes: z.number() }),
  // Ready and the machine free, but the plan starts it later: a pinned start, the frozen sequence, or
  // its own order's earlier work on the machine.
  z.object({ kind: z.literal('waiting'), seq: z.number(), workCenter: z.string(), waitMinutes: z.number() }),
  z.object({ kind: z.literal('down'), seq: z.number(), workCenter: z.string(), until: z.string(), downtimeId: z.string() }),
  z.object({ kind: z.literal('held'), seq: z.number(), reason: z.enum(['material', 'quality']), until: z.string(), andonId: z.optional(z.string()) }),
  z.object({ kind: z.literal('closed'), seq: z.number(), workCenter: z.string(), until: z.string() }),
  z.object({ kind: z.literal('released'), at: z.string() }),
  z.object({ kind: z.literal('work'), minutes: z.number() }),
  // The due date had passed before any of this.
  z.object({ kind: z.literal('overdue'), dueAt: z.string() }),
]);
export type LateReason = z.infer<typeof LateReason>;

/** What asked for a re-plan: `kind` e.g. 'floor_event', 'andon.raised', 'order.created', 'startup'. */
export const ScheduleTrigger = z.object({ kind: z.string(), causeId: z.nullable(z.string()) });
export type ScheduleTrigger = z.infer<typeof ScheduleTrigger>;

/** Why the engine could not plan (the last good plan and its ETAs stay). */
export const ScheduleProblem = z.object({
  code: z.string(),
  message: z.string(),
  order: z.optional(z.string()),
  seq: z.optional(z.number()),
  workCenter: z.optional(z.string()),
});
export type ScheduleProblem = z.infer<typeof ScheduleProblem>;

export interface ScheduledOperationView {
  order: string;
  seq: number;
  workCenter: string;
  machine: number;
  start: string;
  end: string;
  /** Setup minutes at the head of the bar (sequence-dependent: from the previous job on the machine). */
  setupMinutes: number;
  /** The floor's state of the operation: held by a material/quality alert, running, or not started. */
  status: 'pending' | 'running' | 'held';
  /** A planner's pin placed it (machine and/or start). */
  pinned: boolean;
  /** Inside the frozen horizon: it keeps its machine and order, and does not drag. */
  frozen: boolean;
  /** The order is late in this plan. */
  late: boolean;
}

/** An operation already done, as it really ran: the Gantt draws actual against plan. */
export interface CompletedOperationView {
  order: string;
  seq: number;
  workCenter: string;
  machine: number | null;
  start: string;
  end: string;
}

export interface ScheduleView {
  version: number;
  computedAt: string;
  trigger: ScheduleTrigger;
  solveMs: number;
  figures: {
    weightedTardinessMinutes: number;
    lateOrders: number;
    makespan: string | null;
    movedOperations: number;
  };
  operations: ScheduledOperationView[];
  /** Completed operations whose actual run overlaps the window (with no window: the last 24 hours). */
  completed: CompletedOperationView[];
  /**
   * Set while the latest re-plan failed: the operations above are from the last good plan, and this
   * says why no newer one exists. Null once a feasible plan replaces it.
   */
  problem: { detectedAt: string; trigger: ScheduleTrigger; errors: ScheduleProblem[] } | null;
}
