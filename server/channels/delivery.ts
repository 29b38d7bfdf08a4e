import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { channelRateLimits, SmtpSettings, type ChannelKind } from '../contract/channels.ts';
import type { Db, Queryable, Trx } from '../db/connect.ts';
import { jsonb } from '../db/jsonb.ts';
import { selectNotifications, toNotificationView } from '../db/repositories/notifications.ts';
import { publish } from '../outbox/stream-messages.ts';
import { NoticeFacts } from './facts.ts';
import { limitedBytes, send, type Outcome, type Outgoing, type SendChannel } from './send.ts';
import { messageOf, testMessage, type Message } from './templates.ts';

export const DELIVER_TASK = 'channels_deliver';
export const FLUSH_TASK = 'channels_flush';

/**
 * When a failed delivery is tried again, after its 1st, 2nd, ... failure: the Standard Webhooks
 * example schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 27 hours),
 * each delay jittered by up to 10 % either way so a plant's retries do not arrive in step.
 */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
/** A channel whose every attempt failed for this long is disabled, and admins are told. */
export const DISABLE_AFTER_MS = 86_400_000;
/** A Retry-After further away than this is taken as this: the schedule's own longest wait. */
const MAX_RETRY_AFTER_MS = 36_000_000;

export interface DeliveryDeps {
  /** TAKT_OUTBOUND_ALLOW_LOOPBACK. */
  allowLoopback: boolean;
  /** Where links in messages point (TAKT_PUBLIC_URL, else the server's own origin). */
  publicUrl: string;
  now: () => Date;
  /** In [0, 1): the retry jitter. */
  random: () => number;
  timeoutMs?: number;
}

export const newDeliveryId = () => `msg_${randomBytes(16).toString('hex')}`;

/** Adds (or moves) a delivery's job; one key per delivery, so a replay or retry reuses it. */
export async function scheduleDelivery(q: Queryable, id: string, runAt: Date): Promise<void> {
  await sql`select graphile_worker.add_job(
      identifier => ${DELIVER_TASK},
      payload => ${JSON.stringify({ deliveryId: id })}::text::json,
      run_at => ${runAt.toISOString()}::timestamptz,
      job_key => ${`delivery:${id}`},
      job_key_mode => 'replace',
      max_attempts => 5
    )`.execute(q);
}

async function scheduleFlush(q: Queryable, channelId: string, runAt: Date): Promise<void> {
  await sql`select graphile_worker.add_job(
      identifier => ${FLUSH_TASK},
      payload => ${JSON.stringify({ channelId: Number(channelId) })}::text::json,
      run_at => ${runAt.toISOString()}::timestamptz,
      job_key => ${`channel-flush:${channelId}`},
      job_key_mode => 'replace',
      max_attempts => 5
    )`.execute(q);
}

/** The channel row, locked: every decision about its rate limit and health is taken under this lock. */
async function lockChannel(trx: Trx, channelId: string) {
  return await trx.selectFrom('channel').selectAll().where('id', '=', channelId).forUpdate().executeTakeFirstOrThrow();
}
type ChannelRow = Awaited<ReturnType<typeof lockChannel>>;

/**
 * When the channel's rate limit next lets a request out, or null if one may leave now. Counted from
 * the attempts in the database (a request counts from the moment it leaves), so every worker agrees.
 */
async function rateFreeAt(trx: Trx, channel: { id: string; kind: ChannelKind }, now: Date): Promise<Date | null> {
  const limits = channelRateLimits[channel.kind];
  let freeAt: number | null = null;
  for (const [limit, windowMs] of [[limits.perMinute, 60_000], [limits.perSecond, 1_000]] as const) {
    if (limit === null) continue;
    const recent = await trx
      .selectFrom('delivery_attempt')
      .select('started_at')
      .where('channel_id', '=', channel.id)
      .where('started_at', '>', new Date(now.getTime() - windowMs))
      .where('started_at', '<=', now)
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
    if (recent.length < limit) continue;
    // The oldest of the last `limit` requests leaves the rolling window just after windowMs.
    const at = recent[limit - 1]!.started_at.getTime() + windowMs + 1;
    freeAt = Math.max(freeAt ?? 0, at);
  }
  return freeAt === null ? null : new Date(freeAt);
}

interface Reservation {
  attemptId: string;
  deliveryId: string;
  kind: string;
  facts: unknown;
  channel: ChannelRow;
  now: Date;
}

