import * as z from 'zod/mini';
import { screenKinds } from './screens.ts';

/** GET /kpis: figures over [from, to); default the 7 days up to now. */
export const KpisQuery = z.object({
  from: z.optional(z.iso.datetime({ offset: true })),
  to: z.optional(z.iso.datetime({ offset: true })),
});

/** The longest period one request may ask for (its daily series has a point per day). */
export const KPI_MAX_DAYS = 400;

/** An order meets its plan when it completes within this of the ETA it had when its day began. */
export const PLAN_ADHERENCE_TOLERANCE_MINUTES = 60;

const Share = z.nullable(z.number());

export const OnTimeDay = z.object({
  /** A plant-calendar day (YYYY-MM-DD, plant time zone); its orders are those completed in it and in [from, to). */
  day: z.string(),
  completed: z.number(),
  onTime: z.number(),
  share: Share,
});
export type OnTimeDay = z.infer<typeof OnTimeDay>;

export const OnTimeDelivery = z.object({
  completed: z.number(),
  onTime: z.number(),
  /** onTime / completed; null when nothing completed. */
  share: Share,
  daily: z.array(OnTimeDay),
});
export type OnTimeDelivery = z.infer<typeof OnTimeDelivery>;

export const PlanAdherence = z.object({
  toleranceMinutes: z.number(),
  /** Orders completed in the period that had an ETA to hold them to. */
  planned: z.number(),
  adhered: z.number(),
  share: Share,
});
export type PlanAdherence = z.infer<typeof PlanAdherence>;

export const AndonReasonFigure = z.object({
  reason: z.string(),
  count: z.number(),
  share: z.number(),
  /** Share of all alerts in this reason and every reason above it (the Pareto line). */
  cumulativeShare: z.number(),
  meanMinutesToAcknowledge: z.nullable(z.number()),
  meanMinutesToResolve: z.nullable(z.number()),
});
export type AndonReasonFigure = z.infer<typeof AndonReasonFigure>;

export const AndonKpis = z.object({
  count: z.number(),
  acknowledged: z.number(),
  resolved: z.number(),
  meanMinutesToAcknowledge: z.nullable(z.number()),
  meanMinutesToResolve: z.nullable(z.number()),
  /** By count, largest first (ties by reason). */
  pareto: z.array(AndonReasonFigure),
});
export type AndonKpis = z.infer<typeof AndonKpis>;

export const ScreenKpi = z.object({
  screen: z.string(),
  kind: z.enum(screenKinds),
  samples: z.number(),
  latencyP50Ms: z.nullable(z.number()),
  latencyP95Ms: z.nullable(z.number()),
  lastHeartbeatAt: z.string(),
  newestMessageAt: z.nullable(z.string()),
  /** Seconds from the newest message the screen holds to the moment of this answer. */
  dataAgeSeconds: z.nullable(z.number()),
});
export type ScreenKpi = z.infer<typeof ScreenKpi>;

export const KpisView = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  computedAt: z.string(),
  onTimeDelivery: OnTimeDelivery,
  planAdherence: PlanAdherence,
  andon: AndonKpis,
  screens: z.array(ScreenKpi),
});
export type KpisView = z.infer<typeof KpisView>;

/** What each figure means: the OpenAPI document and the README say the same. */
export const KPI_DEFINITIONS = [
  'onTimeDelivery: orders completed in [from, to) whose completion is at or before their due date, over the orders completed in [from, to); daily: the same per plant-calendar day (plant time zone), every day of the period listed, share null on a day without completions.',
  `planAdherence: an order completed in [from, to) adhered to the plan when it completed within ${PLAN_ADHERENCE_TOLERANCE_MINUTES} minutes (either side) of the ETA it had when its completion day began (plant time zone): the last ETA recorded before that midnight, or for an order first planned that day its first ETA; orders never given an ETA are not counted (planned counts those that were).`,
  'andon: alerts raised in [from, to), cancelled ones left out; pareto: count per reason, largest first, with its share and the cumulative share; meanMinutesToAcknowledge: mean of raised -> acknowledged over those acknowledged; meanMinutesToResolve: mean of raised -> resolved over those resolved (also per reason).',
  "screens: every screen that sent POST /screens/heartbeat for a minute in [from, to); latency is commit -> arrival of each live stream message (the message's emittedAt, its commit instant, against the screen's clock corrected to the server's), reported per minute as p50 / p95; the period's latencyP50Ms is the samples-weighted median of the minutes' p50, latencyP95Ms the samples-weighted 95th percentile of the minutes' p95; dataAgeSeconds is the time from the newest message the screen reported holding to this answer.",
] as const;
