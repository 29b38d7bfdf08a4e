import { randomUUID } from 'node:crypto';
import type { QuoteCandidate, QuoteResult } from '../../scheduler/engine/quote.ts';
import { ApiError } from '../contract/errors.ts';
import type { QuoteBody, QuoteMode, QuoteView } from '../contract/quotes.ts';
import type { Db, Queryable, Trx } from '../db/connect.ts';
import type { Selectable } from 'kysely';
import type { QuoteTable } from '../db/schema.ts';
import type { Actor } from '../http/actor.ts';
import type { QuoteConfirmedData } from '../contract/notifications.ts';
import type { OutgoingMessage } from '../contract/stream.ts';
import { jsonb } from '../db/jsonb.ts';
import { selectNotifications, toNotificationView } from '../db/repositories/notifications.ts';

/**
 * How long a quote holds: long enough for a call with the customer, short enough that the floor it
 * was computed on is still the floor (past it, the order is created with its own due date or re-quoted).
 */
export const QUOTE_VALID_MS = 60 * 60_000;

/** Plans a candidate order against the plant's live plan (scheduler/tasks/preview.ts, wired in server/system.ts). */
export interface QuotePlanner {
  /** `etaP90`: the date nine in ten sampled futures of the quoted plan finish the order by (null: not sampled). */
  quote(plantId: number, candidate: QuoteCandidate, mode: QuoteMode): Promise<{ quote: QuoteResult; solveMs: number; etaP90: number | null }>;
}

type QuoteRow = Selectable<QuoteTable>;

/** The date a quote promises: its P90, never before its eta (the P90 is stored no earlier than the eta). */
function promiseOf(row: Pick<QuoteRow, 'eta' | 'eta_p90'>): Date {
  return row.eta_p90 && row.eta_p90 > row.eta ? row.eta_p90 : row.eta;
}

export function quoteView(row: QuoteRow, orderCode: string | null): QuoteView {
  const eta = row.eta.toISOString();
  const promise = promiseOf(row);
  return {
    id: row.id,
    product: row.product_code,
    quantity: row.quantity,
    customer: row.customer,
    mode: row.mode,
    eta,
    etaP90: row.eta_p90?.toISOString() ?? null,
    promiseAt: promise.toISOString(),
    wantedBy: row.wanted_by?.toISOString() ?? null,
    meetsWantedBy: row.wanted_by ? promise.getTime() <= row.wanted_by.getTime() : null,
    releaseAt: row.release_at.toISOString(),
    priority: row.priority,
    impacts: row.impacts,
    solveMs: row.solve_ms,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    order: orderCode,
  };
}

/** The product's routing as the engine's candidate order (its code is the quote's, never an order's). */
async function candidateFor(db: Queryable, plantId: number, id: string, body: QuoteBody): Promise<QuoteCandidate> {
  const [steps, product] = await Promise.all([
    db.selectFrom('routing_step').selectAll().where('plant_id', '=', plantId).where('product_code', '=', body.product).orderBy('seq').execute(),
    db.selectFrom('product').select('family').where('plant_id', '=', plantId).where('code', '=', body.product).executeTakeFirst(),
  ]);
  if (!product) throw ApiError.notFound('product', body.product, 'product');
  if (steps.length === 0) throw new ApiError(409, 'invalid_state', `product '${body.product}' has no routing`, 'product');
  return {
    code: `quote:${id}`,
    product: body.product,
    ...(product.family ? { family: product.family } : {}),
    quantity: body.quantity,
    priority: body.priority,
    operations: steps.map((s) => ({
      seq: s.seq,
      workCenter: s.work_center_code,
      setupMinutes: s.setup_minutes,
      runMinutesPerUnit: s.run_minutes_per_unit,
      minTransferMinutes: s.min_transfer_minutes,
      quantity: body.quantity,
      status: 'pending' as const,
    })),
  };
}

/**
 * Quotes a date for a new order and keeps the quote; nothing else is written. The candidate is
 * planned against the plant's live state on the what-if thread (scheduler/engine/quote.ts says how).
 */