async function reserve(trx: Trx, delivery: { id: string; kind: string; facts: unknown }, channel: ChannelRow, now: Date): Promise<Reservation> {
  const attempt = await trx.insertInto('delivery_attempt').values({ delivery_id: delivery.id, channel_id: channel.id, started_at: now, ok: null, status: null, latency_ms: null, error: null }).returning('id').executeTakeFirstOrThrow();
  await trx.updateTable('delivery').set((eb) => ({ attempts: eb('attempts', '+', 1), held: false, next_attempt_at: null })).where('id', '=', delivery.id).execute();
  return { attemptId: attempt.id, deliveryId: delivery.id, kind: delivery.kind, facts: delivery.facts, channel, now };
}

/**
 * One attempt of one delivery (the deliver job). Under the channel's lock it either reserves the
 * attempt, or holds the delivery for the next digest when the rate limit is reached or others are
 * already held (so messages keep their order). The request itself is made outside any transaction.
 */
export async function attemptDelivery(db: Db, deliveryId: string, deps: DeliveryDeps): Promise<Outcome | null> {
  const now = deps.now();
  const reservation = await db.transaction().execute(async (trx) => {
    const head = await trx.selectFrom('delivery').select('channel_id').where('id', '=', deliveryId).executeTakeFirst();
    if (!head) return null;
    const channel = await lockChannel(trx, head.channel_id);
    const delivery = await trx.selectFrom('delivery').selectAll().where('id', '=', deliveryId).forUpdate().executeTakeFirstOrThrow();
    if (delivery.state !== 'pending' || delivery.digest_id !== null) return null;
    if (!channel.enabled) {
      await trx.updateTable('delivery').set({ state: 'disabled', held: false, next_attempt_at: null }).where('id', '=', deliveryId).execute();
      return null;
    }
    const freeAt = await rateFreeAt(trx, channel, now);
    if (delivery.kind === 'digest') {
      if (freeAt) {
        await trx.updateTable('delivery').set({ next_attempt_at: freeAt }).where('id', '=', deliveryId).execute();
        await scheduleDelivery(trx, deliveryId, freeAt);
        return null;
      }
    } else {
      const queued = await trx.selectFrom('delivery').select('id').where('channel_id', '=', channel.id).where('state', '=', 'pending').where('held', '=', true).where('id', '!=', deliveryId).limit(1).executeTakeFirst();
      if (freeAt || queued || delivery.held) {
        await trx.updateTable('delivery').set({ held: true, next_attempt_at: freeAt ?? now }).where('id', '=', deliveryId).execute();
        await scheduleFlush(trx, channel.id, freeAt ?? now);
        return null;
      }
    }
    return await reserve(trx, delivery, channel, now);
  });
  return reservation ? await sendReserved(db, reservation, deps) : null;
}

/**
 * Sends what the rate limit held on one channel (the flush job): as many held messages as fit in the
 * platform's size limit, in one digest (or alone, if one), and asks to run again while more are held.
 */
export async function flushChannel(db: Db, channelId: string, deps: DeliveryDeps): Promise<Outcome | null> {
  const now = deps.now();
  const reservation = await db.transaction().execute(async (trx) => {
    const channel = await lockChannel(trx, channelId);
    const held = await trx
      .selectFrom('delivery')
      .select(['id', 'kind', 'facts'])
      .where('channel_id', '=', channelId)
      .where('state', '=', 'pending')
      .where('held', '=', true)
      .orderBy('created_at')
      .orderBy('id')
      .limit(500)
      .forUpdate()
      .execute();
    if (!held.length) return null;
    if (!channel.enabled) {
      await trx.updateTable('delivery').set({ state: 'disabled', held: false }).where('id', 'in', held.map((h) => h.id)).execute();
      return null;
    }
    const freeAt = await rateFreeAt(trx, channel, now);
    if (freeAt) {
      await scheduleFlush(trx, channelId, freeAt);
      return null;
    }
    const language = channel.language;
    const messages = held.map((h) => messageOf(NoticeFacts.parse(h.facts), language, deps.publicUrl));
    const maxBytes = channelRateLimits[channel.kind].maxBytes;
    let take = 1;
    while (take < held.length && limitedBytes(toSendChannel(channel), messages.slice(0, take + 1)) <= maxBytes) take++;
    const taken = held.slice(0, take);
    if (take < held.length) await scheduleFlush(trx, channelId, now);
    if (take === 1) return await reserve(trx, taken[0]!, channel, now);
    const digest = { id: newDeliveryId(), kind: 'digest', facts: {} };
    await trx.insertInto('delivery').values({ id: digest.id, plant_id: channel.plant_id, channel_id: channelId, subscription_id: null, notification_id: null, kind: 'digest', facts: jsonb({}), created_at: now }).execute();
    await trx.updateTable('delivery').set({ digest_id: digest.id, held: false, next_attempt_at: null }).where('id', 'in', taken.map((h) => h.id)).execute();
    return await reserve(trx, digest, channel, now);
  });
  return reservation ? await sendReserved(db, reservation, deps) : null;
}

