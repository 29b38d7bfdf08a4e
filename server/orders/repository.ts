import { sql, type Expression, type SqlBool } from 'kysely';
import type { Queryable, Trx } from '../db/connect.ts';

/** The order row with its ETA, in one query: what lists and details both start from. */
export function selectOrdersWithEta(db: Queryable, plantId: number) {
  return db
    .selectFrom('customer_order as o')
    .innerJoin('product as p', (j) => j.onRef('p.plant_id', '=', 'o.plant_id').onRef('p.code', '=', 'o.product_code'))
    .leftJoin('order_eta as e', 'e.order_id', 'o.id')
    .where('o.plant_id', '=', plantId)
    .select([
      'o.id',
      'o.code',
      'o.product_code',
      'p.name as product_name',
      'o.quantity',
      'o.due_at',
      'o.release_at',
      'o.priority',
      'o.customer',
      'o.status',
      'o.created_at',
      'o.shipped_at',
      'e.eta',
      'e.late',
      'e.lateness_minutes',
      'e.reasons',
      'e.eta_p50',
      'e.eta_p90',
      // The ETA as it stood a day ago, for the trend mark: the newest history row at least 24 h old.
      (eb) =>
        eb
          .selectFrom('order_eta_history as h')
          .select('h.eta')
          .whereRef('h.order_id', '=', 'o.id')
          .where('h.at', '<=', sql<Date>`now() - interval '24 hours'`)
          .orderBy('h.at', 'desc')
          .limit(1)
          .as('eta_day_ago'),
    ]);
}

export async function findOrderId(db: Queryable, plantId: number, code: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('customer_order')
    .select('id')
    .where('plant_id', '=', plantId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.id;
}

/** An operation's place and progress: what state changes and order details both read. */
export const operationStateColumns = ['op.order_id', 'op.seq', 'op.work_center_code', 'op.status', 'op.quantity_good', 'op.quantity_scrap'] as const;

/** Locks the operation row for a state change: the type requires a transaction. */
export async function lockOperation(trx: Trx, plantId: number, orderCode: string, seq: number) {
  return await trx
    .selectFrom('operation as op')
    .innerJoin('customer_order as o', 'o.id', 'op.order_id')
    .where('o.plant_id', '=', plantId)
    .where('o.code', '=', orderCode)
    .where('op.seq', '=', seq)
    .select([
      ...operationStateColumns,
      'op.machine',
      'op.started_at',
      'o.quantity',
      'o.product_code',
      'o.status as order_status',
    ])
    // Not FOR UPDATE: late starts and pins reference operations by key, and inserting one (a key-share
    // lock) must not make a press wait for that transaction, nor a press block it.
    .forNoKeyUpdate('op')
    .executeTakeFirst();
}

/**
 * `isLate` (server/contract/lateness.ts) as SQL over selectOrdersWithEta's aliases, so `late=` can
 * filter before the limit. Kept beside the query it extends; tests/api/rules.test.ts holds the two
 * definitions together.
 */
export function lateCondition(late: boolean, now: Date): Expression<SqlBool> {
  // The caller's clock, not the database's: the rows' flags are computed with the same instant.
  const lateSql = sql<boolean>`(o.status <> 'completed' and case when e.eta is not null then e.eta > o.due_at else o.due_at < ${now}::timestamptz end)`;
  return late ? sql<SqlBool>`${lateSql}` : sql<SqlBool>`not ${lateSql}`;
}
