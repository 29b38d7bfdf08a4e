import * as z from 'zod/mini';
import { Code, IsoInstant } from './common.ts';
import { notificationAudiences } from './notifications.ts';

/**
 * Outbound channels (issue 12). Terminology:
 * - channel: one place messages go (a WeCom / DingTalk / Feishu group robot, a Standard Webhooks
 *   endpoint, an SMTP mailbox), with its platform's signature and rate limit;
 * - subscription: picks notices by kind and filter and sends them to one channel;
 * - delivery: one message on its way to one channel; its id is the `webhook-id` on every retry;
 * - attempt: one request of a delivery (status, response code, latency, error);
 * - digest: deliveries the rate limit held back, sent together as one message.
 */

export const channelKinds = ['wecom', 'dingtalk', 'feishu', 'webhook', 'email'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export const channelLanguages = ['zh-CN', 'en'] as const;
export type ChannelLanguage = (typeof channelLanguages)[number];

/** The notice kinds a subscription can pick (the names; order.eta_moved is an order.late told again). */
export const subscribableKinds = [
  'andon.raised',
  'andon.escalated',
  'andon.resolved',
  'order.late',
  'order.eta_moved',
  'material.shortage',
  'operation.late_start',
  'quote.confirmed',
] as const;
export type SubscribableKind = (typeof subscribableKinds)[number];

/**
 * Each platform's documented limit on requests: WeCom and DingTalk robots 20 a minute, Feishu 100 a
 * minute and 5 a second. A webhook or a mail server states none. Messages over the limit are held and
 * rolled into one digest, never dropped.
 */
export const channelRateLimits: Record<ChannelKind, { perMinute: number | null; perSecond: number | null; maxBytes: number }> = {
  wecom: { perMinute: 20, perSecond: null, maxBytes: 4096 },
  dingtalk: { perMinute: 20, perSecond: null, maxBytes: 4096 },
  feishu: { perMinute: 100, perSecond: 5, maxBytes: 4096 },
  webhook: { perMinute: null, perSecond: null, maxBytes: 65_536 },
  email: { perMinute: null, perSecond: null, maxBytes: 65_536 },
};

const HostName = z.string().check(z.minLength(1), z.maxLength(253), z.regex(/^[A-Za-z0-9.\-:[\]]+$/));
const Email = z.string().check(z.maxLength(254), z.regex(/^[^\s@<>]+@[^\s@<>]+$/));

/** How Takt reaches the mail server; the password is the channel's write-only `secret`. */
export const SmtpSettings = z.object({
  host: HostName,
  port: z._default(z.int().check(z.gte(1), z.lte(65_535)), 587),
  /** Implicit TLS (port 465); otherwise STARTTLS. */
  secure: z._default(z.boolean(), false),
  /** Refuse to send unless the server upgrades with STARTTLS (the default). */
  requireTls: z._default(z.boolean(), true),
  /** An on-premises server with its own certificate authority. */
  allowSelfSigned: z._default(z.boolean(), false),
  user: z.optional(z.string().check(z.minLength(1), z.maxLength(254))),
  from: Email,
});
export type SmtpSettings = z.infer<typeof SmtpSettings>;

/** PUT /channels/{code}. A PUT without `secret` keeps the stored one; `secret: null` clears it. */
export const ChannelBody = z.object({
  kind: z.enum(channelKinds),
  /** The address the platform gives (e.g. DingTalk's .../robot/send?access_token=...); Takt adds the signature. */
  url: z.optional(z.string().check(z.minLength(1), z.maxLength(2000))),
  secret: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(500)))),
  smtp: z.optional(SmtpSettings),
  to: z.optional(z.array(Email).check(z.minLength(1), z.maxLength(50))),
  language: z._default(z.enum(channelLanguages), 'zh-CN'),
  enabled: z._default(z.boolean(), true),
});
export type ChannelBody = z.infer<typeof ChannelBody>;

export const ChannelView = z.object({
  code: z.string(),
  kind: z.enum(channelKinds),
  url: z.nullable(z.string()),
  /** Secrets are write-only: the API only says whether one is stored. */
  hasSecret: z.boolean(),
  smtp: z.nullable(z.object({ host: z.string(), port: z.number(), secure: z.boolean(), requireTls: z.boolean(), allowSelfSigned: z.boolean(), user: z.nullable(z.string()), from: z.string() })),
  to: z.array(z.string()),
  language: z.enum(channelLanguages),
  enabled: z.boolean(),
  /** Why Takt disabled it (410 Gone, a day of failures); null when enabled or disabled by hand. */
  disabledReason: z.nullable(z.string()),
  /** The same, for screens to word: 'gone' (410 Gone) or 'failing' (a day of failures, since failingSince). */
  disabledCause: z.nullable(z.enum(['gone', 'failing'])),
  failingSince: z.nullable(IsoInstant),
  updatedAt: IsoInstant,
  /** A webhook secret Takt generated for this PUT (none was given or stored): shown this once, for the receiver. */
  generatedSecret: z.optional(z.string()),
});
export type ChannelView = z.infer<typeof ChannelView>;

