import { sql } from 'kysely';
import type { ShortageNoticeData } from '../../contract/notifications.ts';
import type { OutgoingMessage } from '../../contract/stream.ts';
import type { Queryable, Trx } from '../connect.ts';
import { selectNotifications, toNotificationView } from './notifications.ts';

/**
 * What the shortage forecast reads, for the API (GET /shortages, the picking list) and the worker
 * (holds in the snapshot, shortage notices after a plan): the shapes are the engine's
 * (scheduler/engine/shortage-forecast.ts) without importing it, as the shared layer imports no scheduler.
 */

export interface MaterialsRead {
  bomOf: Map<string, { component: string; quantityPerUnit: number; seq: number }[]>;
  stock: Map<string, { onHand: number; arrivalAt: number | null }>;
  components: Map<string, { name: string; unit: string }>;
  /** First-seen instant of each shortage the forecast showed last (the holds' anchor). */
  anchors: Map<string, number>;
}

/** The plant's BOMs, stock and shortage anchors; `null` when no product has a BOM (nothing to forecast). */
export async function readMaterials(db: Queryable, plantId: number): Promise<MaterialsRead | null> {
  const lines = await db.selectFrom('bom_line').select(['product_code', 'component_code', 'seq', 'quantity_per_unit']).where('plant_id', '=', plantId).execute();
  if (!lines.length) return null;
  const [components, anchors] = await Promise.all([
    db.selectFrom('component').select(['code', 'name', 'unit', 'on_hand', 'arrival_at']).where('plant_id', '=', plantId).execute(),
    db.selectFrom('component_shortage').select(['component_code', 'needed_at']).where('plant_id', '=', plantId).execute(),
  ]);
  const bomOf = new Map<string, { component: string; quantityPerUnit: number; seq: number }[]>();
  for (const l of lines) {
    const list = bomOf.get(l.product_code) ?? [];
    list.push({ component: l.component_code, quantityPerUnit: l.quantity_per_unit, seq: l.seq });
    bomOf.set(l.product_code, list);
  }
  return {
    bomOf,
    stock: new Map(components.map((c) => [c.code, { onHand: c.on_hand, arrivalAt: c.arrival_at?.getTime() ?? null }])),
    components: new Map(components.map((c) => [c.code, { name: c.name, unit: c.unit }])),
    anchors: new Map(anchors.map((a) => [a.component_code, a.needed_at.getTime()])),
  };
}

/** A schedule version's open operations as demand: planned start and the units still to process. */
export async function plannedDemand(db: Queryable, versionId: string) {
  const rows = await db
    .selectFrom('planned_operation as pl')
    .innerJoin('customer_order as o', 'o.id', 'pl.order_id')
    .innerJoin('operation as op', (j) => j.onRef('op.order_id', '=', 'pl.order_id').onRef('op.seq', '=', 'pl.seq'))
    .select(['o.code', 'o.product_code', 'pl.seq', 'pl.work_center_code', 'pl.machine', 'pl.start_at', 'o.quantity', 'op.quantity_good', 'op.status'])
    .where('pl.version_id', '=', versionId)
    .where('o.status', '=', 'open')
    .where('op.status', '<>', 'completed')
    .execute();
  return rows.map((r) => ({
    order: r.code,
    seq: r.seq,
    product: r.product_code,
    workCenter: r.work_center_code,
    machine: r.machine,
    start: r.start_at.getTime(),
    running: r.status === 'running',
    // Scrapped units are made again, so they need material again: what is left is quantity - good.
    remaining: Math.max(0, r.quantity - r.quantity_good),
  }));
}

export interface ForecastShortage {
  component: string;
  neededAt: number;
  shortBy: number;
  orders: string[];
  workCenters: string[];
}

/**
 * Keeps the plant's shortage memory in step with a new plan's forecast, in the plan's transaction:
 * a component newly short is remembered (its first instant anchors the hold) and purchasing is told
 * once; one still short keeps its earliest instant; one no longer short is forgotten (told again if
 * it comes back). Returns the `notification` messages for the caller's publish and the components newly short.
 */
export async function recordShortages(
  trx: Trx,
  plantId: number,
  shortages: ForecastShortage[],
  units: Map<string, string>,
  now: Date,
  cause: string | null,
): Promise<{ messages: OutgoingMessage[]; fresh: string[] }> {
  const known = await trx.selectFrom('component_shortage').select(['component_code', 'needed_at']).where('plant_id', '=', plantId).execute();
  const knownAt = new Map(known.map((k) => [k.component_code, k.needed_at.getTime()]));
  const current = new Set(shortages.map((s) => s.component));
  const gone = known.filter((k) => !current.has(k.component_code)).map((k) => k.component_code);
  if (gone.length) await trx.deleteFrom('component_shortage').where('plant_id', '=', plantId).where('component_code', 'in', gone).execute();
  for (const s of shortages) {
    const at = knownAt.get(s.component);
    if (at !== undefined && s.neededAt < at) {
      await trx.updateTable('component_shortage').set({ needed_at: new Date(s.neededAt) }).where('plant_id', '=', plantId).where('component_code', '=', s.component).execute();
    }
  }
  const fresh = shortages.filter((s) => !knownAt.has(s.component));
  if (!fresh.length) return { messages: [], fresh: [] };
  await trx
    .insertInto('component_shortage')
    .values(fresh.map((s) => ({ plant_id: plantId, component_code: s.component, needed_at: new Date(s.neededAt), noticed_at: now })))
    .onConflict((oc) => oc.columns(['plant_id', 'component_code']).doNothing())
    .execute();
  const data = fresh.map(
    (s): ShortageNoticeData => ({
      component: s.component,
      neededAt: new Date(s.neededAt).toISOString(),
      shortBy: s.shortBy,
      unit: units.get(s.component) ?? '',
      orders: s.orders,
      workCenters: s.workCenters,
    }),
  );
  const inserted = await sql<{ id: string }>`
    insert into notification (plant_id, kind, audience, data, created_at)
    select ${plantId}, 'material.shortage', 'purchasing', x.data, ${now}
    from jsonb_array_elements(${JSON.stringify(data)}::text::jsonb) as x(data)
    returning id`.execute(trx);
  const views = await selectNotifications(trx, plantId)
    .where('n.id', 'in', inserted.rows.map((r) => String(r.id)))
    .orderBy('n.id')
    .execute();
  return { messages: views.map((row) => ({ topic: 'notification' as const, cause, data: toNotificationView(row) })), fresh: fresh.map((s) => s.component) };
}
