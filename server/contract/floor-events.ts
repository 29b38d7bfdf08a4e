import * as z from 'zod/mini';
import { ClientId, Code, IsoInstant } from './common.ts';

export const floorEventTypes = [
  'operation.started',
  'operation.progress',
  'operation.paused',
  'operation.completed',
] as const;
export type FloorEventType = (typeof floorEventTypes)[number];

const Quantity = z.int().check(z.gte(0), z.lte(10_000_000));

export const FloorEventBody = z.object({
  id: ClientId,
  type: z.enum(floorEventTypes),
  order: Code,
  seq: z.int().check(z.gte(1), z.lte(100)),
  quantityGood: z.optional(Quantity),
  quantityScrap: z.optional(Quantity),
  scrapReason: z.optional(z.string().check(z.maxLength(120))),
  pauseReason: z.optional(z.string().check(z.maxLength(120))),
  machine: z.optional(z.int().check(z.gte(1), z.lte(100))),
  operator: z.optional(z.string().check(z.maxLength(64))),
  at: z.optional(IsoInstant),
});
export type FloorEventBody = z.infer<typeof FloorEventBody>;

/** POST /events: 201 accepted, 200 a repeat of an id already recorded (duplicate: true). */
export const FloorEventResult = z.object({
  id: z.string(),
  duplicate: z.boolean(),
  accepted: z.boolean(),
  operation: z.object({
    order: z.string(),
    seq: z.number(),
    status: z.string(),
    quantityGood: z.number(),
    quantityScrap: z.number(),
  }),
});
export type FloorEventResult = z.infer<typeof FloorEventResult>;
