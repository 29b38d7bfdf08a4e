import { sql } from 'kysely';
import type { ScrapGrouping, ScrapPareto } from '../contract/quality.ts';
import type { Queryable } from '../db/connect.ts';

const groupKey = {
  workCenter: sql`op.work_center_code`,
  product: sql`o.product_code`,
  reason: sql`nullif(btrim(e.payload->>'scrapReason'), '')`,
} as const satisfies Record<ScrapGrouping, unknown>;

const groupName = {
  workCenter: sql<string | null>`(select wc.name from work_center wc where wc.plant_id = ${sql.raw('g.plant_id')} and wc.code = g.key)`,
  product: sql<string | null>`(select p.name from product p where p.plant_id = ${sql.raw('g.plant_id')} and p.code = g.key)`,
  reason: sql<string | null>`null::text`,
} as const satisfies Record<ScrapGrouping, unknown>;

interface Row {
  key: string | null;
  name: string | null;
  reports: number;
  quantity: number;
  running: number;
}

/**
 * The scrap Pareto, from the event log: every accepted floor report carrying scrap (a refused one
 * rolled back with its log row; a repeated client id was never logged twice) whose time falls in
 * [from, to), grouped in SQL, largest first with the running total for the cumulative line.
 */
export async function scrapPareto(db: Queryable, plantId: number, from: Date, to: Date, by: ScrapGrouping): Promise<ScrapPareto> {
  const { rows } = await sql<Row>`
    with scrap as (
      select ${groupKey[by]} as key, (e.payload->>'quantityScrap')::int as quantity
      from event_log e
      join customer_order o on o.plant_id = e.plant_id and o.code = e.payload->>'order'
      join operation op on op.order_id = o.id and op.seq = (e.payload->>'seq')::int
      where e.plant_id = ${plantId} and e.type like 'operation.%'
        and e.at >= ${from.toISOString()}::timestamptz and e.at < ${to.toISOString()}::timestamptz
        and coalesce((e.payload->>'quantityScrap')::int, 0) > 0
    ),
    g as (select ${plantId}::int as plant_id, key, count(*)::int as reports, sum(quantity)::int as quantity from scrap group by key)
    select g.key, ${groupName[by]} as name, g.reports, g.quantity,
      (sum(g.quantity) over (order by g.quantity desc, g.key asc nulls last rows unbounded preceding))::int as running
    from g
    order by g.quantity desc, g.key asc nulls last`.execute(db);
  const totalQuantity = rows.reduce((sum, r) => sum + r.quantity, 0);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    by,
    totalQuantity,
    totalReports: rows.reduce((sum, r) => sum + r.reports, 0),
    rows: rows.map((r) => ({
      key: r.key,
      name: r.name,
      reports: r.reports,
      quantity: r.quantity,
      share: r.quantity / totalQuantity,
      cumulativeShare: r.running / totalQuantity,
    })),
  };
}
