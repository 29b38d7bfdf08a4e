import { sql } from 'kysely';
import { decideOrderNotice, outlookState, type OrderNoticeMemory, type OrderNoticeState } from '../../contract/order-notice.ts';
import type { OrderNoticeData, OrderNotificationKind } from '../../contract/notifications.ts';
import type { LateReason } from '../../contract/schedule.ts';
import type { OutgoingMessage } from '../../contract/stream.ts';
import type { Trx } from '../connect.ts';
import { selectNotifications, toNotificationView } from './notifications.ts';

/**
 * Sales hear about it first: after a plan (scheduler/tasks/save-plan.ts) or a P90 sampling
 * (scheduler/tasks/eta-spread.ts), the orders whose ETA or P90 changed are held against what sales
 * were last told (order_notice), by the rule in server/contract/order-notice.ts. It lives in the shared
 * layer because the worker writes it, and the worker reaches the server only through this layer.
 */

/** One order whose ETA or P90 changed, as the caller has it. Instants are ISO strings. */
export interface OrderLatenessInput {
  orderId: string;
  code: string;
  dueAt: string;
  eta: string | null;
  etaP90: string | null;
  /** The engine's eta - due in minutes (negative when early); null: computed from eta and due. */
  latenessMinutes: number | null;
  reasons: LateReason[];
}

interface Told {
  order_id: string;
  status: string;
  state: OrderNoticeState | null;
  eta: Date | null;
  eta_p90: Date | null;
}

interface Notice {
  input: OrderLatenessInput;
  kind: OrderNotificationKind;
  memory: OrderNoticeMemory;
  previous: OrderNoticeMemory | null;
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/**
 * What sales were told about these orders, read in one statement: only orders told late or at risk
 * (the plant's few, through a partial index) and those crossing their due date now, each then found
 * by primary key. A plan where nothing crossed reads next to nothing, however many orders it holds
 * and however long the plant's history of orders.
 */
async function readTold(trx: Trx, plantId: number, ids: string[], crossing: string[]): Promise<Told[]> {
  const { rows } = await sql<Told>`
    select o.id as order_id, o.status, n.state, n.eta, n.eta_p90
    from customer_order o left join order_notice n on n.order_id = o.id
    where o.plant_id = ${plantId} and o.id in (
      select t.order_id from order_notice t
      where t.plant_id = ${plantId} and t.state <> 'on_time'
        and t.order_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::bigint)
      union
      select jsonb_array_elements_text(${JSON.stringify(crossing)}::text::jsonb)::bigint)`.execute(trx);
  return rows;
}

/**
 * Stores the new states, each only if it is still what was read: a plan and a sampling deciding about
 * the same order at once tell sales once (the loser's update finds the row changed, or the row there).
 * Returns the order ids whose notice stands.
 */
async function storeTold(trx: Trx, plantId: number, notices: Notice[], now: Date): Promise<Set<string>> {
  const row = (n: Notice) => ({
    order_id: n.input.orderId,
    state: n.memory.state,
    eta: new Date(n.memory.eta).toISOString(),
    eta_p90: n.memory.etaP90 === null ? null : new Date(n.memory.etaP90).toISOString(),
    prev_state: n.previous?.state ?? null,
    prev_eta: n.previous ? new Date(n.previous.eta).toISOString() : null,
  });
  const stood = new Set<string>();
  const fresh = notices.filter((n) => !n.previous).map(row);
  if (fresh.length) {
    const { rows } = await sql<{ order_id: string }>`
      insert into order_notice (order_id, plant_id, state, eta, eta_p90, told_at)
      select x.order_id, ${plantId}, x.state, x.eta, x.eta_p90, ${now}
      from jsonb_to_recordset(${JSON.stringify(fresh)}::text::jsonb) as x(order_id bigint, state text, eta timestamptz, eta_p90 timestamptz)
      on conflict (order_id) do nothing
      returning order_id`.execute(trx);
    for (const r of rows) stood.add(String(r.order_id));
  }
  const known = notices.filter((n) => n.previous).map(row);
  if (known.length) {
    const { rows } = await sql<{ order_id: string }>`
      update order_notice n set state = x.state, eta = x.eta, eta_p90 = x.eta_p90, told_at = ${now}
      from jsonb_to_recordset(${JSON.stringify(known)}::text::jsonb)
        as x(order_id bigint, state text, eta timestamptz, eta_p90 timestamptz, prev_state text, prev_eta timestamptz)
      where n.order_id = x.order_id and n.state = x.prev_state and n.eta = x.prev_eta
      returning n.order_id`.execute(trx);
    for (const r of rows) stood.add(String(r.order_id));
  }
  return stood;
}

/**
 * Tells sales about the orders that crossed their due date (or came back), in the caller's
 * transaction: writes the notifications and what was told, and returns the `notification` stream
 * messages for the caller to publish with its own (one publish). `cause` is the caller's cause.
 */
export async function noticeOrderLateness(
  trx: Trx,
  plantId: number,
  orders: OrderLatenessInput[],
  now: Date,
  cause: string | null = null,
): Promise<OutgoingMessage[]> {
  if (!orders.length) return [];
  const outlook = (o: OrderLatenessInput) => ({ dueAt: Date.parse(o.dueAt), eta: ms(o.eta), etaP90: ms(o.etaP90), completed: false });
  const crossing = orders.filter((o) => {
    const state = outlookState(outlook(o));
    return state === 'late' || state === 'at_risk';
  });
  const told = await readTold(trx, plantId, orders.map((o) => o.orderId), crossing.map((o) => o.orderId));
  if (!told.length) return [];

  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const notices: Notice[] = [];
  for (const t of told) {
    const input = byId.get(String(t.order_id));
    if (!input) continue;
    const previous = t.state && t.eta ? { state: t.state, eta: t.eta.getTime(), etaP90: t.eta_p90?.getTime() ?? null } : null;
    // A completed (or cancelled) order is past telling.
    const decision = decideOrderNotice(previous, { ...outlook(input), completed: t.status !== 'open' });
    if (decision.notice) notices.push({ input, kind: decision.notice, memory: decision.memory, previous });
  }
  if (!notices.length) return [];

  const stood = await storeTold(trx, plantId, notices, now);
  const rows = notices
    .filter((n) => stood.has(n.input.orderId))
    .map((n) => ({ order_id: n.input.orderId, kind: n.kind, data: noticeData(n) }));
  if (!rows.length) return [];
  const inserted = await sql<{ id: string }>`
    insert into notification (plant_id, kind, audience, order_id, data, created_at)
    select ${plantId}, x.kind, 'sales', x.order_id, x.data, ${now}
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as x(order_id bigint, kind text, data jsonb)
    returning id`.execute(trx);
  const views = await selectNotifications(trx, plantId)
    .where('n.id', 'in', inserted.rows.map((r) => String(r.id)))
    .orderBy('n.id')
    .execute();
  return views.map((row) => ({ topic: 'notification' as const, cause, data: toNotificationView(row) }));
}

/** The facts as told: what the sentence is written from, in whatever language reads it. */
function noticeData(n: Notice): OrderNoticeData {
  const { input, memory } = n;
  const dueAt = Date.parse(input.dueAt);
  const lateness = input.latenessMinutes ?? (memory.eta - dueAt) / 60_000;
  return {
    order: input.code,
    dueAt: new Date(dueAt).toISOString(),
    eta: new Date(memory.eta).toISOString(),
    etaP90: memory.etaP90 === null ? null : new Date(memory.etaP90).toISOString(),
    latenessMinutes: Math.max(0, Math.round(lateness)),
    reasons: input.reasons,
  };
}
