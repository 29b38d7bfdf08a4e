import type { Db, Trx } from '../db/connect.ts';
import { plannedDemand, readMaterials } from '../db/repositories/materials.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';
import { putProduct } from '../master-data/service.ts';
import { listShortages, putComponent, receive, setArrival } from '../materials/service.ts';
import { demoProducts } from './factory.ts';

/**
 * The demo's materials: components, the products' BOMs, and stock such that a few components run
 * short within the first hour of the plan (the short ones hold only a slice of what the open orders
 * need). The simulator keeps it alive: purchasing estimates an arrival for what runs short, and the
 * goods arrive, so the demo never runs dry.
 */

interface DemoComponent {
  code: string;
  name: string;
  unit: string;
  leadTimeDays: number;
  /** Share of the open orders' demand on hand at the start: a small share runs short within the first jobs. */
  cover: number;
}

const components: DemoComponent[] = [
  { code: 'STEEL-20', name: '圆钢 Round bar Ø20', unit: 'm', leadTimeDays: 3, cover: 3 },
  { code: 'STEEL-40', name: '圆钢 Round bar Ø40', unit: 'm', leadTimeDays: 5, cover: 0.02 },
  { code: 'SHEET-2', name: '冷轧板 Cold-rolled sheet 2 mm', unit: 'pcs', leadTimeDays: 4, cover: 0.05 },
  { code: 'BEARING-6204', name: '轴承 Bearing 6204', unit: 'pcs', leadTimeDays: 7, cover: 2.5 },
  { code: 'MOTOR-3KW', name: '电机 Motor 3 kW', unit: 'pcs', leadTimeDays: 10, cover: 0.2 },
  { code: 'PAINT-GRY', name: '油漆 Paint RAL 7035', unit: 'kg', leadTimeDays: 2, cover: 4 },
];

/** product -> [component, quantity per unit, routing step] */
const boms: Record<string, [string, number, number][]> = {
  'SHAFT-20': [['STEEL-20', 0.35, 1]],
  'SHAFT-35': [['STEEL-40', 0.45, 1]],
  'FLANGE-A': [['STEEL-40', 0.15, 1]],
  'HOUSING-S': [['BEARING-6204', 2, 5], ['PAINT-GRY', 0.4, 4]],
  'HOUSING-L': [['STEEL-40', 1.2, 1], ['BEARING-6204', 2, 6], ['PAINT-GRY', 0.6, 5]],
  BRACKET: [['SHEET-2', 0.25, 1], ['PAINT-GRY', 0.1, 4]],
  CABINET: [['SHEET-2', 3, 1], ['PAINT-GRY', 1.5, 4]],
  FRAME: [['STEEL-40', 4, 1], ['PAINT-GRY', 1.2, 5]],
  'PUMP-UNIT': [['MOTOR-3KW', 1, 3], ['BEARING-6204', 2, 3]],
  COVER: [['SHEET-2', 0.6, 1], ['PAINT-GRY', 0.3, 4]],
};

/** Seeds components, stock and BOMs once (also into a demo seeded before materials existed). */
export async function seedDemoMaterials(trx: Trx, plantId: number, now: Date): Promise<void> {
  const has = await trx.selectFrom('component').select('code').where('plant_id', '=', plantId).executeTakeFirst();
  if (has) return;
  const actor = { plantId, name: 'demo-seed' };
  const open = await trx
    .selectFrom('operation as op')
    .innerJoin('customer_order as o', 'o.id', 'op.order_id')
    .select(['o.product_code', 'op.seq', 'o.quantity', 'op.quantity_good'])
    .where('o.plant_id', '=', plantId)
    .where('o.status', '=', 'open')
    .where('op.status', '<>', 'completed')
    .execute();
  const demand = new Map<string, number>();
  for (const op of open) {
    for (const [component, perUnit, seq] of boms[op.product_code] ?? []) {
      if (seq === op.seq) demand.set(component, (demand.get(component) ?? 0) + Math.max(0, op.quantity - op.quantity_good) * perUnit);
    }
  }
  for (const c of components) {
    const need = demand.get(c.code) ?? 10;
    const onHand = Math.round(need * c.cover);
    await putComponent(trx, actor, c.code, { name: c.name, unit: c.unit, onHand, reorderPoint: Math.round(need * 0.5), leadTimeDays: c.leadTimeDays }, now);
  }
  for (const p of demoProducts) {
    const bom = (boms[p.code] ?? []).map(([component, quantityPerUnit, seq]) => ({ component, quantityPerUnit, seq }));
    await putProduct(trx, actor, p.code, { ...p.body, bom });
  }
}

const PURCHASING = { name: 'purchasing-simulator' };
const DAY = 86_400_000;

/**
 * Purchasing and goods-in, simulated: a component the plan runs short of, or whose books are already
 * below zero (a demo that ran before the floor checked its rack), gets an arrival estimate a few wall
 * minutes out; when it is due, the goods arrive: what the open plan needs of it within its lead time,
 * plus the reorder point, less what is on hand (a negative on-hand is made good too), and never less
 * than what the forecast lacks. So the receipt lasts until new orders eat into it, and a shortage
 * comes back now and then on the purchasing page.
 */
export async function replenishDemo(db: Db, plantId: number, now: Date, arrivalWallMs: number): Promise<void> {
  const [wanting, due] = await Promise.all([
    db
      .selectFrom('component as c')
      .select('c.code')
      .where('c.plant_id', '=', plantId)
      .where('c.arrival_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('c.on_hand', '<', 0),
          eb.exists(eb.selectFrom('component_shortage as s').select('s.component_code').whereRef('s.plant_id', '=', 'c.plant_id').whereRef('s.component_code', '=', 'c.code')),
        ]),
      )
      .orderBy('c.code')
      .execute(),
    db.selectFrom('component').select(['code', 'reorder_point', 'on_hand', 'lead_time_days']).where('plant_id', '=', plantId).where('arrival_at', '<=', now).orderBy('code').execute(),
  ]);
  for (const c of wanting) {
    await db.transaction().execute((trx) => setArrival(trx, { plantId, ...PURCHASING }, c.code, { expectedAt: new Date(now.getTime() + arrivalWallMs).toISOString() }, now));
  }
  if (!due.length) return;
  const [lacking, demand] = await Promise.all([listShortages(db, plantId).then((list) => new Map(list.map((s) => [s.component, s.shortBy]))), openDemand(db, plantId)]);
  for (const c of due) {
    const withinLead = demand.filter((d) => d.component === c.code && d.start < now.getTime() + c.lead_time_days * DAY).reduce((sum, d) => sum + d.quantity, 0);
    const quantity = Math.max(1, Math.ceil(withinLead + c.reorder_point - c.on_hand), Math.ceil(lacking.get(c.code) ?? 0));
    await db.transaction().execute((trx) => receive(trx, { plantId, name: 'warehouse-simulator' }, c.code, { id: `sim-receipt-${c.code}-${now.getTime()}`, quantity }, now));
  }
}

/** The latest plan's open work as component demand: one entry per BOM line of each operation not completed. */
async function openDemand(db: Db, plantId: number): Promise<{ component: string; start: number; quantity: number }[]> {
  const [materials, version] = await Promise.all([readMaterials(db, plantId), latestScheduleVersion(db, plantId)]);
  if (!materials || !version) return [];
  return (await plannedDemand(db, version)).flatMap((d) =>
    (materials.bomOf.get(d.product) ?? []).filter((l) => l.seq === d.seq).map((l) => ({ component: l.component, start: d.start, quantity: d.remaining * l.quantityPerUnit })),
  );
}
