import * as z from 'zod/mini';
import type { Role } from './auth.ts';
import { LateReason } from './schedule.ts';

/**
 * The plant's in-app notification feed. A notification has a kind, an audience (who it is for), a
 * subject (an andon or an order) and the facts to word it from: screens write the sentence in their
 * own language from those facts, so nothing here is prose.
 */

/**
 * Who a notification is for: 'floor' (andon notices, the ladder's `notify` naming the person; late
 * starts, for leads and planners), 'sales', and the departments: 'purchasing', 'warehouse', 'qc'
 * (also told of quality alerts, in rows of their own), 'manager'; 'admin' (a channel Takt disabled).
 */
export const notificationAudiences = ['floor', 'sales', 'purchasing', 'warehouse', 'qc', 'manager', 'admin'] as const;
export type NotificationAudience = (typeof notificationAudiences)[number];

/**
 * The part of the plant's feed a role reads in the console: each department its own notices (andon
 * alerts are not sales' to act on, nor a late start purchasing's); planners, leads, managers and
 * admins the whole feed. The API serves any part to any role.
 */
export function feedAudienceOf(role: Role): NotificationAudience | null {
  switch (role) {
    case 'sales':
    case 'purchasing':
    case 'warehouse':
    case 'qc':
      return role;
    default:
      return null;
  }
}

/**
 * A user's own feed (GET /notifications?for=me): their department's notices (admins: the admins'),
 * the andon notices whose ladder level names them (`notify` is their role or their name, as the
 * escalation ladder says it: "lead", "manager", "Zhang Wei"), and for leads and planners the late
 * starts, which are theirs to chase.
 */
export function ownAudienceOf(role: Role): NotificationAudience | null {
  return role === 'admin' ? 'admin' : role === 'manager' ? 'manager' : feedAudienceOf(role);
}
export const lateStartReaders: readonly Role[] = ['lead', 'planner'];

/**
 * Whether a notice is in the caller's own feed: the rule GET /notifications?for=me applies in SQL
 * (server/notifications/service.ts), for the console to keep live messages to it. The two are held
 * together by tests/api/own-feed.test.ts.
 */
export function isOwnNotice(n: { audience: NotificationAudience; kind: string; notify?: string | null; andonId?: string }, caller: { role: Role; name: string }): boolean {
  const own = ownAudienceOf(caller.role);
  if (own !== null && n.audience === own) return true;
  const names = [caller.role, caller.name.trim()].map((x) => x.toLowerCase());
  if (n.andonId !== undefined && n.audience === 'floor' && typeof n.notify === 'string' && names.includes(n.notify.trim().toLowerCase())) return true;
  return lateStartReaders.includes(caller.role) && n.kind === 'operation.late_start';
}

export const andonNotificationKinds = ['andon.escalated', 'andon.raised', 'andon.resolved'] as const;

/**
 * The whole feed (no audience asked: planners, leads, managers) shows each andon notice once, the
 * floor's; a department's copy of it (QC's, of a quality alert) is only in that department's part.
 */
export function inWholeFeed(n: { kind: string; audience: NotificationAudience }): boolean {
  return !(andonNotificationKinds as readonly string[]).includes(n.kind) || n.audience === 'floor';
}
/**
 * order.late: the ETA is past the due date (told once, again when the ETA moves by more than an hour);
 * order.at_risk: the ETA makes it but the P90 does not (told once); order.on_time: back on time after
 * either. The rule is server/contract/order-notice.ts.
 */
export const orderNotificationKinds = ['order.late', 'order.at_risk', 'order.on_time'] as const;
/** operation.late_start: planned to start more than the work center's lateStartMinutes ago and not started (told once). */
export const operationNotificationKinds = ['operation.late_start'] as const;
/**
 * material.below_reorder: a component's on-hand crossed below its reorder point (told once per
 * crossing); material.shortage: the plan forecasts a component running short (told once until the
 * forecast no longer shows it). Both for purchasing.
 */
export const materialNotificationKinds = ['material.below_reorder', 'material.shortage'] as const;
/** quote.confirmed: an order was created from a quote (sales). */
export const quoteNotificationKinds = ['quote.confirmed'] as const;
/** channel.disabled: an outbound channel failed for a day or its endpoint said 410 Gone (admins). */
export const channelNotificationKinds = ['channel.disabled'] as const;
export const notificationKinds = [
  ...andonNotificationKinds,
  ...orderNotificationKinds,
  ...operationNotificationKinds,
  ...materialNotificationKinds,
  ...quoteNotificationKinds,
  ...channelNotificationKinds,
] as const;
export type MaterialNotificationKind = (typeof materialNotificationKinds)[number];
export type NotificationKind = (typeof notificationKinds)[number];
export type OrderNotificationKind = (typeof orderNotificationKinds)[number];

const common = {
  id: z.number(),
  createdAt: z.string(),
  readAt: z.nullable(z.string()),
};

