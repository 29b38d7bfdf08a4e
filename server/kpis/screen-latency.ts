import { sql } from 'kysely';
import type { ScreenKpi } from '../contract/kpis.ts';
import type { ScreenKind } from '../contract/screens.ts';
import type { Queryable } from '../db/connect.ts';

/**
 * Per screen heard from in [from, to): the samples-weighted median of its minutes' p50 and the
 * samples-weighted 95th percentile of their p95 (the smallest value reached by that share of the
 * samples), and how old its data is now.
 */
export async function screenKpis(db: Queryable, plantId: number, from: Date, to: Date, now: Date): Promise<ScreenKpi[]> {
  const result = await sql<{
    screen: string;
    kind: ScreenKind;
    samples: number;
    p50: number | null;
    p95: number | null;
    last_heartbeat_at: Date;
    newest_message_at: Date | null;
  }>`
    with period as (
      select screen, kind, minute, samples, p50_ms, p95_ms, reported_at
      from screen_latency
      where plant_id = ${plantId} and minute >= ${from} and minute < ${to}
    ), totals as (
      select screen, sum(samples)::int as samples, max(reported_at) as last_heartbeat_at,
        (array_agg(kind order by minute desc))[1] as kind
      from period group by screen
    ), p50s as (
      select screen, p50_ms,
        sum(samples) over (partition by screen order by p50_ms, minute) as running,
        sum(samples) over (partition by screen) as total
      from period where samples > 0
    ), p95s as (
      select screen, p95_ms,
        sum(samples) over (partition by screen order by p95_ms, minute) as running,
        sum(samples) over (partition by screen) as total
      from period where samples > 0
    )
    select t.screen, t.kind, t.samples, t.last_heartbeat_at,
      (select min(p50_ms) from p50s where p50s.screen = t.screen and running >= 0.5 * total)::float8 as p50,
      (select min(p95_ms) from p95s where p95s.screen = t.screen and running >= 0.95 * total)::float8 as p95,
      (select max(newest_message_at) from screen_latency s
        where s.plant_id = ${plantId} and s.screen = t.screen and s.minute < ${to}) as newest_message_at
    from totals t
    order by t.screen`.execute(db);
  return result.rows.map((r) => ({
    screen: r.screen,
    kind: r.kind,
    samples: r.samples,
    latencyP50Ms: r.p50,
    latencyP95Ms: r.p95,
    lastHeartbeatAt: r.last_heartbeat_at.toISOString(),
    newestMessageAt: r.newest_message_at?.toISOString() ?? null,
    dataAgeSeconds: r.newest_message_at ? Math.max(0, (now.getTime() - r.newest_message_at.getTime()) / 1000) : null,
  }));
}
