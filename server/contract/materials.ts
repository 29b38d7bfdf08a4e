import * as z from 'zod/mini';
import { ClientId, Code, IsoInstant } from './common.ts';

/**
 * Materials: components with stock, a product's bill of materials, goods received, purchasing's
 * arrival estimates and the shortages the plan forecasts. Quantities are in the component's unit
 * (pieces, metres, kilograms), so they may be decimals.
 */

const Quantity = z.number().check(z.gte(0), z.lte(1e9));

/** PUT /components/{code}: create or replace; onHand sets the stock by a counted correction. */
export const ComponentBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  unit: z.string().check(z.minLength(1), z.maxLength(16)),
  onHand: Quantity,
  reorderPoint: Quantity,
  leadTimeDays: z.number().check(z.gte(0), z.lte(365)),
});
export type ComponentBody = z.infer<typeof ComponentBody>;

export const ComponentView = z.object({
  ...ComponentBody.shape,
  /**
   * The books' on-hand. It may fall below zero: a press backflushes what the floor really used even
   * when the books said it was not there (refusing the press would stop the line over a book error);
   * a negative figure tells the warehouse a count is due.
   */
  onHand: z.number(),
  code: z.string(),
  /** Purchasing's estimate of the next delivery, null when none is entered. */
  arrivalAt: z.nullable(IsoInstant),
  belowReorder: z.boolean(),
});
export type ComponentView = z.infer<typeof ComponentView>;

/** GET /components?belowReorder=true keeps the components whose on-hand is below their reorder point. */
export const ComponentListQuery = z.object({ belowReorder: z.optional(z.enum(['true', 'false'])) });

/** POST /components/{code}/receipts: goods received; idempotent by id. */
export const ReceiptBody = z.object({
  id: ClientId,
  quantity: z.number().check(z.gt(0), z.lte(1e9)),
  at: z.optional(IsoInstant),
});
export type ReceiptBody = z.infer<typeof ReceiptBody>;

export const ReceiptView = z.object({ id: z.string(), duplicate: z.boolean(), component: ComponentView });
export type ReceiptView = z.infer<typeof ReceiptView>;

/**
 * POST /components/{code}/counts: the warehouse's stock count; onHand is what is on the rack, and the
 * difference to the books is booked as a `count` movement. Idempotent by id.
 */
export const CountBody = z.object({ id: ClientId, onHand: Quantity });
export type CountBody = z.infer<typeof CountBody>;

export const CountView = z.object({
  id: z.string(),
  duplicate: z.boolean(),
  /** What the count moved the books by (counted less the books before it); 0 for a duplicate. */
  difference: z.number(),
  component: ComponentView,
});
export type CountView = z.infer<typeof CountView>;

/** POST /components/{code}/arrival: when the next delivery is expected (null clears the estimate). */
export const ArrivalBody = z.object({ expectedAt: z.nullable(IsoInstant) });
export type ArrivalBody = z.infer<typeof ArrivalBody>;

/** One line of a product's bill of materials: consumed by the routing step `seq`, per good or scrapped unit. */
export const BomLineBody = z.object({
  component: Code,
  quantityPerUnit: z.number().check(z.gt(0), z.lte(1e6)),
  seq: z.int().check(z.gte(1), z.lte(100)),
});
export type BomLineBody = z.infer<typeof BomLineBody>;

/** A forecast shortage: from the latest plan, the first instant the component runs out, and for whom. */
export const ShortageView = z.object({
  component: z.string(),
  name: z.string(),
  unit: z.string(),
  neededAt: IsoInstant,
  shortBy: z.number(),
  orders: z.array(z.string()),
  workCenter: z.string(),
  workCenters: z.array(z.string()),
  arrivalAt: z.nullable(IsoInstant),
  operations: z.array(z.object({ order: z.string(), seq: z.number(), workCenter: z.string(), at: IsoInstant, shortBy: z.number() })),
});
export type ShortageView = z.infer<typeof ShortageView>;

/** GET /picking?hours=N: operations not started and planned to start within N hours (default 8, at most 168) that consume components. */
export const PickingQuery = z.object({ hours: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|1[0-5]\d|16[0-8])$/))) });
export const DEFAULT_PICKING_HOURS = 8;

export const PickingLineView = z.object({
  order: z.string(),
  seq: z.number(),
  product: z.string(),
  workCenter: z.string(),
  machine: z.number(),
  start: IsoInstant,
  /** Units still to process. */
  quantity: z.number(),
  /** What to bring; `short`: on-hand does not cover this line after the earlier lines of the list. */
  components: z.array(z.object({ component: z.string(), name: z.string(), unit: z.string(), quantity: z.number(), onHand: z.number(), short: z.boolean() })),
});
export type PickingLineView = z.infer<typeof PickingLineView>;
