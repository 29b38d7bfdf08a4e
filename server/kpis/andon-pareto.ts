import { sql } from 'kysely';
import type { AndonKpis } from '../contract/kpis.ts';
import type { Queryable } from '../db/connect.ts';

/**
 * Alerts raised in [from, to) by reason, largest first, with the response times. Cancelled alerts
 * were mistakes, not problems (as in GET /andon/figures).
 */
export async function andonKpis(db: Queryable, plantId: number, from: Date, to: Date): Promise<AndonKpis> {
  const result = await sql<{ reason: string; count: number; acknowledged: number; resolved: number; ack_seconds: number | null; resolve_seconds: number | null }>`
    select reason, count(*)::int as count,
      (count(*) filter (where acknowledged_at is not null))::int as acknowledged,
      (count(*) filter (where resolved_at is not null))::int as resolved,
      (sum(extract(epoch from acknowledged_at - raised_at)))::float8 as ack_seconds,
      (sum(extract(epoch from resolved_at - raised_at)))::float8 as resolve_seconds
    from andon
    where plant_id = ${plantId} and raised_at >= ${from} and raised_at < ${to} and state <> 'cancelled'
    group by reason
    order by count(*) desc, reason`.execute(db);
  const rows = result.rows;
  const count = rows.reduce((n, r) => n + r.count, 0);
  const acknowledged = rows.reduce((n, r) => n + r.acknowledged, 0);
  const resolved = rows.reduce((n, r) => n + r.resolved, 0);
  const meanMinutes = (seconds: number, n: number) => (n === 0 ? null : seconds / n / 60);
  let running = 0;
  const pareto = rows.map((r) => {
    running += r.count;
    return {
      reason: r.reason,
      count: r.count,
      share: r.count / count,
      cumulativeShare: running / count,
      meanMinutesToAcknowledge: meanMinutes(r.ack_seconds ?? 0, r.acknowledged),
      meanMinutesToResolve: meanMinutes(r.resolve_seconds ?? 0, r.resolved),
    };
  });
  return {
    count,
    acknowledged,
    resolved,
    meanMinutesToAcknowledge: meanMinutes(rows.reduce((s, r) => s + (r.ack_seconds ?? 0), 0), acknowledged),
    meanMinutesToResolve: meanMinutes(rows.reduce((s, r) => s + (r.resolve_seconds ?? 0), 0), resolved),
    pareto,
  };
}
