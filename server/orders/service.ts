import type { OrderBody, OrderDetail, OrderView, OperationView } from '../contract/orders.ts';
import type { LateReason } from '../contract/schedule.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { ApiError } from '../contract/errors.ts';
import { requestReschedule } from '../outbox/plan-requests.ts';
import { markQuoteUsed, takeQuote } from '../quotes/service.ts';
import { publish } from '../outbox/stream-messages.ts';
import { andonEffect } from '../contract/andon-effects.ts';
import { andonReasons } from '../contract/andon.ts';
import { selectOpenAndons } from '../db/repositories/andon.ts';
import { latestScheduleVersion } from '../db/repositories/schedule.ts';
import { hasCode } from '../master-data/repository.ts';
import { lateCondition, operationStateColumns, selectOrdersWithEta } from './repository.ts';
import { isLate } from '../contract/lateness.ts';

/** The order's due date, release and priority: as given, or as quoted (server/quotes/service.ts). */
async function orderTerms(trx: Trx, actor: Actor, body: OrderBody, now: Date) {
  if (body.quote) {
    const quoted = await takeQuote(trx, actor.plantId, { quote: body.quote, product: body.product, quantity: body.quantity, dueAt: body.dueAt }, now);
    return { ...quoted, customer: body.customer ?? quoted.customer, promised: true };
  }
  if (!body.dueAt) throw ApiError.invalid('dueAt', 'dueAt is required (or a quote to take it from)');
  return { dueAt: new Date(body.dueAt), releaseAt: body.releaseAt ? new Date(body.releaseAt) : null, priority: body.priority, customer: body.customer ?? null, promised: false };
}

export async function createOrder(trx: Trx, actor: Actor, body: OrderBody, now: Date = new Date()): Promise<void> {
  const steps = await trx
    .selectFrom('routing_step')
    .selectAll()
    .where('plant_id', '=', actor.plantId)
    .where('product_code', '=', body.product)
    .orderBy('seq')
    .execute();
  if (steps.length === 0) {
    throw (await hasCode(trx, 'product', actor.plantId, body.product))
      ? new ApiError(409, 'invalid_state', `product '${body.product}' has no routing`, 'product')
      : ApiError.notFound('product', body.product, 'product');
  }
  const terms = await orderTerms(trx, actor, body, now);
  if (terms.releaseAt && terms.releaseAt > terms.dueAt) {
    throw ApiError.invalid('releaseAt', 'releaseAt must not be after dueAt');
  }
  // The unique key decides, not a prior lookup: concurrent creates of one code all get the same 409.
  const order = await trx
    .insertInto('customer_order')
    .values({
      plant_id: actor.plantId,
      code: body.code,
      product_code: body.product,
      quantity: body.quantity,
      due_at: terms.dueAt,
      release_at: terms.releaseAt,
      priority: terms.priority,
      customer: terms.customer,
      promised: terms.promised,
      completed_at: null,
    })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!order) throw new ApiError(409, 'conflict', `order '${body.code}' already exists`, 'code');
  const confirmed = body.quote ? await markQuoteUsed(trx, body.quote, { id: order.id, code: body.code, customer: terms.customer, dueAt: terms.dueAt }, now) : [];
  await trx
    .insertInto('operation')
    .values(
      steps.map((s) => ({
        order_id: order.id,
        seq: s.seq,
        plant_id: actor.plantId,
        work_center_code: s.work_center_code,
        setup_minutes: s.setup_minutes,
        run_minutes_per_unit: s.run_minutes_per_unit,
        min_transfer_minutes: s.min_transfer_minutes,
        machine: null,
        started_at: null,
        last_report_at: null,
        completed_at: null,
      })),
    )
    .execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'order.created', actor: actor.name, subject: body.code, payload: body });
  await publish(trx, actor.plantId, [
    { topic: 'order', cause: body.code, data: { type: 'order.created', order: body.code, product: body.product, quantity: body.quantity, dueAt: terms.dueAt.toISOString() } },
    ...confirmed,
  ]);
  await requestReschedule(trx, actor.plantId, { kind: 'order.created', causeId: body.code });
}

interface OperationSummary {
  order_id: string;
  seq: number;
  status: string;
  quantity_good: number;
  setup_minutes: number;
  run_minutes_per_unit: number;
}

function progressOf(ops: OperationSummary[], quantity: number): { progress: number; currentSeq: number | null; good: number } {
  let total = 0;
  let done = 0;
  let currentSeq: number | null = null;
  for (const op of ops) {
    const work = op.setup_minutes + op.run_minutes_per_unit * quantity;
    total += work;
    const share = op.status === 'completed' ? 1 : Math.min(1, op.quantity_good / quantity);
    done += work * share;
    if (currentSeq === null && op.status !== 'completed') currentSeq = op.seq;
  }
  const last = ops[ops.length - 1];
  return { progress: total > 0 ? done / total : 0, currentSeq, good: last ? last.quantity_good : 0 };
}

type OrderRowWithEta = Awaited<ReturnType<ReturnType<typeof selectOrdersWithEta>['execute']>>[number];

