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

export const ScheduledOperationView = z.object({
  order: z.string(),
  seq: z.number(),
  workCenter: z.string(),
  machine: z.number(),
  start: z.string(),
  end: z.string(),
  /** Setup minutes at the head of the bar (sequence-dependent: from the previous job on the machine). */
  setupMinutes: z.number(),
  /** The floor's state of the operation: held (by a material or quality alert, or a forecast material shortage), running, or not started. */
  status: z.enum(['pending', 'running', 'held']),
  /** A planner's pin placed it (machine and/or start). */
  pinned: z.boolean(),
  /** Inside the frozen horizon: it keeps its machine and order, and does not drag. */
  frozen: z.boolean(),
  /** The order is late in this plan. */
  late: z.boolean(),
});
export type ScheduledOperationView = z.infer<typeof ScheduledOperationView>;

/** An operation already done, as it really ran: the Gantt draws actual against plan. */
export const CompletedOperationView = z.object({
  order: z.string(),
  seq: z.number(),
  workCenter: z.string(),
  machine: z.nullable(z.number()),
  start: z.string(),
  end: z.string(),
});
export type CompletedOperationView = z.infer<typeof CompletedOperationView>;

export const ScheduleView = z.object({
  version: z.number(),
  computedAt: z.string(),
  trigger: ScheduleTrigger,
  solveMs: z.number(),
  figures: z.object({
    weightedTardinessMinutes: z.number(),
    lateOrders: z.number(),
    makespan: z.nullable(z.string()),
    movedOperations: z.number(),
  }),
  operations: z.array(ScheduledOperationView),
  /** Completed operations whose actual run overlaps the window (with no window: the last 24 hours). */
  completed: z.array(CompletedOperationView),
  /**
   * Set while the latest re-plan failed: the operations above are from the last good plan, and this
   * says why no newer one exists. Null once a feasible plan replaces it.
   */
  problem: z.nullable(z.object({ detectedAt: z.string(), trigger: ScheduleTrigger, errors: z.array(ScheduleProblem) })),
});
export type ScheduleView = z.infer<typeof ScheduleView>;
