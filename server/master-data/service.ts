import { DEFAULT_LATE_START_MINUTES, type Calendar, type CalendarBody, type Product, type ProductBody, type WorkCenter, type WorkCenterBody } from '../contract/master-data.ts';
import { isIanaTimeZone } from '../contract/common.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { hasCode } from './repository.ts';
import { ApiError } from '../contract/errors.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { jsonb } from '../db/jsonb.ts';



export async function putCalendar(trx: Trx, actor: Actor, code: string, body: CalendarBody): Promise<void> {
  if (!isIanaTimeZone(body.timeZone)) throw ApiError.invalid('timeZone', `timeZone '${body.timeZone}' is not an IANA time zone`);
  body.exceptions.forEach((e, i) => {
    if (e.to <= e.from) throw ApiError.invalid(`exceptions.${i}.to`, 'exception must end after it starts');
  });
  const values = {
    name: body.name ?? code,
    time_zone: body.timeZone,
    shifts: jsonb(body.shifts),
    exceptions: jsonb(body.exceptions),
    updated_at: new Date(),
  };
  await trx
    .insertInto('calendar')
    .values({ plant_id: actor.plantId, code, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'calendar.put', actor: actor.name, subject: code, payload: body });
  await requestReschedule(trx, actor.plantId, { kind: 'calendar.changed', causeId: code });
}

export async function putWorkCenter(trx: Trx, actor: Actor, code: string, body: WorkCenterBody): Promise<void> {
  if (!(await hasCode(trx, 'calendar', actor.plantId, body.calendar))) throw new ApiError(400, 'validation_failed', `calendar '${body.calendar}' does not exist`, 'calendar');
  const values = {
    name: body.name,
    line: body.line,
    machines: body.machines,
    calendar_code: body.calendar,
    setup_matrix: jsonb(body.setupMatrix),
    wip_limit: body.wipLimit ?? null,
    late_start_minutes: body.lateStartMinutes ?? DEFAULT_LATE_START_MINUTES,
    updated_at: new Date(),
  };
  await trx
    .insertInto('work_center')
    .values({ plant_id: actor.plantId, code, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'work_center.put', actor: actor.name, subject: code, payload: body });
  await requestReschedule(trx, actor.plantId, { kind: 'work_center.changed', causeId: code });
}

export async function putProduct(trx: Trx, actor: Actor, code: string, body: ProductBody): Promise<void> {
  const seqs = body.routing.map((s) => s.seq);
  const seen = new Set<number>();
  body.routing.forEach((s, i) => {
    if (seen.has(s.seq)) throw ApiError.invalid(`routing.${i}.seq`, `routing step seq ${s.seq} appears twice`);
    seen.add(s.seq);
  });
  const sorted = [...seqs].sort((a, b) => a - b);
  if (sorted.some((s, i) => s !== i + 1)) {
    throw ApiError.invalid('routing', 'routing steps must be numbered 1..n without gaps');
  }
  const centers = new Set(
    (
      await trx
        .selectFrom('work_center')
        .select('code')
        .where('plant_id', '=', actor.plantId)
        .where('code', 'in', body.routing.map((s) => s.workCenter))
        .execute()
    ).map((r) => r.code),
  );
  body.routing.forEach((s, i) => {
    if (!centers.has(s.workCenter)) {
      throw ApiError.invalid(`routing.${i}.workCenter`, `work center '${s.workCenter}' does not exist`);
    }
  });
  const values = { name: body.name, family: body.family ?? null, updated_at: new Date() };
  await trx
    .insertInto('product')
    .values({ plant_id: actor.plantId, code, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  // Existing orders keep the operations they were created with; the new routing applies to new orders.
  await trx.deleteFrom('routing_step').where('plant_id', '=', actor.plantId).where('product_code', '=', code).execute();
  await trx
    .insertInto('routing_step')
    .values(
      body.routing.map((s) => ({
        plant_id: actor.plantId,
        product_code: code,
        seq: s.seq,
        work_center_code: s.workCenter,
        setup_minutes: s.setupMinutes,
        run_minutes_per_unit: s.runMinutesPerUnit,
        min_transfer_minutes: s.minTransferMinutes,
        description: s.description ?? null,
      })),
    )
    .execute();
  if (body.bom) await replaceBom(trx, actor.plantId, code, body.bom, seqs);
  // A kept BOM keeps only the lines whose step the new routing still has.
  else await trx.deleteFrom('bom_line').where('plant_id', '=', actor.plantId).where('product_code', '=', code).where('seq', 'not in', seqs).execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'product.put', actor: actor.name, subject: code, payload: body });
  // The BOM decides what open orders of this product will consume: the shortage forecast may change.
  if (body.bom) await requestReschedule(trx, actor.plantId, { kind: 'product.bom_changed', causeId: code });
}

