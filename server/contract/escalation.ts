import * as z from 'zod/mini';
import { andonReasons } from './andon.ts';

/**
 * The escalation ladder of one andon reason: level 1 at once (line lead), then each further level if
 * the alert is still not acknowledged `afterMinutes` after it was raised. Timers are graphile-worker
 * jobs, so they survive restarts. Default per reason: lead at 0, supervisor at 5, manager at 15.
 */
export const EscalationLevelBody = z.object({
  level: z.int().check(z.gte(1), z.lte(9)),
  afterMinutes: z.number().check(z.gte(0), z.lte(24 * 60)),
  /** Who is told: a role name or a free label such as "maintenance supervisor". */
  notify: z.string().check(z.minLength(1), z.maxLength(120)),
});

export const EscalationLadderBody = z.object({
  levels: z.array(EscalationLevelBody).check(z.minLength(1), z.maxLength(9)),
});
export type EscalationLadderBody = z.infer<typeof EscalationLadderBody>;

export const EscalationReason = z.enum(andonReasons);

export const EscalationLadder = z.object({
  reason: EscalationReason,
  levels: z.array(EscalationLevelBody),
  /** false: the plant has not configured this reason and the built-in default applies. */
  configured: z.boolean(),
});
export type EscalationLadder = z.infer<typeof EscalationLadder>;

export const AndonFigures = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      reason: z.string(),
      workCenter: z.string(),
      count: z.number(),
      /** Mean minutes from raised to acknowledged, over alerts that were acknowledged. */
      meanMinutesToAcknowledge: z.nullable(z.number()),
      /** Mean minutes from raised to resolved, over resolved alerts. */
      meanMinutesToResolve: z.nullable(z.number()),
    }),
  ),
});
export type AndonFigures = z.infer<typeof AndonFigures>;

/** GET /andon/figures: alerts raised in [from, to); default the last 7 days. */
export const AndonFiguresQuery = z.object({
  from: z.optional(z.iso.datetime({ offset: true })),
  to: z.optional(z.iso.datetime({ offset: true })),
});

