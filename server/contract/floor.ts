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
});
export type WorkCenterStatus = z.infer<typeof WorkCenterStatus>;

/** GET /api/v1/plants */
export type { PlantView } from './plants.ts';