export function toSendChannel(channel: ChannelRow): SendChannel {
  return {
    code: channel.code,
    kind: channel.kind,
    url: channel.url,
    secret: channel.secret,
    smtp: channel.smtp ? SmtpSettings.parse(channel.smtp) : null,
    recipients: channel.recipients,
    language: channel.language,
  };
}

/** The message(s) of a delivery in its channel's language; a digest's are its members', oldest first. */
async function outgoingOf(db: Queryable, r: Reservation, publicUrl: string): Promise<Outgoing> {
  const language = r.channel.language;
  if (r.kind === 'test') return { id: r.deliveryId, type: 'test', messages: [testMessage(r.channel.code, language, publicUrl)], data: { channel: r.channel.code } };
  if (r.kind === 'digest') {
    const members = await db.selectFrom('delivery').select(['id', 'kind', 'facts']).where('digest_id', '=', r.deliveryId).orderBy('created_at').orderBy('id').execute();
    const items = members.map((m) => ({ id: m.id, facts: NoticeFacts.parse(m.facts) }));
    const messages: Message[] = items.map((i) => messageOf(i.facts, language, publicUrl));
    return { id: r.deliveryId, type: 'digest', messages, data: { messages: items.map((i, k) => ({ id: i.id, type: i.facts.kind, ...messages[k], facts: i.facts })) } };
  }
  const facts = NoticeFacts.parse(r.facts);
  const message = messageOf(facts, language, publicUrl);
  return { id: r.deliveryId, type: facts.kind, messages: [message], data: { ...message, facts } };
}

/** An e-mail subscription may name its own sender and recipients; everything else goes as the channel says. */
async function addressedChannel(db: Queryable, r: Reservation): Promise<SendChannel> {
  const channel = toSendChannel(r.channel);
  if (channel.kind !== 'email' || !channel.smtp) return channel;
  const own = await db
    .selectFrom('delivery as d')
    .innerJoin('subscription as s', 's.id', 'd.subscription_id')
    .select(['s.mail_from', 's.recipients'])
    .where('d.id', '=', r.deliveryId)
    .executeTakeFirst();
  return { ...channel, recipients: own?.recipients ?? channel.recipients, smtp: { ...channel.smtp, from: own?.mail_from ?? channel.smtp.from } };
}

async function sendReserved(db: Db, r: Reservation, deps: DeliveryDeps): Promise<Outcome> {
  const outgoing = await outgoingOf(db, r, deps.publicUrl);
  const outcome = await send(await addressedChannel(db, r), outgoing, { now: r.now, allowLoopback: deps.allowLoopback, timeoutMs: deps.timeoutMs });
  await db.transaction().execute((trx) => recordOutcome(trx, r, outcome, deps));
  return outcome;
}

