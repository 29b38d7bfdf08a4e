import * as z from 'zod/mini';
import { ClientId, Code } from './common.ts';

export const andonReasons = ['material', 'quality', 'breakdown', 'safety', 'other'] as const;
export type AndonReason = (typeof andonReasons)[number];
export type AndonState = 'raised' | 'acknowledged' | 'resolved' | 'cancelled';

export const AndonBody = z.object({
  id: ClientId,
  workCenter: Code,
  reason: z.enum(andonReasons),
  order: z.optional(Code),
  seq: z.optional(z.int().check(z.gte(1), z.lte(100))),
  machine: z.optional(z.int().check(z.gte(1), z.lte(100))),
  note: z.optional(z.string().check(z.maxLength(500))),
  expectedMinutes: z.optional(z.int().check(z.gte(1), z.lte(60 * 24 * 30))),
  operator: z.optional(z.string().check(z.maxLength(64))),
});
export type AndonBody = z.infer<typeof AndonBody>;

export const AndonAcknowledgeBody = z.object({
  expectedMinutes: z.optional(z.int().check(z.gte(1), z.lte(60 * 24 * 30))),
  note: z.optional(z.string().check(z.maxLength(500))),
  operator: z.optional(z.string().check(z.maxLength(64))),
});

/** POST /andon/{id}/cancel: raised by mistake; it leaves the plan as if never raised. */
export const AndonCancelBody = z.object({
  note: z.optional(z.string().check(z.maxLength(500))),
  operator: z.optional(z.string().check(z.maxLength(64))),
});

/**
 * POST /andon/{id}/estimate: purchasing or the warehouse sets when the material arrives (or a
 * lead re-estimates a repair). Either an instant or minutes from now.
 */
export const AndonEstimateBody = z.object({
  expectedAt: z.optional(z.iso.datetime({ offset: true })),
  expectedMinutes: z.optional(z.int().check(z.gte(1), z.lte(60 * 24 * 30))),
  note: z.optional(z.string().check(z.maxLength(500))),
});

export const AndonResolveBody = z.object({
  rootCause: z.optional(z.string().check(z.maxLength(500))),
  operator: z.optional(z.string().check(z.maxLength(64))),
});

export const AndonListQuery = z.object({
  state: z.optional(z.enum(['open', 'raised', 'acknowledged', 'resolved', 'cancelled', 'all'])),
  workCenter: z.optional(Code),
  limit: z.optional(z.string().check(z.regex(/^\d{1,4}$/))),
});

export interface AndonView {
  id: string;
  workCenter: string;
  line: string;
  reason: AndonReason;
  state: AndonState;
  order: string | null;
  seq: number | null;
  machine: number | null;
  note: string | null;
  expectedMinutes: number | null;
  expectedEndAt: string | null;
  raisedAt: string;
  raisedBy: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  rootCause: string | null;
  /** Highest escalation level reached so far (1 = line lead, told at once). */
  escalationLevel: number;
  cancelledAt: string | null;
  cancelledBy: string | null;
}
