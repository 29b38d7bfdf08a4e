import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * What Takt keeps, and for how long (the README states the same):
 * - stream messages: the last 24 hours, and never fewer than each plant's newest 20,000 (a client
 *   away longer is told to reload its snapshot, as it is past 20,000 missed messages anyway);
 * - notifications: 90 days;
 * - screens' latency minutes (screen_latency): 90 days, as the notifications;
 * - the channels' delivery log (delivery, delivery_attempt): 90 days, as the notices it carried;
 *   a delivery still pending is kept however old (its retries are not over);
 * - schedule versions: the newest 20 per plant (scheduler/tasks/save-plan.ts);
 * - the event log, orders, ETA history and pins: forever (they are the plant's record).
 */
export const retention = { streamHours: 24, streamLatest: 20_000, notificationDays: 90 } as const;

const DELETE_BATCH = 20_000;

export interface PruneResult {
  streamMessages: number;
  notifications: number;
  screenLatencyMinutes: number;
  deliveries: number;
}

/** Deletes what the retention rule no longer keeps; small batches, so no lock is held for long. */
export async function pruneHistory(db: Db, now: Date, rule: { streamHours: number; streamLatest: number; notificationDays: number } = retention): Promise<PruneResult> {
  const result: PruneResult = { streamMessages: 0, notifications: 0, screenLatencyMinutes: 0, deliveries: 0 };
  const plants = await db.selectFrom('plant').select('id').execute();
  const before = new Date(now.getTime() - rule.streamHours * 3_600_000);
  for (const { id: plantId } of plants) {
    const row = await sql<{ cutoff: string | null }>`
      select least(
        (select max(id) from stream_message where plant_id = ${plantId} and emitted_at < ${before}),
        -- ids are shared by every plant: the plant's newest N are found by counting, not by subtracting
        -- (least() skips nulls: fewer than N messages must mean "keep all", hence 0)
        coalesce((select id from stream_message where plant_id = ${plantId} order by id desc offset ${rule.streamLatest} limit 1), 0)
      )::text as cutoff`.execute(db);
    const cutoff = row.rows[0]?.cutoff;
    if (!cutoff || Number(cutoff) <= 0) continue;
    // The watermark first: a client resuming from before it is reset, never replayed around a hole.
    await db
      .insertInto('stream_retention')
      .values({ plant_id: plantId, pruned_through: cutoff, pruned_at: now })
      .onConflict((oc) => oc.column('plant_id').doUpdateSet({ pruned_through: sql`greatest(stream_retention.pruned_through, excluded.pruned_through)`, pruned_at: now }))
      .execute();
    for (;;) {
      const deleted = await sql`
        delete from stream_message where id in (
          select id from stream_message where plant_id = ${plantId} and id <= ${cutoff}::bigint order by id limit ${DELETE_BATCH})`.execute(db);
      const n = Number(deleted.numAffectedRows ?? 0n);
      result.streamMessages += n;
      if (n < DELETE_BATCH) break;
    }
  }
  const notificationsBefore = new Date(now.getTime() - rule.notificationDays * 86_400_000);
  const deleted = await db.deleteFrom('notification').where('created_at', '<', notificationsBefore).executeTakeFirst();
  result.notifications = Number(deleted.numDeletedRows);
  const minutes = await db.deleteFrom('screen_latency').where('minute', '<', notificationsBefore).executeTakeFirst();
  result.screenLatencyMinutes = Number(minutes.numDeletedRows);
  result.deliveries = await pruneDeliveries(db, notificationsBefore);
  return result;
}

/** Old, settled deliveries with their attempts; a digest goes only with all its members. */
async function pruneDeliveries(db: Db, before: Date): Promise<number> {
  return await db.transaction().execute(async (trx) => {
    const old = sql`select d.id from delivery d where d.created_at < ${before} and d.state <> 'pending'
      and not exists (select 1 from delivery m where m.digest_id = d.id and (m.created_at >= ${before} or m.state = 'pending'))
      and (d.digest_id is null or exists (select 1 from delivery g where g.id = d.digest_id and g.created_at < ${before} and g.state <> 'pending'))`;
    await sql`delete from delivery_attempt where delivery_id in (${old})`.execute(trx);
    const deleted = await sql`delete from delivery where id in (${old})`.execute(trx);
    return Number(deleted.numAffectedRows ?? 0n);
  });
}
