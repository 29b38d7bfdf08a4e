import * as z from 'zod/mini';
import { Code, IsoInstant } from './common.ts';
import type { OperationStatus } from './operation-transitions.ts';
import type { LateReason } from './schedule.ts';

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

export const OrderListQuery = z.object({
  status: z.optional(z.enum(['open', 'completed', 'all'])),
  late: z.optional(z.enum(['true', 'false'])),
  product: z.optional(Code),
  customer: z.optional(z.string()),
  workCenter: z.optional(Code),
  limit: z.optional(z.string().check(z.regex(/^\d{1,4}$/))),
});


export interface OperationView {
  seq: number;
  workCenter: string;
  status: OperationStatus;
  quantity: number;
  quantityGood: number;
  quantityScrap: number;
  setupMinutes: number;
  runMinutesPerUnit: number;
  startedAt: string | null;
  completedAt: string | null;
  held: { reason: string; andonId: string; until: string | null } | null;
  planned: { machine: number; start: string; end: string } | null;
}

export interface OrderView {
  code: string;
  product: string;
  productName: string;
  quantity: number;
  quantityGood: number;
  dueAt: string;
  releaseAt: string | null;
  priority: number;
  customer: string | null;
  status: 'open' | 'completed';
  eta: string | null;
  late: boolean;
  latenessMinutes: number | null;
  reasons: LateReason[];
  progress: number; // 0..1: completed work share over the routing
  currentSeq: number | null;
  createdAt: string;
}

export interface OrderDetail extends OrderView {
  operations: OperationView[];
  etaHistory: { eta: string; at: string; version: number }[];
}
