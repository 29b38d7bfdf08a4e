import type { OrderView } from '$contract/orders.ts';

/**
 * The sales view's reading of the order list: how each order stands against its promise, and which
 * rows the filters keep. Pure, so the rules are tested without a page (tests/ui/sales-rows.test.ts).
 */

/** An ETA that moved less than this since yesterday is "unchanged": re-plans jiggle ETAs by minutes. */
export const TREND_TOLERANCE_MINUTES = 15;

export type Trend = 'later' | 'earlier' | 'same' | 'unknown';
export type Standing = 'late' | 'at-risk' | 'on-time' | 'completed';

/** Where the ETA went since the same time yesterday; unknown without both ETAs. */
export function trendOf(order: Pick<OrderView, 'eta' | 'etaDayAgo'>, toleranceMinutes = TREND_TOLERANCE_MINUTES): Trend {
  if (order.eta === null || order.etaDayAgo === null) return 'unknown';
  const movedMinutes = (Date.parse(order.eta) - Date.parse(order.etaDayAgo)) / 60_000;
  if (movedMinutes > toleranceMinutes) return 'later';
  if (movedMinutes < -toleranceMinutes) return 'earlier';
  return 'same';
}

/** Due minus ETA in minutes: positive is slack, negative is lateness; null before the first plan. */
export function slackMinutes(order: Pick<OrderView, 'eta' | 'dueAt'>): number | null {
  if (order.eta === null) return null;
  return Math.round((Date.parse(order.dueAt) - Date.parse(order.eta)) / 60_000);
}

export function standingOf(order: Pick<OrderView, 'status' | 'late' | 'atRisk'>): Standing {
  if (order.status === 'completed') return 'completed';
  if (order.late) return 'late';
  return order.atRisk ? 'at-risk' : 'on-time';
}

export interface SalesFilter {
  /** Exact customer name; '' for all, NO_CUSTOMER for orders without one. */
  customer: string;
  late: boolean;
  atRisk: boolean;
  search: string;
}

/** The customer filter's value for orders placed without a customer. */
export const NO_CUSTOMER = '\u0000none';

export const emptyFilter: SalesFilter = { customer: '', late: false, atRisk: false, search: '' };

/**
 * Open orders that pass the filter. "Late" and "at risk" widen each other (a salesperson asking for
 * both wants every order in trouble); with neither ticked every open order passes.
 */
export function filterOrders(orders: readonly OrderView[], filter: SalesFilter): OrderView[] {
  const needle = filter.search.trim().toLocaleLowerCase();
  return orders.filter((o) => {
    if (o.status !== 'open') return false;
    if (filter.customer === NO_CUSTOMER ? o.customer !== null : filter.customer !== '' && o.customer !== filter.customer) return false;
    if ((filter.late || filter.atRisk) && !((filter.late && o.late) || (filter.atRisk && o.atRisk))) return false;
    if (needle && !o.code.toLocaleLowerCase().includes(needle) && !(o.customer ?? '').toLocaleLowerCase().includes(needle)) return false;
    return true;
  });
}

export interface CustomerGroup {
  /** null: orders without a customer (listed last). */
  customer: string | null;
  orders: OrderView[];
  late: number;
  atRisk: number;
}

/** Groups by customer, by name (in the reader's collation); each group's orders by due date. */
export function groupByCustomer(orders: readonly OrderView[], collator: Intl.Collator = new Intl.Collator()): CustomerGroup[] {
  const byCustomer = new Map<string | null, OrderView[]>();
  for (const o of orders) {
    const list = byCustomer.get(o.customer);
    if (list) list.push(o);
    else byCustomer.set(o.customer, [o]);
  }
  return [...byCustomer.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : collator.compare(a, b)))
    .map(([customer, list]) => {
      const sorted = list.toSorted((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.code.localeCompare(b.code));
      return { customer, orders: sorted, late: sorted.filter((o) => o.late).length, atRisk: sorted.filter((o) => o.atRisk).length };
    });
}

/** The customers to offer in the filter: every one with an open order, sorted. */
export function customersOf(orders: readonly OrderView[], collator: Intl.Collator = new Intl.Collator()): string[] {
  const names = new Set<string>();
  for (const o of orders) if (o.status === 'open' && o.customer !== null) names.add(o.customer);
  return [...names].sort(collator.compare);
}