/** An andon notice, as before order notices existed (stored messages without `audience` are the floor's). */
export const AndonNotificationView = z.object({
  ...common,
  kind: z.enum(andonNotificationKinds),
  audience: z._default(z.enum(notificationAudiences), 'floor'),
  andonId: z.string(),
  workCenter: z.string(),
  reason: z.string(),
  level: z.number(),
  notify: z.string(),
});
export type AndonNotificationView = z.infer<typeof AndonNotificationView>;

/** What an order notice says, as told: also the stored `data` of its row. Instants are ISO strings. */
export const OrderNoticeData = z.object({
  order: z.string(),
  dueAt: z.string(),
  eta: z.string(),
  etaP90: z.nullable(z.string()),
  /** Minutes the ETA is past the due date (0 when it makes it). */
  latenessMinutes: z.number(),
  reasons: z.array(LateReason),
});
export type OrderNoticeData = z.infer<typeof OrderNoticeData>;

export const OrderNotificationView = z.object({
  ...common,
  kind: z.enum(orderNotificationKinds),
  audience: z.enum(notificationAudiences),
  ...OrderNoticeData.shape,
});
export type OrderNotificationView = z.infer<typeof OrderNotificationView>;

/** What a late-start notice says, as told: also the stored `data` of its row. */
export const LateStartNoticeData = z.object({
  order: z.string(),
  seq: z.number(),
  workCenter: z.string(),
  machine: z.nullable(z.number()),
  plannedStart: z.string(),
  /** Minutes past the planned start when told (at least the work center's lateStartMinutes). */
  minutesLate: z.number(),
});
export type LateStartNoticeData = z.infer<typeof LateStartNoticeData>;

export const LateStartNotificationView = z.object({
  ...common,
  kind: z.enum(operationNotificationKinds),
  audience: z.enum(notificationAudiences),
  ...LateStartNoticeData.shape,
});
export type LateStartNotificationView = z.infer<typeof LateStartNotificationView>;

/** A component below its reorder point, as told: also the stored `data` of its row. */
export const BelowReorderData = z.object({ component: z.string(), onHand: z.number(), reorderPoint: z.number(), unit: z.string() });
export type BelowReorderData = z.infer<typeof BelowReorderData>;

/** A forecast shortage, as told: also the stored `data` of its row. */
export const ShortageNoticeData = z.object({
  component: z.string(),
  neededAt: z.string(),
  shortBy: z.number(),
  unit: z.string(),
  orders: z.array(z.string()),
  workCenters: z.array(z.string()),
});
export type ShortageNoticeData = z.infer<typeof ShortageNoticeData>;

export const BelowReorderNotificationView = z.object({ ...common, kind: z.literal('material.below_reorder'), audience: z.enum(notificationAudiences), ...BelowReorderData.shape });
export const ShortageNotificationView = z.object({ ...common, kind: z.literal('material.shortage'), audience: z.enum(notificationAudiences), ...ShortageNoticeData.shape });

/** An order created from a quote, as told: also the stored `data` of its row. */
export const QuoteConfirmedData = z.object({
  order: z.string(),
  quote: z.string(),
  customer: z.nullable(z.string()),
  product: z.string(),
  quantity: z.number(),
  /** The order's due date: the quote's promise (unless the order asked later). */
  orderDueAt: z.string(),
  eta: z.string(),
});
export type QuoteConfirmedData = z.infer<typeof QuoteConfirmedData>;

/** An outbound channel Takt disabled, and why: also the stored `data` of its row. */
export const ChannelDisabledData = z.object({
  channel: z.string(),
  /** 'gone': the endpoint answered 410; 'failing': every attempt failed for a day. */
  cause: z.enum(['gone', 'failing']),
  failingSince: z.nullable(z.string()),
  lastError: z.nullable(z.string()),
});
export type ChannelDisabledData = z.infer<typeof ChannelDisabledData>;

export const QuoteConfirmedNotificationView = z.object({ ...common, kind: z.literal('quote.confirmed'), audience: z.enum(notificationAudiences), ...QuoteConfirmedData.shape });
export const ChannelDisabledNotificationView = z.object({ ...common, kind: z.literal('channel.disabled'), audience: z.enum(notificationAudiences), ...ChannelDisabledData.shape });

/** One entry of the in-app notification feed (also a `notification` stream message). */
export const NotificationView = z.discriminatedUnion('kind', [
  AndonNotificationView,
  OrderNotificationView,
  LateStartNotificationView,
  BelowReorderNotificationView,
  ShortageNotificationView,
  QuoteConfirmedNotificationView,
  ChannelDisabledNotificationView,
]);
export type NotificationView = z.infer<typeof NotificationView>;

/**
 * GET /notifications: newest first; unread=true leaves out what has been read; audience=sales keeps
 * sales' notices; for=me keeps the caller's own (notifiesCaller below).
 */
export const NotificationListQuery = z.object({
  unread: z.optional(z.enum(['true', 'false'])),
  audience: z.optional(z.enum(notificationAudiences)),
  for: z.optional(z.enum(['me'])),
  limit: z.optional(z.string().check(z.regex(/^([1-9]\d{0,2}|1000)$/))),
});

/** POST /notifications/{id}/read takes no fields; an empty body (or none) is fine. */
export const NotificationReadBody = z.object({});