function toView(row: OrderRowWithEta, ops: OperationSummary[], now: Date): OrderView {
  const { progress, currentSeq, good } = progressOf(ops, row.quantity);
  const completed = row.status === 'completed';
  const late = isLate({ completed, eta: row.eta?.getTime() ?? null, dueAt: row.due_at.getTime() }, now.getTime());
  return {
    code: row.code,
    product: row.product_code,
    productName: row.product_name,
    quantity: row.quantity,
    quantityGood: good,
    dueAt: row.due_at.toISOString(),
    releaseAt: row.release_at?.toISOString() ?? null,
    priority: row.priority,
    customer: row.customer,
    status: completed ? 'completed' : 'open',
    eta: row.eta?.toISOString() ?? null,
    late,
    latenessMinutes: row.lateness_minutes,
    reasons: (row.reasons as LateReason[] | null) ?? [],
    etaP50: completed ? null : row.eta_p50?.toISOString() ?? null,
    etaP90: completed ? null : row.eta_p90?.toISOString() ?? null,
    atRisk: !completed && !late && row.eta_p90 !== null && row.eta_p90 > row.due_at,
    etaDayAgo: row.eta_day_ago?.toISOString() ?? null,
    progress,
    currentSeq,
    createdAt: row.created_at.toISOString(),
    shippedAt: row.shipped_at?.toISOString() ?? null,
  };
}

export interface OrderFilter {
  status?: 'open' | 'completed' | 'all';
  shipped?: boolean;
  late?: boolean;
  product?: string;
  customer?: string;
  workCenter?: string;
  limit?: number;
}

export async function listOrders(db: Queryable, plantId: number, filter: OrderFilter): Promise<OrderView[]> {
  let query = selectOrdersWithEta(db, plantId);
  const status = filter.status ?? 'open';
  if (status !== 'all') query = query.where('o.status', '=', status);
  if (filter.shipped !== undefined) query = query.where('o.shipped_at', filter.shipped ? 'is not' : 'is', null);
  if (filter.product) query = query.where('o.product_code', '=', filter.product);
  if (filter.customer) query = query.where('o.customer', '=', filter.customer);
  if (filter.workCenter) {
    const wc = filter.workCenter;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('operation as f')
          .select('f.seq')
          .whereRef('f.order_id', '=', 'o.id')
          .where('f.work_center_code', '=', wc)
          .where('f.status', '<>', 'completed'),
      ),
    );
  }
  // Filtered in SQL before the limit: a filter after it would return fewer rows than match.
  const now = new Date();
  if (filter.late !== undefined) query = query.where(lateCondition(filter.late, now));
  const rows = await query.orderBy('o.due_at').orderBy('o.code').limit(filter.limit ?? 1000).execute();
  const ids = rows.map((r) => r.id);
  const ops = ids.length
    ? await db
        .selectFrom('operation')
        .select(['order_id', 'seq', 'status', 'quantity_good', 'setup_minutes', 'run_minutes_per_unit'])
        .where('order_id', 'in', ids)
        .orderBy('order_id')
        .orderBy('seq')
        .execute()
    : [];
  const byOrder = new Map<string, OperationSummary[]>();
  for (const op of ops) {
    const list = byOrder.get(op.order_id) ?? [];
    list.push(op);
    byOrder.set(op.order_id, list);
  }
  const views = rows.map((r) => toView(r, byOrder.get(r.id) ?? [], now));
  return views;
}

/** Alerts that hold the operation they name (the andon effects table decides which). */
const holdingReasons = andonReasons.filter((r) => andonEffect(r) === 'hold');

export async function getOrder(db: Queryable, plantId: number, code: string): Promise<OrderDetail> {
  const row = await selectOrdersWithEta(db, plantId).where('o.code', '=', code).executeTakeFirst();
  if (!row) throw ApiError.notFound('order', code);
  const version = await latestScheduleVersion(db, plantId);
  const ops = await db
    .selectFrom('operation as op')
    .leftJoin('planned_operation as pl', (j) =>
      j
        .onRef('pl.order_id', '=', 'op.order_id')
        .onRef('pl.seq', '=', 'op.seq')
        .on('pl.version_id', '=', version ?? '0'),
    )
    .where('op.order_id', '=', row.id)
    .select([
      ...operationStateColumns,
      'op.setup_minutes',
      'op.run_minutes_per_unit',
      'op.started_at',
      'op.completed_at',
      'pl.machine',
      'pl.start_at',
      'pl.end_at',
    ])
    .orderBy('op.seq')
    .execute();
  const holds = await selectOpenAndons(db, plantId)
    .select(['id', 'seq', 'reason', 'expected_end_at'])
    .where('order_id', '=', row.id)
    .where('reason', 'in', holdingReasons)
    .execute();
  const history = await db
    .selectFrom('order_eta_history')
    .select(['eta', 'eta_p50', 'eta_p90', 'at', 'version_id'])
    .where('order_id', '=', row.id)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  const operations: OperationView[] = ops.map((op) => {
    const hold = holds.find((h) => h.seq === op.seq);
    return {
      seq: op.seq,
      workCenter: op.work_center_code,
      status: op.status,
      quantity: row.quantity,
      quantityGood: op.quantity_good,
      quantityScrap: op.quantity_scrap,
      setupMinutes: op.setup_minutes,
      runMinutesPerUnit: op.run_minutes_per_unit,
      startedAt: op.started_at?.toISOString() ?? null,
      completedAt: op.completed_at?.toISOString() ?? null,
      held: hold ? { reason: hold.reason, andonId: hold.id, until: hold.expected_end_at?.toISOString() ?? null } : null,
      planned:
        op.machine !== null && op.start_at && op.end_at
          ? { machine: op.machine, start: op.start_at.toISOString(), end: op.end_at.toISOString() }
          : null,
    };
  });
  return {
    ...toView(row, ops, new Date()),
    operations,
    etaHistory: history.map((h) => ({
      eta: h.eta?.toISOString() ?? '',
      p50: h.eta_p50?.toISOString() ?? null,
      p90: h.eta_p90?.toISOString() ?? null,
      at: h.at.toISOString(),
      version: Number(h.version_id),
    })),
  };
}
