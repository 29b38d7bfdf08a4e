import type { ArrivalBody, ComponentBody, ComponentView, CountBody, CountView, PickingLineView, ReceiptBody, ReceiptView, ShortageView } from '../contract/materials.ts';
import { ApiError } from '../contract/errors.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import { plannedDemand, readMaterials } from '../db/repositories/materials.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { publish } from '../outbox/stream-messages.ts';
import { forecastShortages } from '../../scheduler/engine/shortage-forecast.ts';
import { moveStock, settleReorder } from './stock.ts';

function selectComponents(db: Queryable, plantId: number) {
  return db.selectFrom('component').selectAll().where('plant_id', '=', plantId);
}
type ComponentRow = Awaited<ReturnType<ReturnType<typeof selectComponents>['executeTakeFirstOrThrow']>>;

function toView(r: ComponentRow): ComponentView {
  return {
    code: r.code,
    name: r.name,
    unit: r.unit,
    onHand: r.on_hand,
    reorderPoint: r.reorder_point,
    leadTimeDays: r.lead_time_days,
    arrivalAt: r.arrival_at?.toISOString() ?? null,
    belowReorder: r.on_hand < r.reorder_point,
  };
}

export async function listComponents(db: Queryable, plantId: number, filter: { belowReorder: boolean }): Promise<ComponentView[]> {
  let query = selectComponents(db, plantId);
  if (filter.belowReorder) query = query.whereRef('on_hand', '<', 'reorder_point');
  return (await query.orderBy('code').execute()).map(toView);
}

export async function getComponent(db: Queryable, plantId: number, code: string): Promise<ComponentView> {
  const row = await selectComponents(db, plantId).where('code', '=', code).executeTakeFirst();
  if (!row) throw ApiError.notFound('component', code);
  return toView(row);
}

/**
 * Creates or replaces a component. Its onHand is a count: the difference to the books goes through
 * the ledger as a `count` movement, so the ledger still explains every unit.
 */
