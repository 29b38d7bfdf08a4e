import { sql } from 'kysely';
import { PLAN_ADHERENCE_TOLERANCE_MINUTES, type OnTimeDelivery, type PlanAdherence } from '../contract/kpis.ts';
import type { Queryable } from '../db/connect.ts';

const shareOf = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * Orders completed in [from, to), on time when completed at or before their due date; per plant day
 * too, every day of the period listed (a chart needs its empty days).
 */
export async function onTimeDelivery(db: Queryable, plantId: number, timeZone: string, from: Date, to: Date): Promise<OnTimeDelivery> {
  const result = await sql<{ day: string; completed: number; on_time: number }>`
    with days as (
      select d::date as day,
        greatest(d at time zone ${timeZone}, ${from}::timestamptz) as day_from,
        least((d + interval '1 day') at time zone ${timeZone}, ${to}::timestamptz) as day_to
      from generate_series(
        date_trunc('day', ${from}::timestamptz at time zone ${timeZone}),
        date_trunc('day', (${to}::timestamptz - interval '1 microsecond') at time zone ${timeZone}),
        interval '1 day') as d
    )
    select to_char(days.day, 'YYYY-MM-DD') as day, count(o.id)::int as completed,
      (count(o.id) filter (where o.completed_at <= o.due_at))::int as on_time
    from days
    left join customer_order o
      on o.plant_id = ${plantId} and o.completed_at >= days.day_from and o.completed_at < days.day_to
    group by days.day
    order by days.day`.execute(db);
  const daily = result.rows.map((r) => ({ day: r.day, completed: r.completed, onTime: r.on_time, share: shareOf(r.on_time, r.completed) }));
  const completed = daily.reduce((n, d) => n + d.completed, 0);
  const onTime = daily.reduce((n, d) => n + d.onTime, 0);
  return { completed, onTime, share: shareOf(onTime, completed), daily };
}

/**
 * Orders completed in [from, to) against the ETA they had when their completion day began: the plan
 * the floor was given that morning (order_eta_history keeps every ETA that moved, for good). An order
 * first planned during that day is held to its first ETA of the day.
 */
export async function planAdherence(db: Queryable, plantId: number, timeZone: string, from: Date, to: Date): Promise<PlanAdherence> {
  const result = await sql<{ planned: number; adhered: number }>`
    with completed as (
      select o.id, o.completed_at,
        date_trunc('day', o.completed_at at time zone ${timeZone}) at time zone ${timeZone} as day_start
      from customer_order o
      where o.plant_id = ${plantId} and o.completed_at >= ${from} and o.completed_at < ${to}
    ), held as (
      select c.completed_at, coalesce(
        (select h.eta from order_eta_history h
          where h.order_id = c.id and h.eta is not null and h.at <= c.day_start order by h.at desc, h.id desc limit 1),
        (select h.eta from order_eta_history h
          where h.order_id = c.id and h.eta is not null and h.at > c.day_start and h.at <= c.completed_at order by h.at, h.id limit 1)
      ) as eta
      from completed c
    )
    select (count(*) filter (where eta is not null))::int as planned,
      (count(*) filter (where abs(extract(epoch from completed_at - eta)) <= ${PLAN_ADHERENCE_TOLERANCE_MINUTES * 60}))::int as adhered
    from held`.execute(db);
  const { planned, adhered } = result.rows[0] ?? { planned: 0, adhered: 0 };
  return { toleranceMinutes: PLAN_ADHERENCE_TOLERANCE_MINUTES, planned, adhered, share: shareOf(adhered, planned) };
}
