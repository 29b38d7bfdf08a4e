import * as z from 'zod/mini';
import { Code, IsoInstant } from './common.ts';
import { operationStatuses } from './operation-transitions.ts';
import { LateReason } from './schedule.ts';

export const OrderBody = z.object({
  code: Code,
  product: Code,
  quantity: z.int().check(z.gte(1), z.lte(10_000_000)),
  /** Required unless `quote` is given (then the quoted date, or this one if later). */
  dueAt: z.optional(IsoInstant),
  releaseAt: z.optional(IsoInstant),
  priority: z._default(z.int().check(z.gte(1), z.lte(10)), 1),
  customer: z.optional(z.string().check(z.maxLength(120))),
  /** A quote's id (POST /quotes): the order takes its date, release and priority, and is promised. */
  quote: z.optional(z.uuid()),
});
export type OrderBody = z.infer<typeof OrderBody>;

/**
 * PATCH /orders/{code}: a new due date, release or priority for an open order (what a customer
 * renegotiates, or a planner expedites). Fields left out stay; `releaseAt: null` clears the release.
 * Strict: a field that cannot be changed here (quantity, product) is refused, not silently ignored.
 */
export const OrderPatch = z.strictObject({
  dueAt: z.optional(IsoInstant),
  releaseAt: z.optional(z.nullable(IsoInstant)),
  priority: z.optional(z.int().check(z.gte(1), z.lte(10))),
});
export type OrderPatch = z.infer<typeof OrderPatch>;

export const OrderListQuery = z.object({
  status: z.optional(z.enum(['open', 'completed', 'all'])),
  late: z.optional(z.enum(['true', 'false'])),
  product: z.optional(Code),
  customer: z.optional(z.string()),
  workCenter: z.optional(Code),
  limit: z.optional(z.string().check(z.regex(/^\d{1,4}$/))),
});

export const OperationView = z.object({
  seq: z.number(),
  workCenter: z.string(),
  status: z.enum(operationStatuses),
  quantity: z.number(),
  quantityGood: z.number(),
  quantityScrap: z.number(),
  setupMinutes: z.number(),
  runMinutesPerUnit: z.number(),
  startedAt: z.nullable(z.string()),
  completedAt: z.nullable(z.string()),
  held: z.nullable(z.object({ reason: z.string(), andonId: z.string(), until: z.nullable(z.string()) })),
  planned: z.nullable(z.object({ machine: z.number(), start: z.string(), end: z.string() })),
});
export type OperationView = z.infer<typeof OperationView>;

export const OrderView = z.object({
  code: z.string(),
  product: z.string(),
  productName: z.string(),
  quantity: z.number(),
  quantityGood: z.number(),
  dueAt: z.string(),
  releaseAt: z.nullable(z.string()),
  priority: z.number(),
  customer: z.nullable(z.string()),
  status: z.enum(['open', 'completed']),
  eta: z.nullable(z.string()),
  late: z.boolean(),
  latenessMinutes: z.nullable(z.number()),
  reasons: z.array(LateReason),
  /**
   * Probabilistic ETAs (README "How sure is an ETA"): half / nine in ten of the sampled futures of
   * run times and breakdowns finish by these. Null until the plant's first sampling after a plan.
   */
  etaP50: z.nullable(z.string()),
  etaP90: z.nullable(z.string()),
  /** Open, on time by its ETA, but not by its P90: a promise to watch. */
  atRisk: z.boolean(),
  /** The ETA as it stood 24 hours ago (null: none yet then); the trend mark compares it with `eta`. */
  etaDayAgo: z.nullable(z.string()),
  /** 0..1: completed work share over the routing. */
  progress: z.number(),
  currentSeq: z.nullable(z.number()),
  createdAt: z.string(),
});
export type OrderView = z.infer<typeof OrderView>;

export const OrderDetail = z.object({
  ...OrderView.shape,
  operations: z.array(OperationView),
  /** Newest first (at most 200); p50/p90 as sampled then (null before the first sampling). */
  etaHistory: z.array(z.object({ eta: z.string(), p50: z.nullable(z.string()), p90: z.nullable(z.string()), at: z.string(), version: z.number() })),
});
export type OrderDetail = z.infer<typeof OrderDetail>;