/** What picks a notice; every given list must contain the notice's value (absent or empty: any). */
export const SubscriptionFilter = z.object({
  lines: z.optional(z.array(Code).check(z.maxLength(100))),
  workCenters: z.optional(z.array(Code).check(z.maxLength(200))),
  customers: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(120))).check(z.maxLength(200))),
  departments: z.optional(z.array(z.enum(notificationAudiences)).check(z.maxLength(10))),
  /** Only notices at least this many minutes late (orders, late starts, andons open that long). */
  minMinutesLate: z.optional(z.int().check(z.gte(0), z.lte(100_000))),
});
export type SubscriptionFilter = z.infer<typeof SubscriptionFilter>;

export const SubscriptionBody = z.object({
  channel: Code,
  kinds: z.array(z.enum(subscribableKinds)).check(z.minLength(1), z.maxLength(subscribableKinds.length)),
  filter: z._default(SubscriptionFilter, {}),
  /** E-mail channels only: this subscription's sender and recipients instead of the channel's. */
  from: z.optional(Email),
  to: z.optional(z.array(Email).check(z.minLength(1), z.maxLength(50))),
  enabled: z._default(z.boolean(), true),
});
export type SubscriptionBody = z.infer<typeof SubscriptionBody>;

export const SubscriptionView = z.object({
  code: z.string(),
  channel: z.string(),
  kinds: z.array(z.enum(subscribableKinds)),
  filter: SubscriptionFilter,
  /** E-mail: the sender and recipients this subscription sends with (null: the channel's). */
  from: z.nullable(z.string()),
  to: z.nullable(z.array(z.string())),
  enabled: z.boolean(),
  updatedAt: IsoInstant,
});
export type SubscriptionView = z.infer<typeof SubscriptionView>;

/**
 * Each department's subscription out of the box: what it is told on the floor's feed, for an admin
 * to attach to a channel (the console offers them when adding a subscription).
 */
export const defaultSubscriptions: Record<'floor' | 'sales' | 'purchasing' | 'qc' | 'manager', { kinds: SubscribableKind[]; filter: SubscriptionFilter }> = {
  floor: { kinds: ['andon.raised', 'andon.escalated', 'andon.resolved', 'operation.late_start'], filter: { departments: ['floor'] } },
  sales: { kinds: ['order.late', 'order.eta_moved', 'quote.confirmed'], filter: { departments: ['sales'] } },
  purchasing: { kinds: ['material.shortage'], filter: { departments: ['purchasing'] } },
  qc: { kinds: ['andon.raised', 'andon.escalated'], filter: { departments: ['qc'] } },
  manager: { kinds: ['andon.escalated', 'order.late'], filter: { minMinutesLate: 15 } },
};

export const deliveryStates = ['pending', 'delivered', 'failed', 'disabled'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export const DeliveryAttemptView = z.object({
  at: IsoInstant,
  ok: z.nullable(z.boolean()),
  status: z.nullable(z.number()),
  latencyMs: z.nullable(z.number()),
  error: z.nullable(z.string()),
});
export type DeliveryAttemptView = z.infer<typeof DeliveryAttemptView>;

export const DeliveryView = z.object({
  id: z.string(),
  channel: z.string(),
  kind: z.string(),
  state: z.enum(deliveryStates),
  /** The message in the channel's language, as sent (a digest lists its messages). */
  summary: z.string(),
  /** Held by the channel's rate limit, waiting for its digest. */
  held: z.boolean(),
  /** The digest that carried it, when the rate limit rolled it into one. */
  digest: z.nullable(z.string()),
  attempts: z.number(),
  lastStatus: z.nullable(z.number()),
  lastError: z.nullable(z.string()),
  nextAttemptAt: z.nullable(IsoInstant),
  createdAt: IsoInstant,
  deliveredAt: z.nullable(IsoInstant),
  attemptLog: z.array(DeliveryAttemptView),
});
export type DeliveryView = z.infer<typeof DeliveryView>;

/** GET /deliveries: newest first. */
export const DeliveryListQuery = z.object({
  channel: z.optional(Code),
  state: z.optional(z.enum(deliveryStates)),
  limit: z.optional(z.string().check(z.regex(/^([1-9]\d{0,2}|1000)$/))),
});

/** POST /channels/{code}/test and /deliveries/{id}/replay take no fields. */
export const EmptyBody = z.object({});

/** POST /channels/{code}/test: one message sent now, and what the platform answered. */
export const ChannelTestView = z.object({
  delivery: z.string(),
  ok: z.boolean(),
  status: z.nullable(z.number()),
  latencyMs: z.nullable(z.number()),
  error: z.nullable(z.string()),
});
export type ChannelTestView = z.infer<typeof ChannelTestView>;
