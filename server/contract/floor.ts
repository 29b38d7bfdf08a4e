import * as z from 'zod/mini';

/** GET /api/v1/floor: the live state of every work center, what a TV board or station shows. */
export const OperationOnFloor = z.object({
  order: z.string(),
  seq: z.number(),
  /** Routing length, to show "3/7". */
  operations: z.number(),
  product: z.string(),
  productName: z.string(),
  status: z.enum(['running', 'paused', 'pending']),
  machine: z.nullable(z.number()),
  quantity: z.number(),
  quantityGood: z.number(),
  quantityScrap: z.number(),
  setupMinutes: z.number(),
  startedAt: z.nullable(z.string()),
  plannedStart: z.nullable(z.string()),
  plannedEnd: z.nullable(z.string()),
  dueAt: z.string(),
  late: z.boolean(),
});
export type OperationOnFloor = z.infer<typeof OperationOnFloor>;

/** An operation the floor was told started late (not yet started): the tile's "late start" mark. */
export const LateStartMark = z.object({
  order: z.string(),
  seq: z.number(),
  machine: z.nullable(z.number()),
  plannedStart: z.string(),
  minutesLate: z.number(),
});
export type LateStartMark = z.infer<typeof LateStartMark>;

export const WorkCenterStatus = z.object({
  code: z.string(),
  name: z.string(),
  line: z.string(),
  machines: z.number(),
  /** running and paused operations: what is on the machines now */
  active: z.array(OperationOnFloor),
  /** the next planned operations, in the scheduler's order */
  next: z.array(OperationOnFloor),
  openAndon: z.array(z.object({ id: z.string(), reason: z.string(), raisedAt: z.string(), state: z.string() })),
  /** Told late to start and still not started, earliest planned start first. */
  lateStarts: z.array(LateStartMark),
});
export type WorkCenterStatus = z.infer<typeof WorkCenterStatus>;

/** GET /api/v1/plants */
export type { PlantView } from './plants.ts';