export async function createQuote(db: Db, planner: QuotePlanner, actor: Actor, body: QuoteBody, now: Date): Promise<QuoteView> {
  const id = randomUUID();
  const candidate = await candidateFor(db, actor.plantId, id, body);
  const { quote, solveMs, etaP90 } = await planner.quote(actor.plantId, candidate, body.mode);
  if (!quote.ok) {
    throw new ApiError(409, 'invalid_state', `the plant cannot be planned now: ${quote.errors.map((e) => e.message).join('; ')}`);
  }
  const iso = (t: number) => new Date(t).toISOString();
  const row = await db
    .insertInto('quote')
    .values({
      id,
      plant_id: actor.plantId,
      product_code: body.product,
      quantity: body.quantity,
      customer: body.customer ?? null,
      mode: body.mode,
      wanted_by: body.wantedBy ?? null,
      eta: new Date(quote.eta),
      eta_p90: etaP90 === null ? null : new Date(Math.max(etaP90, quote.eta)),
      release_at: new Date(quote.releaseAt),
      priority: quote.priority,
      impacts: quote.impacts.map((i) => ({ order: i.order, etaBefore: iso(i.etaBefore), etaAfter: iso(i.etaAfter), lateBefore: i.lateBefore, lateAfter: i.lateAfter })),
      solve_ms: Math.round(solveMs * 10) / 10,
      created_by: actor.name,
      created_at: now,
      expires_at: new Date(now.getTime() + QUOTE_VALID_MS),
      order_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return quoteView(row, null);
}

export async function getQuote(db: Queryable, plantId: number, id: string): Promise<QuoteView> {
  const row = await db
    .selectFrom('quote as q')
    .leftJoin('customer_order as o', 'o.id', 'q.order_id')
    .selectAll('q')
    .select('o.code as order_code')
    .where('q.plant_id', '=', plantId)
    .where('q.id', '=', id)
    .executeTakeFirst();
  if (!row) throw ApiError.notFound('quote', id, 'id');
  const { order_code, ...quote } = row;
  return quoteView(quote, order_code);
}

/** What an order created from a quote takes from it; the quote is spent (one order per quote). */
export interface QuotedTerms {
  dueAt: Date;
  releaseAt: Date | null;
  priority: number;
  customer: string | null;
}

/**
 * Locks the quote and checks that the order matches what was quoted and that it is still fresh. The
 * due date is the quote's promise (its P90) unless a later one is asked for; the release and priority are those the
 * quote was planned with, so the live plan starts from the situation the quote was computed for.
 */
export async function takeQuote(trx: Trx, plantId: number, order: { quote: string; product: string; quantity: number; dueAt?: string }, now: Date): Promise<QuotedTerms> {
  const row = await trx.selectFrom('quote').selectAll().where('plant_id', '=', plantId).where('id', '=', order.quote).forUpdate().executeTakeFirst();
  if (!row) throw ApiError.notFound('quote', order.quote, 'quote');
  if (row.order_id !== null) throw new ApiError(409, 'invalid_state', `quote ${row.id} already has its order`, 'quote');
  if (row.expires_at.getTime() <= now.getTime()) {
    throw new ApiError(409, 'invalid_state', `quote ${row.id} expired at ${row.expires_at.toISOString()}: ask for a new one`, 'quote');
  }
  if (row.product_code !== order.product) throw ApiError.invalid('product', `the quote is for product '${row.product_code}'`);
  if (row.quantity !== order.quantity) throw ApiError.invalid('quantity', `the quote is for quantity ${row.quantity}`);
  const asked = order.dueAt ? new Date(order.dueAt) : null;
  const promise = promiseOf(row);
  return {
    dueAt: asked && asked > promise ? asked : promise,
    releaseAt: row.release_at.getTime() > now.getTime() ? row.release_at : null,
    priority: row.priority,
    customer: row.customer,
  };
}

/**
 * Records which order the quote became, and tells sales (quote.confirmed) in the same transaction:
 * the promise is now an order. Returns the notification's stream message for the caller to publish.
 */
export async function markQuoteUsed(trx: Trx, quoteId: string, order: { id: string; code: string; customer: string | null; dueAt: Date }, now: Date): Promise<OutgoingMessage[]> {
  const quote = await trx.updateTable('quote').set({ order_id: order.id }).where('id', '=', quoteId).returning(['plant_id', 'product_code', 'quantity', 'eta']).executeTakeFirstOrThrow();
  const data: QuoteConfirmedData = { order: order.code, quote: quoteId, customer: order.customer, product: quote.product_code, quantity: quote.quantity, orderDueAt: order.dueAt.toISOString(), eta: quote.eta.toISOString() };
  const inserted = await trx
    .insertInto('notification')
    .values({ plant_id: quote.plant_id, kind: 'quote.confirmed', audience: 'sales', andon_id: null, order_id: order.id, level: null, notify: null, data: jsonb(data), created_at: now, read_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await selectNotifications(trx, quote.plant_id).where('n.id', '=', inserted.id).executeTakeFirstOrThrow();
  return [{ topic: 'notification', cause: order.code, data: toNotificationView(row) }];
}

