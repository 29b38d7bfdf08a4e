import * as z from 'zod/mini';
import { IsoInstant } from './common.ts';

/** Screens that hold a live stream and report how far behind it they are. */
export const screenKinds = ['board', 'station', 'console'] as const;
export type ScreenKind = (typeof screenKinds)[number];

/** Latencies beyond an hour are not a slow screen but a broken clock correction: refused. */
const LatencyMs = z.number().check(z.gte(0), z.lte(3_600_000));

/**
 * POST /screens/heartbeat, every 30 s from each live screen: the stream messages it received since
 * its last beat (`samples`), their latency from commit to arrival (p50 / p95, in milliseconds, on the
 * server's clock: see ui/lib/live/sync-latency.ts), and the commit instant of the newest message it
 * holds. With no samples both latencies are null.
 */
export const ScreenHeartbeatBody = z
  .object({
    screen: z.string().check(z.minLength(1), z.maxLength(120), z.regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:*]*$/)),
    kind: z.enum(screenKinds),
    samples: z.number().check(z.int(), z.gte(0), z.lte(1_000_000)),
    latencyP50Ms: z.nullable(LatencyMs),
    latencyP95Ms: z.nullable(LatencyMs),
    newestMessageAt: z.nullable(IsoInstant),
  })
  .check(
    z.refine((b) => (b.samples === 0) === (b.latencyP50Ms === null), { path: ['latencyP50Ms'], message: 'latencyP50Ms is null exactly when samples is 0' }),
    z.refine((b) => (b.samples === 0) === (b.latencyP95Ms === null), { path: ['latencyP95Ms'], message: 'latencyP95Ms is null exactly when samples is 0' }),
    z.refine((b) => b.latencyP50Ms === null || b.latencyP95Ms === null || b.latencyP95Ms >= b.latencyP50Ms, { path: ['latencyP95Ms'], message: 'latencyP95Ms must not be below latencyP50Ms' }),
  );
export type ScreenHeartbeatBody = z.infer<typeof ScreenHeartbeatBody>;

/**
 * The answer carries the server's clock: the screen takes its offset as serverTime minus the middle
 * of the request's round trip (as NTP does), and corrects its next latencies by it.
 */
export const ScreenHeartbeatView = z.object({ serverTime: z.string() });
export type ScreenHeartbeatView = z.infer<typeof ScreenHeartbeatView>;