export async function putComponent(trx: Trx, actor: Actor, code: string, body: ComponentBody, now: Date): Promise<void> {
  const values = { name: body.name, unit: body.unit, reorder_point: body.reorderPoint, lead_time_days: body.leadTimeDays, updated_at: now };
  // The row first (a new one at zero), then its stock read under lock: two PUTs of a new component at
  // once (an ERP retrying) must count the difference to the books once, not twice.
  await trx
    .insertInto('component')
    .values({ plant_id: actor.plantId, code, on_hand: 0, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  const existing = await trx.selectFrom('component').select('on_hand').where('plant_id', '=', actor.plantId).where('code', '=', code).forNoKeyUpdate().executeTakeFirstOrThrow();
  await appendEvent(trx, { plantId: actor.plantId, type: 'component.put', actor: actor.name, subject: code, payload: body });
  const delta = body.onHand - existing.on_hand;
  const messages = delta !== 0
    ? await moveStock(trx, actor.plantId, [{ component: code, kind: 'count', quantity: delta, at: now, clientId: null }], code)
    : await settleReorder(trx, actor.plantId, [code], now, code);
  await publish(trx, actor.plantId, messages);
  await requestReschedule(trx, actor.plantId, { kind: 'component.changed', causeId: code });
}

/** Goods received: on-hand rises, the arrival estimate is spent. Idempotent by the receipt's id. */
export async function receive(trx: Trx, actor: Actor, code: string, body: ReceiptBody, now: Date): Promise<ReceiptView> {
  const at = body.at ? new Date(body.at) : now;
  const exists = await trx.selectFrom('component').select('code').where('plant_id', '=', actor.plantId).where('code', '=', code).forNoKeyUpdate().executeTakeFirst();
  if (!exists) throw ApiError.notFound('component', code);
  const accepted = await appendEvent(trx, { plantId: actor.plantId, clientId: body.id, type: 'component.received', actor: actor.name, at, subject: code, payload: body });
  if (!accepted) return { id: body.id, duplicate: true, component: await getComponent(trx, actor.plantId, code) };
  const messages = await moveStock(trx, actor.plantId, [{ component: code, kind: 'receipt', quantity: body.quantity, at, clientId: body.id }], body.id);
  // The shortage is forgotten: the next plan tells purchasing afresh of whatever is still missing (a
  // part delivery), from when it is needed now, instead of holding the work to the old date.
  await trx.updateTable('component').set({ arrival_at: null }).where('plant_id', '=', actor.plantId).where('code', '=', code).execute();
  await trx.deleteFrom('component_shortage').where('plant_id', '=', actor.plantId).where('component_code', '=', code).execute();
  await publish(trx, actor.plantId, messages);
  await requestReschedule(trx, actor.plantId, { kind: 'component.received', causeId: body.id });
  return { id: body.id, duplicate: false, component: await getComponent(trx, actor.plantId, code) };
}

/**
 * A stock count: the books take what is on the rack. Only on-hand moves (the master data stays as
 * purchasing keeps it), through a `count` movement of the difference, so the ledger still explains
 * every unit. Idempotent by the count's id: a retried count books nothing twice. An arrival estimate
 * stays: the goods have not come.
 */
export async function count(trx: Trx, actor: Actor, code: string, body: CountBody, now: Date): Promise<CountView> {
  const row = await trx.selectFrom('component').select('on_hand').where('plant_id', '=', actor.plantId).where('code', '=', code).forNoKeyUpdate().executeTakeFirst();
  if (!row) throw ApiError.notFound('component', code);
  const accepted = await appendEvent(trx, { plantId: actor.plantId, clientId: body.id, type: 'component.counted', actor: actor.name, at: now, subject: code, payload: { ...body, books: row.on_hand } });
  if (!accepted) return { id: body.id, duplicate: true, difference: 0, component: await getComponent(trx, actor.plantId, code) };
  const difference = Math.round((body.onHand - row.on_hand) * 1e6) / 1e6;
  const messages = difference !== 0
    ? await moveStock(trx, actor.plantId, [{ component: code, kind: 'count', quantity: difference, at: now, clientId: body.id }], body.id)
    : [];
  await publish(trx, actor.plantId, messages);
  // What the plan may start depends on stock: a count that finds more (or less) changes the forecast.
  if (difference !== 0) await requestReschedule(trx, actor.plantId, { kind: 'component.counted', causeId: body.id });
  return { id: body.id, duplicate: false, difference, component: await getComponent(trx, actor.plantId, code) };
}

const MAX_ARRIVAL_DAYS = 30;

/** Purchasing's arrival estimate: the operations short of the component hold until then, and the plan follows. */
export async function setArrival(trx: Trx, actor: Actor, code: string, body: ArrivalBody, now: Date): Promise<ComponentView> {
  const expected = body.expectedAt === null ? null : new Date(body.expectedAt);
  if (expected && expected.getTime() < now.getTime() - 60_000) throw ApiError.invalid('expectedAt', 'expectedAt is in the past');
  // As an andon's estimate: a typo (2062 for 2026) would hold the work for decades and every plan
  // would lay calendars out over them.
  if (expected && expected.getTime() > now.getTime() + MAX_ARRIVAL_DAYS * 86_400_000) {
    throw ApiError.invalid('expectedAt', `expectedAt is more than ${MAX_ARRIVAL_DAYS} days ahead`);
  }
  const updated = await trx
    .updateTable('component')
    .set({ arrival_at: expected, updated_at: now })
    .where('plant_id', '=', actor.plantId)
    .where('code', '=', code)
    .returning('code')
    .executeTakeFirst();
  if (!updated) throw ApiError.notFound('component', code);
  await appendEvent(trx, { plantId: actor.plantId, type: 'component.arrival', actor: actor.name, subject: code, payload: body });
  await requestReschedule(trx, actor.plantId, { kind: 'component.arrival', causeId: code });
  return getComponent(trx, actor.plantId, code);
}

/** The latest plan's demand against stock: when each component runs short, by how much, for whom. */
export async function listShortages(db: Queryable, plantId: number): Promise<ShortageView[]> {
  const [materials, version] = await Promise.all([readMaterials(db, plantId), latestScheduleVersion(db, plantId)]);
  if (!materials || !version) return [];
  const shortages = forecastShortages(await plannedDemand(db, version), materials.bomOf, materials.stock);
  return shortages.map((s) => {
    const c = materials.components.get(s.component);
    return {
      component: s.component,
      name: c?.name ?? s.component,
      unit: c?.unit ?? '',
      // The first-seen instant: the plan may have moved the work later because of this very shortage.
      neededAt: new Date(Math.min(s.neededAt, materials.anchors.get(s.component) ?? s.neededAt)).toISOString(),
      shortBy: s.shortBy,
      orders: s.orders,
      workCenter: s.workCenters[0] ?? '',
      workCenters: s.workCenters,
      arrivalAt: s.arrivalAt === null ? null : new Date(s.arrivalAt).toISOString(),
      operations: s.operations.map((o) => ({ order: o.order, seq: o.seq, workCenter: o.workCenter, at: new Date(o.at).toISOString(), shortBy: o.shortBy })),
    };
  });
}

/**
 * What the warehouse brings to the line: operations not started yet, planned to start before now +
 * hours (one planned a minute ago and not started is still to pick), that consume components; each
 * component line says whether on-hand still covers it after the lines before it.
 */
export async function pickingList(db: Queryable, plantId: number, now: Date, hours: number): Promise<PickingLineView[]> {
  const [version, materials] = await Promise.all([latestScheduleVersion(db, plantId), readMaterials(db, plantId)]);
  if (!version || !materials) return [];
  const until = now.getTime() + hours * 3_600_000;
  const planned = await plannedDemand(db, version);
  const demand = planned
    .filter((d) => !d.running && d.start < until && d.remaining > 0)
    .sort((a, b) => a.start - b.start || (a.order < b.order ? -1 : a.order > b.order ? 1 : a.seq - b.seq));
  // Running jobs still draw their remaining units first, as the shortage forecast counts them: a line
  // is covered only by what they leave.
  const taken = new Map<string, number>();
  for (const d of planned) {
    if (!d.running || d.remaining <= 0) continue;
    for (const l of (materials.bomOf.get(d.product) ?? []).filter((b) => b.seq === d.seq)) {
      taken.set(l.component, (taken.get(l.component) ?? 0) + d.remaining * l.quantityPerUnit);
    }
  }
  const lines: PickingLineView[] = [];
  for (const d of demand) {
    const bom = (materials.bomOf.get(d.product) ?? []).filter((l) => l.seq === d.seq);
    if (!bom.length) continue;
    const components = bom.map((l) => {
      const c = materials.components.get(l.component);
      const quantity = Math.round(d.remaining * l.quantityPerUnit * 1e6) / 1e6;
      const onHand = materials.stock.get(l.component)?.onHand ?? 0;
      const through = (taken.get(l.component) ?? 0) + quantity;
      taken.set(l.component, through);
      return { component: l.component, name: c?.name ?? l.component, unit: c?.unit ?? '', quantity, onHand, short: through > onHand + 1e-9 };
    });
    lines.push({ order: d.order, seq: d.seq, product: d.product, workCenter: d.workCenter, machine: d.machine, start: new Date(d.start).toISOString(), quantity: d.remaining, components });
  }
  return lines;
}
