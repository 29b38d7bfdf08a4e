import * as z from 'zod/mini';
import { ClientId, Code } from './common.ts';

export const andonReasons = ['material', 'quality', 'breakdown', 'safety', 'other'] as const;
export type AndonReason = (typeof andonReasons)[number];
export const andonStates = ['raised', 'acknowledged', 'resolved', 'cancelled'] as const;
export type AndonState = (typeof andonStates)[number];
/** An alert is open until it is resolved or cancelled: only open alerts change the plan or the board. */
export const openAndonStates = ['raised', 'acknowledged'] as const satisfies readonly AndonState[];

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

/**
 * A lead acting on a station's worker token proves it is there: the `session` that
 * POST /operators/identify returned for the lead's PIN or badge at this station, a few minutes ago.
 */
const OperatorSession = z.optional(z.string().check(z.maxLength(400)));

export const AndonAcknowledgeBody = z.object({
  expectedMinutes: z.optional(z.int().check(z.gte(1), z.lte(60 * 24 * 30))),
  note: z.optional(z.string().check(z.maxLength(500))),
  operator: z.optional(z.string().check(z.maxLength(64))),
  operatorSession: OperatorSession,
});
export type AndonAcknowledgeBody = z.infer<typeof AndonAcknowledgeBody>;

/** POST /andon/{id}/cancel: raised by mistake; it leaves the plan as if never raised. */
export const AndonCancelBody = z.object({
  note: z.optional(z.string().check(z.maxLength(500))),
  operator: z.optional(z.string().check(z.maxLength(64))),
  operatorSession: OperatorSession,
});
export type AndonCancelBody = z.infer<typeof AndonCancelBody>;

/**
 * POST /andon/{id}/estimate: purchasing or the warehouse sets when the material arrives (or a
 * lead re-estimates a repair). Either an instant or minutes from now.
 */
export const AndonEstimateBody = z.object({
  expectedAt: z.optional(z.iso.datetime({ offset: true })),
  expectedMinutes: z.optional(z.int().check(z.gte(1), z.lte(60 * 24 * 30))),
  note: z.optional(z.string().check(z.maxLength(500))),
});
export type AndonEstimateBody = z.infer<typeof AndonEstimateBody>;

export const AndonResolveBody = z.object({
  rootCause: z.optional(z.string().check(z.maxLength(500))),
  operator: z.optional(z.string().check(z.maxLength(64))),
  operatorSession: OperatorSession,
});
export type AndonResolveBody = z.infer<typeof AndonResolveBody>;

export const AndonListQuery = z.object({
  state: z.optional(z.enum(['open', 'all', ...andonStates])),
  workCenter: z.optional(Code),
  limit: z.optional(z.string().check(z.regex(/^\d{1,4}$/))),
});

/** An alert as the API and the `andon` stream topic show it. */
export const AndonView = z.object({
  id: z.string(),
  workCenter: z.string(),
  line: z.string(),
  reason: z.enum(andonReasons),
  state: z.enum(andonStates),
  order: z.nullable(z.string()),
  seq: z.nullable(z.number()),
  machine: z.nullable(z.number()),
  note: z.nullable(z.string()),
  expectedMinutes: z.nullable(z.number()),
  expectedEndAt: z.nullable(z.string()),
  raisedAt: z.string(),
  raisedBy: z.string(),
  acknowledgedAt: z.nullable(z.string()),
  acknowledgedBy: z.nullable(z.string()),
  resolvedAt: z.nullable(z.string()),
  resolvedBy: z.nullable(z.string()),
  rootCause: z.nullable(z.string()),
  /** Highest escalation level reached so far (1 = line lead, told at once). */
  escalationLevel: z.number(),
  cancelledAt: z.nullable(z.string()),
  cancelledBy: z.nullable(z.string()),
});
export type AndonView = z.infer<typeof AndonView>;

/** POST /andon: the alert, and whether its id had been raised before (200, nothing changed). */
export const AndonRaised = z.object({ ...AndonView.shape, duplicate: z.boolean() });
export type AndonRaised = z.infer<typeof AndonRaised>;

/**
 * The alert lifecycle after the raise, the only table of it: from which states each action may be
 * taken, the state it leads to (null: unchanged), and whether it ends the escalation timers. The
 * server refuses anything else with 409; the station offers exactly what this table allows.
 */
export const andonTransitions = {
  acknowledge: { from: ['raised'], to: 'acknowledged', endsEscalation: true },
  resolve: { from: openAndonStates, to: 'resolved', endsEscalation: true },
  cancel: { from: openAndonStates, to: 'cancelled', endsEscalation: true },
  estimate: { from: openAndonStates, to: null, endsEscalation: false },
} as const satisfies Record<string, { from: readonly AndonState[]; to: AndonState | null; endsEscalation: boolean }>;
export type AndonAction = keyof typeof andonTransitions;

export function canApplyToAndon(action: AndonAction, state: AndonState): boolean {
  return (andonTransitions[action].from as readonly AndonState[]).includes(state);
}
