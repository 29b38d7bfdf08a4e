/**
 * The orders behind the Gantt's bars, by code, kept current from ETA messages: immutable maps, so a
 * rune holding one changes only when an order the page shows changed.
 */
import type { OrderView } from '$contract/orders.ts';
import type { EtaChange } from '$contract/stream.ts';

export type OrdersByCode = ReadonlyMap<string, OrderView>;

export const ordersByCode = (orders: readonly OrderView[]): OrdersByCode => new Map(orders.map((o) => [o.code, o]));

export const withOrder = (orders: OrdersByCode, order: OrderView): OrdersByCode => new Map(orders).set(order.code, order);

/** ETA, lateness and reasons from an eta message; orders the page does not hold are left out. */
export function withEtaChanges(orders: OrdersByCode, changes: readonly EtaChange[]): OrdersByCode {
  const next = new Map(orders);
  for (const c of changes) {
    const order = next.get(c.order);
    if (order) next.set(c.order, { ...order, eta: c.eta, late: c.late, latenessMinutes: c.latenessMinutes, reasons: c.reasons });
  }
  return next;
}
