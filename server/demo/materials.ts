import type { Db, Trx } from '../db/connect.ts';
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

/**
 * Purchasing and goods-in, simulated: a component the plan runs short of gets an arrival estimate a
 * few wall minutes out; when it is due, the goods arrive (what the plan lacks plus twice the reorder point).
 */
export async function replenishDemo(db: Db, plantId: number, now: Date, arrivalWallMs: number): Promise<void> {
  const [short, due] = await Promise.all([
    db
      .selectFrom('component_shortage as s')
      .innerJoin('component as c', (j) => j.onRef('c.plant_id', '=', 's.plant_id').onRef('c.code', '=', 's.component_code'))
      .select('c.code')
      .where('s.plant_id', '=', plantId)
      .where('c.arrival_at', 'is', null)
      .execute(),
    db.selectFrom('component').select(['code', 'reorder_point', 'on_hand']).where('plant_id', '=', plantId).where('arrival_at', '<=', now).execute(),
  ]);
  for (const c of short) {
    await db.transaction().execute((trx) => setArrival(trx, { plantId, ...PURCHASING }, c.code, { expectedAt: new Date(now.getTime() + arrivalWallMs).toISOString() }, now));
  }
  if (!due.length) return;
  const lacking = new Map((await listShortages(db, plantId)).map((s) => [s.component, s.shortBy]));
  for (const c of due) {
    const quantity = Math.max(1, Math.ceil((lacking.get(c.code) ?? 0) + c.reorder_point * 2));
    await db.transaction().execute((trx) => receive(trx, { plantId, name: 'warehouse-simulator' }, c.code, { id: `sim-receipt-${c.code}-${now.getTime()}`, quantity }, now));
  }
}