/** What an attempt's answer means: delivered; retried on the schedule (or Retry-After); or the channel disabled. */
async function recordOutcome(trx: Trx, r: Reservation, outcome: Outcome, deps: DeliveryDeps): Promise<void> {
  const now = deps.now();
  const channel = await lockChannel(trx, r.channel.id);
  await trx.updateTable('delivery_attempt').set({ ok: outcome.ok, status: outcome.status, latency_ms: outcome.latencyMs, error: outcome.error }).where('id', '=', r.attemptId).execute();
  const delivery = await trx.selectFrom('delivery').select(['attempts', 'replay_base', 'state']).where('id', '=', r.deliveryId).forUpdate().executeTakeFirstOrThrow();
  const members = trx.updateTable('delivery').where('digest_id', '=', r.deliveryId);
  await trx.updateTable('delivery').set({ last_status: outcome.status, last_error: outcome.error }).where('id', '=', r.deliveryId).execute();
  if (outcome.ok) {
    await trx.updateTable('delivery').set({ state: 'delivered', delivered_at: now, next_attempt_at: null }).where('id', '=', r.deliveryId).execute();
    await members.set({ state: 'delivered', delivered_at: now }).execute();
    if (channel.failing_since) await trx.updateTable('channel').set({ failing_since: null }).where('id', '=', channel.id).execute();
    return;
  }
  if (r.kind === 'test') {
    await trx.updateTable('delivery').set({ state: 'failed' }).where('id', '=', r.deliveryId).execute();
    return;
  }
  if (outcome.gone) {
    await disableChannel(trx, channel, { cause: 'gone', failingSince: channel.failing_since, lastError: outcome.error }, now);
    return;
  }
  const failingSince = channel.failing_since ?? r.now;
  if (!channel.failing_since) await trx.updateTable('channel').set({ failing_since: failingSince }).where('id', '=', channel.id).execute();
  if (now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS) {
    await disableChannel(trx, channel, { cause: 'failing', failingSince, lastError: outcome.error }, now);
    return;
  }
  const failures = delivery.attempts - delivery.replay_base;
  const scheduled = RETRY_SCHEDULE_MS[failures - 1];
  if (scheduled === undefined) {
    await trx.updateTable('delivery').set({ state: 'failed', next_attempt_at: null }).where('id', '=', r.deliveryId).execute();
    await members.set({ state: 'failed' }).execute();
    return;
  }
  const delay = outcome.retryAfterMs !== null ? Math.min(Math.max(outcome.retryAfterMs, 1_000), MAX_RETRY_AFTER_MS) : Math.round(scheduled * (0.9 + 0.2 * deps.random()));
  const at = new Date(now.getTime() + delay);
  await trx.updateTable('delivery').set({ next_attempt_at: at }).where('id', '=', r.deliveryId).execute();
  await scheduleDelivery(trx, r.deliveryId, at);
}

/** Disables a channel Takt can no longer reach: what is pending on it stops, and admins are told in the feed. */
async function disableChannel(trx: Trx, channel: ChannelRow, why: { cause: 'gone' | 'failing'; failingSince: Date | null; lastError: string | null }, now: Date): Promise<void> {
  const reason = why.cause === 'gone' ? 'the endpoint answered 410 Gone' : `every attempt failed since ${why.failingSince!.toISOString()}`;
  await trx.updateTable('channel').set({ enabled: false, disabled_reason: reason, disabled_cause: why.cause }).where('id', '=', channel.id).execute();
  await trx.updateTable('delivery').set({ state: 'disabled', held: false, next_attempt_at: null }).where('channel_id', '=', channel.id).where('state', '=', 'pending').execute();
  const data = { channel: channel.code, cause: why.cause, failingSince: why.failingSince?.toISOString() ?? null, lastError: why.lastError };
  const inserted = await trx.insertInto('notification').values({ plant_id: channel.plant_id, kind: 'channel.disabled', audience: 'admin', andon_id: null, order_id: null, level: null, notify: null, data: jsonb(data), created_at: now, read_at: null }).returning('id').executeTakeFirstOrThrow();
  const row = await selectNotifications(trx, channel.plant_id).where('n.id', '=', inserted.id).executeTakeFirstOrThrow();
  await publish(trx, channel.plant_id, [{ topic: 'notification', cause: null, data: toNotificationView(row) }]);
}

/** POST /channels/{code}/test: one message sent now, outside the queue, recorded like any other. */
export async function testChannel(db: Db, plantId: number, channelId: string, deps: DeliveryDeps): Promise<{ delivery: string; outcome: Outcome }> {
  const now = deps.now();
  const reservation = await db.transaction().execute(async (trx) => {
    const channel = await lockChannel(trx, channelId);
    const id = newDeliveryId();
    await trx.insertInto('delivery').values({ id, plant_id: plantId, channel_id: channelId, subscription_id: null, notification_id: null, kind: 'test', facts: jsonb({}), created_at: now }).execute();
    return await reserve(trx, { id, kind: 'test', facts: {} }, channel, now);
  });
  return { delivery: reservation.deliveryId, outcome: await sendReserved(db, reservation, deps) };
}