/** Replaces a product's BOM; each line names a component that exists and a step of its routing. */
async function replaceBom(trx: Trx, plantId: number, code: string, bom: NonNullable<ProductBody['bom']>, seqs: number[]): Promise<void> {
  const known = new Set(
    bom.length
      ? (await trx.selectFrom('component').select('code').where('plant_id', '=', plantId).where('code', 'in', bom.map((l) => l.component)).execute()).map((r) => r.code)
      : [],
  );
  const seen = new Set<string>();
  bom.forEach((l, i) => {
    if (!known.has(l.component)) throw ApiError.invalid(`bom.${i}.component`, `component '${l.component}' does not exist`);
    if (!seqs.includes(l.seq)) throw ApiError.invalid(`bom.${i}.seq`, `the routing has no step ${l.seq}`);
    const key = `${l.component}@${l.seq}`;
    if (seen.has(key)) throw ApiError.invalid(`bom.${i}.component`, `component '${l.component}' appears twice at step ${l.seq}`);
    seen.add(key);
  });
  await trx.deleteFrom('bom_line').where('plant_id', '=', plantId).where('product_code', '=', code).execute();
  if (!bom.length) return;
  await trx
    .insertInto('bom_line')
    .values(bom.map((l) => ({ plant_id: plantId, product_code: code, component_code: l.component, seq: l.seq, quantity_per_unit: l.quantityPerUnit })))
    .execute();
}

export async function listCalendars(db: Queryable, plantId: number): Promise<Calendar[]> {
  const rows = await db.selectFrom('calendar').selectAll().where('plant_id', '=', plantId).orderBy('code').execute();
  // Stored as validated on the way in (PUT /calendars).
  return rows.map((r) => ({ code: r.code, name: r.name, timeZone: r.time_zone, shifts: r.shifts as Calendar['shifts'], exceptions: r.exceptions as Calendar['exceptions'] }));
}

export async function getCalendar(db: Queryable, plantId: number, code: string): Promise<Calendar> {
  const found = (await listCalendars(db, plantId)).find((c) => c.code === code);
  if (!found) throw ApiError.notFound('calendar', code);
  return found;
}

export async function listWorkCenters(db: Queryable, plantId: number): Promise<WorkCenter[]> {
  const rows = await db
    .selectFrom('work_center')
    .selectAll()
    .where('plant_id', '=', plantId)
    .orderBy('line')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    line: r.line,
    machines: r.machines,
    calendar: r.calendar_code,
    setupMatrix: r.setup_matrix as WorkCenter['setupMatrix'],
    wipLimit: r.wip_limit,
    lateStartMinutes: r.late_start_minutes,
  }));
}

export async function getWorkCenter(db: Queryable, plantId: number, code: string): Promise<WorkCenter> {
  const found = (await listWorkCenters(db, plantId)).find((w) => w.code === code);
  if (!found) throw ApiError.notFound('work center', code);
  return found;
}

export async function listProducts(db: Queryable, plantId: number, code?: string): Promise<Product[]> {
  let query = db.selectFrom('product').selectAll().where('plant_id', '=', plantId);
  if (code) query = query.where('code', '=', code);
  const products = await query.orderBy('code').execute();
  let stepsQuery = db.selectFrom('routing_step').selectAll().where('plant_id', '=', plantId);
  if (code) stepsQuery = stepsQuery.where('product_code', '=', code);
  let bomQuery = db.selectFrom('bom_line').selectAll().where('plant_id', '=', plantId);
  if (code) bomQuery = bomQuery.where('product_code', '=', code);
  const [steps, bomLines] = await Promise.all([
    stepsQuery.orderBy('product_code').orderBy('seq').execute(),
    bomQuery.orderBy('product_code').orderBy('seq').orderBy('component_code').execute(),
  ]);
  return products.map((p) => ({
    code: p.code,
    name: p.name,
    family: p.family,
    routing: steps
      .filter((s) => s.product_code === p.code)
      .map((s) => ({
        seq: s.seq,
        workCenter: s.work_center_code,
        setupMinutes: s.setup_minutes,
        runMinutesPerUnit: s.run_minutes_per_unit,
        minTransferMinutes: s.min_transfer_minutes,
        description: s.description,
      })),
    bom: bomLines.filter((l) => l.product_code === p.code).map((l) => ({ component: l.component_code, quantityPerUnit: l.quantity_per_unit, seq: l.seq })),
  }));
}

export async function getProduct(db: Queryable, plantId: number, code: string): Promise<Product> {
  const [found] = await listProducts(db, plantId, code);
  if (!found) throw ApiError.notFound('product', code);
  return found;
}
