import type { AndonView } from '$contract/andon.ts';
import type { OrderView } from '$contract/orders.ts';
import { isOpenAndon } from './floor-model.ts';

/**
 * The shift summary strip of the TV board. Definitions (what the figures mean on the floor):
 *
 * - **Output vs plan today**: over the orders due today (in the plant's time zone, any status),
 *   good units made so far (each order's good quantity, capped at its quantity) against the units
 *   those orders call for. It is the day's delivery plan in pieces.
 * - **Plan adherence**: the share of today's orders (same set) that are completed, or still open and
 *   forecast by the scheduler to finish by their due time (ETA <= due). 100 % = today's plan holds.
 *   No orders due today: no figure (shown as "—"), not 100 %.
 * - **Open alerts**: andon alerts raised or acknowledged on this board's work centers.
 * - **Late orders**: open orders of the plant the scheduler forecasts past due (`late`).
 *
 * Sources: /orders?status=all (quantities, due, ETA, late) and the open alerts; the plant-wide
 * order figures do not follow a board's line filter (an order crosses lines).
 */
export interface ShiftSummary {
  output: number;
  plan: number;
  /** 0..1, or null with no orders due today. */
  adherence: number | null;
  openAlerts: number;
  lateOrders: number;
  dueToday: number;
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function plantDay(instant: Date | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export function shiftSummary(input: { orders: OrderView[]; andons: AndonView[]; now: number; timeZone: string }): ShiftSummary {
  const today = plantDay(input.now, input.timeZone);
  const due = input.orders.filter((o) => plantDay(new Date(o.dueAt), input.timeZone) === today);
  const output = due.reduce((sum, o) => sum + Math.min(o.quantityGood, o.quantity), 0);
  const plan = due.reduce((sum, o) => sum + o.quantity, 0);
  const holding = due.filter(
    (o) => o.status === 'completed' || (o.eta !== null && !o.late && new Date(o.eta).getTime() <= new Date(o.dueAt).getTime()),
  ).length;
  return {
    output,
    plan,
    adherence: due.length > 0 ? holding / due.length : null,
    openAlerts: input.andons.filter(isOpenAndon).length,
    lateOrders: input.orders.filter((o) => o.status === 'open' && o.late).length,
    dueToday: due.length,
  };
}
