import * as z from 'zod/mini';
import { Code, IsoInstant } from './common.ts';

export const quoteModes = ['keep-promises', 'earliest'] as const;
export type QuoteMode = (typeof quoteModes)[number];

/** POST /quotes: "when could we deliver N of this?" */
export const QuoteBody = z.object({
  product: Code,
  quantity: z.int().check(z.gte(1), z.lte(10_000_000)),
  customer: z.optional(z.string().check(z.maxLength(120))),
  priority: z._default(z.int().check(z.gte(1), z.lte(10)), 1),
  /** When the customer would like it: the answer says whether the quote meets it. */
  wantedBy: z.optional(IsoInstant),
  mode: z._default(z.enum(quoteModes), 'keep-promises'),
});
export type QuoteBody = z.infer<typeof QuoteBody>;

/** An existing order the candidate would delay. */
export const QuoteImpactView = z.object({
  order: z.string(),
  etaBefore: IsoInstant,
  etaAfter: IsoInstant,
  lateBefore: z.boolean(),
  lateAfter: z.boolean(),
});
export type QuoteImpactView = z.infer<typeof QuoteImpactView>;

export const QuoteView = z.object({
  id: z.string(),
  product: z.string(),
  quantity: z.int(),
  customer: z.nullable(z.string()),
  mode: z.enum(quoteModes),
  /** The plan's date: the plan with this order in it ends it by then (the mode's rule kept). */
  eta: IsoInstant,
  /** The 90 % date: nine in ten sampled futures of that plan end it by then (never before eta); null when none could be sampled. */
  etaP90: z.nullable(IsoInstant),
  /**
   * The date to promise the customer: the 90 % date (eta when there is none). An order created from
   * the quote takes it as its due date. The plan's eta alone is met about half the time once the
   * floor's breakdowns, holds and slow jobs happen (npm run bench:eta).
   */
  promiseAt: IsoInstant,
  wantedBy: z.nullable(IsoInstant),
  /** Whether promiseAt is on or before wantedBy (null without wantedBy). */
  meetsWantedBy: z.nullable(z.boolean()),
  /** The order created from the quote is released then (keep-promises may hold it back). */
  releaseAt: IsoInstant,
  /** The priority it was planned with (raised for "earliest"): the order is created with it. */
  priority: z.int(),
  impacts: z.array(QuoteImpactView),
  solveMs: z.number(),
  createdAt: IsoInstant,
  expiresAt: IsoInstant,
  /** The order created from it, once one is. */
  order: z.nullable(z.string()),
});
export type QuoteView = z.infer<typeof QuoteView>;
