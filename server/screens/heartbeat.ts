import { sql } from 'kysely';
import type { ScreenHeartbeatBody } from '../contract/screens.ts';
import type { Trx } from '../db/connect.ts';

/**
 * Folds one beat into its screen's row for the current minute. Two beats in a minute merge: samples
 * add up, the p50 is their samples-weighted mean (an approximation, stated in the figures'
 * definition), the p95 the larger one, so a bad half-minute is never averaged away.
 */
export async function recordHeartbeat(trx: Trx, plantId: number, beat: ScreenHeartbeatBody, now: Date): Promise<void> {
  await sql`
    insert into screen_latency as s (plant_id, screen, kind, minute, samples, p50_ms, p95_ms, newest_message_at, reported_at)
    values (${plantId}, ${beat.screen}, ${beat.kind}, date_trunc('minute', ${now}::timestamptz), ${beat.samples},
      ${beat.latencyP50Ms}, ${beat.latencyP95Ms}, ${beat.newestMessageAt}::timestamptz, ${now})
    on conflict (plant_id, screen, minute) do update set
      kind = excluded.kind,
      samples = s.samples + excluded.samples,
      p50_ms = case
        when s.samples + excluded.samples = 0 then null
        else (coalesce(s.p50_ms, 0) * s.samples + coalesce(excluded.p50_ms, 0) * excluded.samples) / (s.samples + excluded.samples) end,
      p95_ms = greatest(s.p95_ms, excluded.p95_ms),
      newest_message_at = greatest(s.newest_message_at, excluded.newest_message_at),
      reported_at = greatest(s.reported_at, excluded.reported_at)`.execute(trx);
}
