import type { OrderNotificationKind } from './notifications.ts';

/**
 * When sales hear about an order's due date (the one home of this rule; the worker applies it in
 * server/db/repositories/order-notices.ts after each plan and each P90 sampling):
 * - the ETA passes the due date (late by the one definition, lateness.ts): told "late", once;
 * - while late, told again only when the ETA moved by more than an hour since the last notice, so
 *   a plan that shuffles the queue by minutes does not page anyone;
 * - the ETA makes it but the P90 does not: told "at risk", once (until it turns late or on time);
 * - after either, the ETA and the P90 both make it again: told "on time", once.
 * Nothing is said about an order that never crossed, one without an ETA, or a completed one.
 */

export const orderNoticeStates = ['late', 'at_risk', 'on_time'] as const;
export type OrderNoticeState = (typeof orderNoticeStates)[number];

/** What was last told: the state and the ETA / P90 it was told with (epoch ms). */
export interface OrderNoticeMemory {
  state: OrderNoticeState;
  eta: number;
  etaP90: number | null;
}

/** The order as the plan (or the sampling) sees it now (epoch ms). A null P90 is "not sampled yet". */
export interface OrderOutlook {
  dueAt: number;
  eta: number | null;
  etaP90: number | null;
  completed: boolean;
}

export type OrderNoticeDecision =
  | { notice: null }
  | { notice: OrderNotificationKind; memory: OrderNoticeMemory };

/** A late ETA moving by this much or less since the last notice is not news. */
export const LATE_NOTICE_MOVE_MS = 60 * 60_000;

const kindOf = { late: 'order.late', at_risk: 'order.at_risk', on_time: 'order.on_time' } as const satisfies Record<OrderNoticeState, OrderNotificationKind>;

/** Where an order stands against its due date now; null when there is nothing to say (no ETA, completed). */
export function outlookState(order: OrderOutlook): OrderNoticeState | null {
  if (order.completed || order.eta === null) return null;
  // Late as lateness.ts defines it: with an ETA, the ETA after the due date.
  if (order.eta > order.dueAt) return 'late';
  return order.etaP90 !== null && order.etaP90 > order.dueAt ? 'at_risk' : 'on_time';
}

/** Whether to tell sales now, given what they were last told (null: never told anything). */
export function decideOrderNotice(previous: OrderNoticeMemory | null, order: OrderOutlook): OrderNoticeDecision {
  const now = outlookState(order);
  if (now === null || order.eta === null) return { notice: null };
  const told = previous?.state ?? 'on_time';
  const tell = (state: OrderNoticeState): OrderNoticeDecision => ({ notice: kindOf[state], memory: { state, eta: order.eta!, etaP90: order.etaP90 } });
  if (now === told) {
    // Only a late ETA that moved by more than the threshold is told again; "at risk" and "on time" once.
    return now === 'late' && Math.abs(order.eta - previous!.eta) > LATE_NOTICE_MOVE_MS ? tell('late') : { notice: null };
  }
  // Told late, now merely at risk: the ETA came back within the due date but the P90 does not. Not
  // "back on time"; said (as at risk) only if the ETA moved enough to be news, like any late move.
  if (told === 'late' && now === 'at_risk') {
    return Math.abs(order.eta - previous!.eta) > LATE_NOTICE_MOVE_MS ? tell('at_risk') : { notice: null };
  }
  return tell(now);
}

/** Minutes the ETA is past the due date, 0 when it makes it. */
export function latenessMinutes(order: { eta: number; dueAt: number }): number {
  return Math.max(0, Math.round((order.eta - order.dueAt) / 60_000));
}
