import * as z from 'zod/mini';
import { IsoInstant } from './common.ts';

/** A machine's lifetime counters: whole parts, never negative, exact in a double. */
const Counter = z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));

/**
 * One counter message on `takt/<plant>/<machine>/counter`: a JSON object `{count, scrap?, at?}` or
 * a bare number (the count). `count` is the machine's monotonic counter of good parts, `scrap` its
 * monotonic counter of rejects; both are totals, not deltas, so a lost message loses nothing and a
 * repeated one adds nothing. `at` is when the machine counted (else: when Takt received it).
 * A counter that falls to near zero, or comes with `boot: true`, is a reset; a smaller step back is a
 * late message and counts nothing.
 */
export const MachineCounterMessage = z.object({
  count: Counter,
  scrap: z.optional(Counter),
  at: z.optional(IsoInstant),
  /** The machine restarted and counts from 0 again: a counter below the last one is a reset, not late. */
  boot: z.optional(z.boolean()),
});
export type MachineCounterMessage = z.infer<typeof MachineCounterMessage>;

/**
 * What became of one counter message (the subscriber counts each kind). `superseded`: dropped
 * unread while its machine's queue was full, a newer running total of the same machine behind it.
 */
export const counterOutcomes = ['progress', 'duplicate', 'unchanged', 'reset', 'stale', 'unmatched', 'unknown_machine', 'malformed', 'rejected', 'superseded'] as const;
export type CounterOutcome = (typeof counterOutcomes)[number];
