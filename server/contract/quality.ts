import * as z from 'zod/mini';

/** How the scrap Pareto groups what the floor reported as scrap. */
export const scrapGroupings = ['workCenter', 'product', 'reason'] as const;
export type ScrapGrouping = (typeof scrapGroupings)[number];

/** GET /quality/scrap: scrap reported in [from, to) (default the last 7 days), grouped by `by` (default reason). */
export const ScrapParetoQuery = z.object({
  from: z.optional(z.iso.datetime({ offset: true })),
  to: z.optional(z.iso.datetime({ offset: true })),
  by: z.optional(z.enum(scrapGroupings)),
});

export const ScrapParetoRow = z.object({
  /** The work center or product code, or the reason as typed; null: a report with no reason given. */
  key: z.nullable(z.string()),
  /** The work center's or product's name; null for reasons. */
  name: z.nullable(z.string()),
  /** Floor reports that carried scrap. */
  reports: z.number(),
  quantity: z.number(),
  /** This row's part of all scrap in the period, 0..1. */
  share: z.number(),
  /** This row's and every larger one's, 0..1: the Pareto line. */
  cumulativeShare: z.number(),
});
export type ScrapParetoRow = z.infer<typeof ScrapParetoRow>;

/** Largest first (ties by key, no reason last), so the cumulative share climbs to 1. */
export const ScrapPareto = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(scrapGroupings),
  totalQuantity: z.number(),
  totalReports: z.number(),
  rows: z.array(ScrapParetoRow),
});
export type ScrapPareto = z.infer<typeof ScrapPareto>;
