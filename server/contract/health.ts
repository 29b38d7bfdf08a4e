import * as z from 'zod/mini';

const healthStates = ['ok', 'degraded'] as const;

/**
 * GET /health. Anonymous callers (load balancers) get the status alone; a valid token adds the
 * database, worker, latest plan per plant and memory figures.
 */
export const HealthView = z.union([
  z.object({
    status: z.enum(healthStates),
    database: z.enum(['ok', 'unavailable']),
    /** external: this process runs no worker; stalled: its heartbeat stopped. */
    worker: z.enum(['external', 'ok', 'stalled']),
    pendingReschedules: z.nullable(z.number()),
    schedule: z.array(z.object({ plant: z.string(), version: z.number(), computedAt: z.string() })),
    time: z.string(),
    memory: z.object({
      rssMiB: z.number(),
      heapUsedMiB: z.number(),
      heapTotalMiB: z.number(),
      externalMiB: z.number(),
      /** The engine threads' own heaps (plan, ETA spread, preview): not in heapUsedMiB, but in rssMiB. */
      threads: z.array(z.object({ name: z.string(), heapUsedMiB: z.number() })),
    }),
  }),
  z.object({ status: z.enum(healthStates) }),
]);
export type HealthView = z.infer<typeof HealthView>;
