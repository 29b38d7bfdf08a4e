import { sql } from 'kysely';
import type { AndonFigures } from '../contract/escalation.ts';
import type { Queryable } from '../db/connect.ts';

/**
 * Count and mean response times per reason and work center, for alerts raised in [from, to).
 * Cancelled alerts were mistakes, not problems, and are left out.
 */
export async function andonFigures(db: Queryable, plantId: number, from: Date, to: Date): Promise<AndonFigures> {
  const result = await sql<{ reason: string; work_center_code: string; count: number; ack: number | null; resolve: number | null }>`
    select reason, work_center_code, count(*)::int as count,
      (avg(extract(epoch from acknowledged_at - raised_at)) filter (where acknowledged_at is not null) / 60)::float8 as ack,
      (avg(extract(epoch from resolved_at - raised_at)) filter (where resolved_at is not null) / 60)::float8 as resolve
    from andon
    where plant_id = ${plantId} and raised_at >= ${from} and raised_at < ${to} and state <> 'cancelled'
    group by reason, work_center_code
    order by reason, work_center_code`.execute(db);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    rows: result.rows.map((r) => ({
      reason: r.reason,
      workCenter: r.work_center_code,
      count: r.count,
      meanMinutesToAcknowledge: r.ack,
      meanMinutesToResolve: r.resolve,
    })),
  };
}
