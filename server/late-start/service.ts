import { sql } from 'kysely';
import type { LateStartNoticeData } from '../contract/notifications.ts';
import type { OutgoingMessage } from '../contract/stream.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import { jsonb } from '../db/jsonb.ts';
import { explainedByOpenAlert, forgetExplainedStarts, waitsForEarlierOperation } from '../db/repositories/late-starts.ts';
import { selectNotifications, toNotificationView } from '../db/repositories/notifications.ts';
import { publish } from '../outbox/stream-messages.ts';

const MINUTE = 60_000;

interface Due {
  order_id: string;
  seq: number;
  order: string;
  work_center_code: string;
  machine: number | null;
  planned_start_at: Date;
}

/**
 * The plant's operations that have not started, whose start counts (kept when it came, or the live
 * plan's) plus the work center's `late_start_minutes` is at or before `now`, not yet told, not
 * explained by an open alert, and not waiting for an earlier operation of the order to start.
 */
/** How far after now the live plan may start an operation and still want it running now. */
const LIVE_START_GRACE_MINUTES = 5;

function dueQuery(db: Queryable, plantId: number, now: Date) {
  return sql<Due>`
    with plan as (select max(id) as id from schedule_version where plant_id = ${plantId}),
    counted as (
      select op.order_id, op.seq, o.code as "order", op.work_center_code, wc.late_start_minutes,
             coalesce(ls.planned_start_at, pl.start_at) as planned_start_at,
             coalesce(ls.machine, pl.machine) as machine, pl.start_at as live_start_at
      from operation op
      join customer_order o on o.id = op.order_id and o.status = 'open'
      join work_center wc on wc.plant_id = op.plant_id and wc.code = op.work_center_code
      left join late_start ls on ls.order_id = op.order_id and ls.seq = op.seq
      left join planned_operation pl on pl.version_id = (select id from plan) and pl.order_id = op.order_id and pl.seq = op.seq
      where op.plant_id = ${plantId} and op.status = 'pending' and ls.told_at is null
    )
    select c.order_id, c.seq, c."order", c.work_center_code, c.machine, c.planned_start_at
    from counted c
    where c.planned_start_at + make_interval(mins => c.late_start_minutes) <= ${now.toISOString()}::timestamptz
      -- The live plan still wants it running now (a re-plan puts work that waits for nothing at "now";
      -- the grace covers a machine finishing the job before). One the plan moved later on purpose (a
      -- rush order ahead of it, a forecast shortage) is not late: the plan says when it starts.
      and (c.live_start_at is null or c.live_start_at <= ${now.toISOString()}::timestamptz + interval '${sql.raw(String(LIVE_START_GRACE_MINUTES))} minutes')
      and not ${explainedByOpenAlert(plantId, 'c')}
      and not ${waitsForEarlierOperation('c')}
    order by c.planned_start_at, c."order", c.seq`.execute(db);
}

/**
 * Tells the floor (leads and planners: audience `floor`) of every operation that is late to start at
 * `now`, once per operation, and announces it on the stream: the notice, which boards also read to
 * mark the work center's tile until the operation starts. `now` is the caller's clock (the worker's,
 * or a test's). The `told_at` set under the operation's key is the "once": a concurrent run finds it
 * told and says nothing. Returns what was told.
 */
export async function tellLateStarts(trx: Trx, plantId: number, now: Date): Promise<LateStartNoticeData[]> {
  await forgetExplainedStarts(trx, plantId);
  // A kept start the live plan has since moved later on purpose (a pin, a rush order ahead, a
  // forecast shortage) is forgotten: the count restarts from the start the plan gives it now.
  await sql`
    delete from late_start ls using planned_operation pl
    where ls.plant_id = ${plantId} and ls.told_at is null
      and pl.version_id = (select max(id) from schedule_version where plant_id = ${plantId})
      and pl.order_id = ls.order_id and pl.seq = ls.seq
      and pl.start_at > ${now.toISOString()}::timestamptz + interval '${sql.raw(String(LIVE_START_GRACE_MINUTES))} minutes'`.execute(trx);
  const { rows } = await dueQuery(trx, plantId, now);
  const told: LateStartNoticeData[] = [];
  const messages: OutgoingMessage[] = [];
  for (const due of rows) {
    const minutesLate = Math.floor((now.getTime() - due.planned_start_at.getTime()) / MINUTE);
    const claimed = await sql<{ seq: number }>`
      insert into late_start (order_id, seq, plant_id, work_center_code, machine, planned_start_at, told_at, minutes_late)
      values (${due.order_id}, ${due.seq}, ${plantId}, ${due.work_center_code}, ${due.machine}, ${due.planned_start_at.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${minutesLate})
      on conflict (order_id, seq) do update set told_at = excluded.told_at, minutes_late = excluded.minutes_late
        where late_start.told_at is null
      returning seq`.execute(trx);
    if (claimed.rows.length === 0) continue;
    const data: LateStartNoticeData = {
      order: due.order,
      seq: due.seq,
      workCenter: due.work_center_code,
      machine: due.machine,
      plannedStart: due.planned_start_at.toISOString(),
      minutesLate,
    };
    const inserted = await trx
      .insertInto('notification')
      .values({ plant_id: plantId, kind: 'operation.late_start', audience: 'floor', order_id: due.order_id, data: jsonb(data), created_at: now, read_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await selectNotifications(trx, plantId).where('n.id', '=', inserted.id).executeTakeFirstOrThrow();
    messages.push({ topic: 'notification', cause: `${due.order}/${due.seq}`, data: toNotificationView(row) });
    told.push(data);
  }
  if (messages.length) await publish(trx, plantId, messages);
  return told;
}

/**
 * When the next operation of the plant comes due, as the plan stands: the worker sets its timer to
 * it, so a notice goes out at its minute rather than at the next sweep. Null: nothing pending.
 */
export async function nextLateStartDue(db: Queryable, plantId: number, now: Date): Promise<Date | null> {
  const { rows } = await sql<{ due: Date | null }>`
    with plan as (select max(id) as id from schedule_version where plant_id = ${plantId})
    select min(coalesce(ls.planned_start_at, pl.start_at) + make_interval(mins => wc.late_start_minutes)) as due
    from operation op
    join customer_order o on o.id = op.order_id and o.status = 'open'
    join work_center wc on wc.plant_id = op.plant_id and wc.code = op.work_center_code
    left join late_start ls on ls.order_id = op.order_id and ls.seq = op.seq
    left join planned_operation pl on pl.version_id = (select id from plan) and pl.order_id = op.order_id and pl.seq = op.seq
    where op.plant_id = ${plantId} and op.status = 'pending' and ls.told_at is null
      and coalesce(ls.planned_start_at, pl.start_at) + make_interval(mins => wc.late_start_minutes) > ${now.toISOString()}::timestamptz`.execute(db);
  return rows[0]?.due ?? null;
}
