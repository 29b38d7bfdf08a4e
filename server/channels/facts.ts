import * as z from 'zod/mini';
import { subscribableKinds, type SubscribableKind } from '../contract/channels.ts';
import { LateStartNoticeData, notificationAudiences, orderNotificationKinds, OrderNoticeData, QuoteConfirmedData, ShortageNoticeData } from '../contract/notifications.ts';
import type { Queryable } from '../db/connect.ts';

/**
 * What a notice says, gathered once when it is routed: the subscription filters match on these and
 * the templates word the message from them. Stored with each delivery, so a retry next day sends the
 * message as it was when the notice was told.
 */
export const NoticeFacts = z.object({
  kind: z.enum(subscribableKinds),
  department: z.enum(notificationAudiences),
  at: z.string(),
  timeZone: z.string(),
  order: z.nullable(z.string()),
  workCenter: z.nullable(z.string()),
  /** Every work center, line and customer the notice concerns (an order's route, a shortage's orders). */
  workCenters: z.array(z.string()),
  lines: z.array(z.string()),
  customers: z.array(z.string()),
  /** Andon reason, or the first late reason's kind. */
  reason: z.nullable(z.string()),
  minutesLate: z.nullable(z.number()),
  level: z.nullable(z.number()),
  notify: z.nullable(z.string()),
  seq: z.nullable(z.number()),
  dueAt: z.nullable(z.string()),
  eta: z.nullable(z.string()),
  component: z.nullable(z.string()),
  shortBy: z.nullable(z.number()),
  unit: z.nullable(z.string()),
  quantity: z.nullable(z.number()),
});
export type NoticeFacts = z.infer<typeof NoticeFacts>;

const blank = { order: null, workCenter: null, workCenters: [], lines: [], customers: [], reason: null, minutesLate: null, level: null, notify: null, seq: null, dueAt: null, eta: null, component: null, shortBy: null, unit: null, quantity: null };

const minutesBetween = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 60_000));

/** The facts of one notice, or null when no subscription can pick its kind (order.at_risk, below reorder, ...). */
export async function noticeFacts(db: Queryable, notificationId: string): Promise<NoticeFacts | null> {
  const n = await db
    .selectFrom('notification as n')
    .innerJoin('plant as p', 'p.id', 'n.plant_id')
    .select(['n.id', 'n.plant_id', 'n.kind', 'n.audience', 'n.andon_id', 'n.order_id', 'n.level', 'n.notify', 'n.data', 'n.created_at', 'p.time_zone'])
    .where('n.id', '=', notificationId)
    .executeTakeFirst();
  if (!n) return null;
  const base = { department: n.audience, at: n.created_at.toISOString(), timeZone: n.time_zone };
  switch (n.kind) {
    case 'andon.raised':
    case 'andon.escalated':
    case 'andon.resolved': {
      const a = await db
        .selectFrom('andon as a')
        .innerJoin('work_center as w', (j) => j.onRef('w.plant_id', '=', 'a.plant_id').onRef('w.code', '=', 'a.work_center_code'))
        .leftJoin('customer_order as o', 'o.id', 'a.order_id')
        .select(['a.work_center_code', 'a.reason', 'a.raised_at', 'a.resolved_at', 'a.seq', 'w.line', 'o.code as order_code', 'o.customer'])
        .where('a.id', '=', n.andon_id!)
        .executeTakeFirstOrThrow();
      const end = n.kind === 'andon.resolved' ? (a.resolved_at ?? n.created_at) : n.created_at;
      return {
        ...blank,
        ...base,
        kind: n.kind,
        order: a.order_code,
        workCenter: a.work_center_code,
        workCenters: [a.work_center_code],
        lines: [a.line],
        customers: a.customer ? [a.customer] : [],
        reason: a.reason,
        minutesLate: minutesBetween(a.raised_at, end),
        level: n.level,
        notify: n.notify,
        seq: a.seq,
      };
    }
    case 'order.late': {
      const data = OrderNoticeData.parse(n.data);
      const kind: SubscribableKind = (await toldLateBefore(db, n.order_id!, n.id)) ? 'order.eta_moved' : 'order.late';
      const route = await orderRoute(db, [n.order_id!]);
      return { ...blank, ...base, ...route, kind, order: data.order, workCenter: null, reason: data.reasons[0]?.kind ?? null, minutesLate: data.latenessMinutes, dueAt: data.dueAt, eta: data.eta };
    }
    case 'operation.late_start': {
      const data = LateStartNoticeData.parse(n.data);
      const order = await db.selectFrom('customer_order').select(['id', 'customer']).where('plant_id', '=', n.plant_id).where('code', '=', data.order).executeTakeFirst();
      const line = await db.selectFrom('work_center').select('line').where('plant_id', '=', n.plant_id).where('code', '=', data.workCenter).executeTakeFirst();
      return {
        ...blank,
        ...base,
        kind: n.kind,
        order: data.order,
        workCenter: data.workCenter,
        workCenters: [data.workCenter],
        lines: line ? [line.line] : [],
        customers: order?.customer ? [order.customer] : [],
        minutesLate: data.minutesLate,
        seq: data.seq,
        eta: data.plannedStart,
      };
    }
    case 'material.shortage': {
      const data = ShortageNoticeData.parse(n.data);
      const orders = data.orders.length
        ? await db.selectFrom('customer_order').select(['id', 'customer']).where('plant_id', '=', n.plant_id).where('code', 'in', data.orders).execute()
        : [];
      const lines = data.workCenters.length
        ? await db.selectFrom('work_center').select('line').distinct().where('plant_id', '=', n.plant_id).where('code', 'in', data.workCenters).execute()
        : [];
      return {
        ...blank,
        ...base,
        kind: n.kind,
        order: data.orders[0] ?? null,
        workCenter: data.workCenters[0] ?? null,
        workCenters: data.workCenters,
        lines: lines.map((l) => l.line),
        customers: distinct(orders.map((o) => o.customer)),
        component: data.component,
        shortBy: data.shortBy,
        unit: data.unit,
        dueAt: data.neededAt,
      };
    }
    case 'quote.confirmed': {
      const data = QuoteConfirmedData.parse(n.data);
      const route = await orderRoute(db, [n.order_id!]);
      return { ...blank, ...base, ...route, kind: n.kind, order: data.order, dueAt: data.orderDueAt, eta: data.eta, quantity: data.quantity };
    }
    default:
      return null;
  }
}

const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];

/** An order's work centers, lines and customer: what a line or work center filter matches an order notice by. */
async function orderRoute(db: Queryable, orderIds: string[]) {
  const rows = await db
    .selectFrom('operation as op')
    .innerJoin('customer_order as o', 'o.id', 'op.order_id')
    .innerJoin('work_center as w', (j) => j.onRef('w.plant_id', '=', 'op.plant_id').onRef('w.code', '=', 'op.work_center_code'))
    .select(['op.work_center_code', 'w.line', 'o.customer'])
    .where('op.order_id', 'in', orderIds)
    .orderBy('op.seq')
    .execute();
  return { workCenters: distinct(rows.map((r) => r.work_center_code)), lines: distinct(rows.map((r) => r.line)), customers: distinct(rows.map((r) => r.customer)) };
}

/** An order.late is an ETA that moved (order.eta_moved) when the order's previous notice was already order.late. */
async function toldLateBefore(db: Queryable, orderId: string, notificationId: string): Promise<boolean> {
  const previous = await db
    .selectFrom('notification')
    .select('kind')
    .where('order_id', '=', orderId)
    .where('kind', 'in', orderNotificationKinds)
    .where('id', '<', notificationId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return previous?.kind === 'order.late';
}
