import { sql, type RawBuilder } from 'kysely';
import { stopsWorkCenter } from '../../contract/andon-effects.ts';
import { andonReasons, openAndonStates } from '../../contract/andon.ts';
import type { Queryable, Trx } from '../connect.ts';

/**
 * Whether an open alert explains why the operation `o` (a row alias with order_id, seq,
 * work_center_code, machine) has not started: one naming it (a material or quality hold, or any alert
 * about that job), or one that stops its work center or its machine (contract/andon-effects.ts). An
 * explained wait is not a late start, and the count restarts from the plan made after it.
 */
export function explainedByOpenAlert(plantId: number, o: string): RawBuilder<boolean> {
  const stopping = andonReasons.filter(stopsWorkCenter);
  const ref = (column: string) => sql.ref(`${o}.${column}`);
  return sql<boolean>`exists (
    select 1 from andon a
    where a.plant_id = ${plantId} and a.state in (${sql.join([...openAndonStates])})
      and ((a.order_id = ${ref('order_id')} and a.seq = ${ref('seq')})
        or (a.work_center_code = ${ref('work_center_code')} and a.reason in (${sql.join(stopping)})
            and (a.machine is null or a.machine = ${ref('machine')}))))`;
}

/**
 * Whether an earlier operation of the same order has not started: the wait is that one's, and its
 * own notice covers the chain (the rest of the routing is not told late one by one).
 */
export function waitsForEarlierOperation(o: string): RawBuilder<boolean> {
  return sql<boolean>`exists (
    select 1 from operation prev
    where prev.order_id = ${sql.ref(`${o}.order_id`)} and prev.seq < ${sql.ref(`${o}.seq`)} and prev.status = 'pending')`;
}

/**
 * Late starts (migration 0018) are counted from the start the plan had when it came, not from the
 * live plan: every re-plan slides an operation that has not started to "now", so the live plan alone
 * never shows one in the past. A plan about to replace the current one (scheduler/tasks/save-plan.ts)
 * first keeps, for each operation the current plan had starting by now and that has not started, that
 * start. The first one kept stays: a later re-plan moving the start does not reset the count.
 */
export async function keepDueStarts(trx: Trx, plantId: number, now: Date): Promise<void> {
  await sql`
    insert into late_start (order_id, seq, plant_id, work_center_code, machine, planned_start_at)
    select pl.order_id, pl.seq, ${plantId}, pl.work_center_code, pl.machine, pl.start_at
    from planned_operation pl
    join operation op on op.order_id = pl.order_id and op.seq = pl.seq and op.status = 'pending'
    where pl.version_id = (select max(id) from schedule_version where plant_id = ${plantId})
      and pl.start_at <= ${now.toISOString()}::timestamptz
      and not ${explainedByOpenAlert(plantId, 'pl')}
      and not ${waitsForEarlierOperation('pl')}
    on conflict (order_id, seq) do nothing`.execute(trx);
}

/** Forgets the kept starts, not yet told, of operations an open alert now explains. */
export async function forgetExplainedStarts(trx: Trx, plantId: number): Promise<void> {
  await sql`delete from late_start ls where ls.plant_id = ${plantId} and ls.told_at is null and ${explainedByOpenAlert(plantId, 'ls')}`.execute(trx);
}

/** An operation the floor was told started late and that still has not started: its board mark. */
export interface LateStartMarkRow {
  order: string;
  seq: number;
  work_center_code: string;
  machine: number | null;
  planned_start_at: Date;
  minutes_late: number;
}

export async function selectLateStartMarks(db: Queryable, plantId: number): Promise<LateStartMarkRow[]> {
  const { rows } = await sql<LateStartMarkRow>`
    select o.code as "order", ls.seq, ls.work_center_code, ls.machine, ls.planned_start_at, ls.minutes_late
    from late_start ls
    join operation op on op.order_id = ls.order_id and op.seq = ls.seq and op.status = 'pending'
    join customer_order o on o.id = ls.order_id and o.status = 'open'
    where ls.plant_id = ${plantId} and ls.told_at is not null
    order by ls.planned_start_at, o.code, ls.seq`.execute(db);
  return rows;
}
