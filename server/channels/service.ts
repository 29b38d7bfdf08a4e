import { SmtpSettings, SubscriptionFilter, type ChannelBody, type ChannelTestView, type ChannelView, type DeliveryState, type DeliveryView, type SubscriptionBody, type SubscriptionView } from '../contract/channels.ts';
import { ApiError } from '../contract/errors.ts';
import type { Db, Queryable, Trx } from '../db/connect.ts';
import { jsonb } from '../db/jsonb.ts';
import { appendEvent } from '../event-log/append.ts';
import type { Actor } from '../http/actor.ts';
import { scheduleDelivery, testChannel, type DeliveryDeps } from './delivery.ts';
import { NoticeFacts } from './facts.ts';
import { refusedHost, refusedUrl } from './outbound-guard.ts';
import { newWebhookSecret, WEBHOOK_SECRET } from './signatures.ts';
import { digestTitle, messageOf, testMessage } from './templates.ts';

type ChannelRow = Awaited<ReturnType<typeof selectChannels>>[number];

function selectChannels(db: Queryable, plantId: number) {
  return db.selectFrom('channel').selectAll().where('plant_id', '=', plantId).orderBy('code').execute();
}

function toChannelView(row: ChannelRow): ChannelView {
  const smtp = row.smtp ? SmtpSettings.parse(row.smtp) : null;
  return {
    code: row.code,
    kind: row.kind,
    url: row.url,
    hasSecret: row.secret !== null,
    smtp: smtp ? { host: smtp.host, port: smtp.port, secure: smtp.secure, requireTls: smtp.requireTls, allowSelfSigned: smtp.allowSelfSigned, user: smtp.user ?? null, from: smtp.from } : null,
    to: row.recipients,
    language: row.language,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledCause: row.disabled_cause,
    failingSince: row.failing_since?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function listChannels(db: Queryable, plantId: number): Promise<ChannelView[]> {
  return (await selectChannels(db, plantId)).map(toChannelView);
}

async function channelRow(db: Queryable, plantId: number, code: string, field?: string) {
  const row = await db.selectFrom('channel').selectAll().where('plant_id', '=', plantId).where('code', '=', code).executeTakeFirst();
  if (!row) throw ApiError.notFound('channel', code, field);
  return row;
}

export async function getChannel(db: Queryable, plantId: number, code: string): Promise<ChannelView> {
  return toChannelView(await channelRow(db, plantId, code));
}

/**
 * The address checks a PUT makes before anything is written: each kind has what its platform needs,
 * and no address reaches loopback or link-local (DNS is asked again at every send).
 */
export async function checkChannelBody(body: ChannelBody, allowLoopback: boolean): Promise<void> {
  if (body.kind === 'email') {
    if (!body.smtp) throw ApiError.invalid('smtp', 'an e-mail channel needs smtp settings');
    if (!body.to) throw ApiError.invalid('to', 'an e-mail channel needs recipients');
    if (body.url !== undefined) throw ApiError.invalid('url', 'an e-mail channel has no url');
    const refused = await refusedHost(body.smtp.host, allowLoopback);
    if (refused) throw ApiError.invalid('smtp.host', `smtp.host refused: ${refused}`);
    return;
  }
  if (body.url === undefined) throw ApiError.invalid('url', `a ${body.kind} channel needs the url its platform gives`);
  if (body.smtp !== undefined) throw ApiError.invalid('smtp', `a ${body.kind} channel has no smtp settings`);
  if (body.to !== undefined) throw ApiError.invalid('to', `a ${body.kind} channel has no recipients`);
  const refused = await refusedUrl(body.url, allowLoopback);
  if (refused) throw ApiError.invalid('url', `url refused: ${refused}`);
  if (body.kind === 'wecom' && body.secret) throw ApiError.invalid('secret', 'a WeCom group robot signs nothing: its key is in the url');
  if (body.kind === 'webhook' && body.secret && !WEBHOOK_SECRET.test(body.secret)) {
    throw ApiError.invalid('secret', "a Standard Webhooks secret is 'whsec_' and base64 of 24 to 64 bytes");
  }
}

/** PUT /channels/{code}: create or replace. The secret is write-only: kept when not given, cleared by null. */
export async function putChannel(trx: Trx, actor: Actor, code: string, body: ChannelBody): Promise<ChannelView> {
  const existing = await trx.selectFrom('channel').select(['id', 'secret', 'kind']).where('plant_id', '=', actor.plantId).where('code', '=', code).forUpdate().executeTakeFirst();
  // A kept secret belongs to the kind it was given for: a DingTalk secret is no webhook key.
  const kept = existing && existing.kind === body.kind ? existing.secret : null;
  let secret = body.secret === undefined ? kept : body.secret;
  let generatedSecret: string | undefined;
  if (body.kind === 'webhook' && secret === null) secret = generatedSecret = newWebhookSecret();
  if (body.kind === 'wecom') secret = null;
  const values = {
    kind: body.kind,
    url: body.url ?? null,
    secret,
    smtp: body.smtp ? jsonb(body.smtp) : null,
    recipients: body.to ?? [],
    language: body.language,
    enabled: body.enabled,
    // Turning it on again (or any PUT) is the admin's answer to why Takt disabled it.
    disabled_reason: null,
    disabled_cause: null,
    failing_since: null,
    updated_at: new Date(),
  };
  await trx
    .insertInto('channel')
    .values({ plant_id: actor.plantId, code, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  const { secret: _written, ...logged } = body;
  await appendEvent(trx, { plantId: actor.plantId, type: 'channel.put', actor: actor.name, subject: code, payload: { ...logged, secret: secret === null ? null : 'stored' } });
  const view = toChannelView(await channelRow(trx, actor.plantId, code));
  return generatedSecret ? { ...view, generatedSecret } : view;
}

export async function sendTest(db: Db, plantId: number, code: string, deps: DeliveryDeps): Promise<ChannelTestView> {
  const channel = await channelRow(db, plantId, code);
  const { delivery, outcome } = await testChannel(db, plantId, channel.id, deps);
  return { delivery, ok: outcome.ok, status: outcome.status, latencyMs: outcome.latencyMs, error: outcome.error };
}

function selectSubscriptions(db: Queryable, plantId: number) {
  return db
    .selectFrom('subscription as s')
    .innerJoin('channel as c', 'c.id', 's.channel_id')
    .select(['s.code', 'c.code as channel', 's.kinds', 's.filter', 's.mail_from', 's.recipients', 's.enabled', 's.updated_at'])
    .where('s.plant_id', '=', plantId)
    .orderBy('s.code');
}

function toSubscriptionView(row: Awaited<ReturnType<ReturnType<typeof selectSubscriptions>['execute']>>[number]): SubscriptionView {
  return { code: row.code, channel: row.channel, kinds: row.kinds, filter: SubscriptionFilter.parse(row.filter), from: row.mail_from, to: row.recipients, enabled: row.enabled, updatedAt: row.updated_at.toISOString() };
}

export async function listSubscriptions(db: Queryable, plantId: number): Promise<SubscriptionView[]> {
  return (await selectSubscriptions(db, plantId).execute()).map(toSubscriptionView);
}

export async function getSubscription(db: Queryable, plantId: number, code: string): Promise<SubscriptionView> {
  const row = await selectSubscriptions(db, plantId).where('s.code', '=', code).executeTakeFirst();
  if (!row) throw ApiError.notFound('subscription', code);
  return toSubscriptionView(row);
}

export async function putSubscription(trx: Trx, actor: Actor, code: string, body: SubscriptionBody): Promise<SubscriptionView> {
  const channel = await channelRow(trx, actor.plantId, body.channel, 'channel');
  if (channel.kind !== 'email' && body.to) throw ApiError.invalid('to', `a ${channel.kind} channel has no recipients`);
  if (channel.kind !== 'email' && body.from) throw ApiError.invalid('from', `a ${channel.kind} channel has no sender`);
  const values = { channel_id: channel.id, kinds: [...new Set(body.kinds)], filter: jsonb(body.filter), mail_from: body.from ?? null, recipients: body.to ?? null, enabled: body.enabled, updated_at: new Date() };
  await trx
    .insertInto('subscription')
    .values({ plant_id: actor.plantId, code, ...values })
    .onConflict((oc) => oc.columns(['plant_id', 'code']).doUpdateSet(values))
    .execute();
  await appendEvent(trx, { plantId: actor.plantId, type: 'subscription.put', actor: actor.name, subject: code, payload: body });
  return await getSubscription(trx, actor.plantId, code);
}

/** The delivery log: newest first, each with its attempts; `summary` worded as the channel sends it. */
export async function listDeliveries(db: Queryable, plantId: number, filter: { channel?: string; state?: DeliveryState; id?: string; limit: number }, publicUrl: string): Promise<DeliveryView[]> {
  let query = db
    .selectFrom('delivery as d')
    .innerJoin('channel as c', 'c.id', 'd.channel_id')
    .select(['d.id', 'c.code as channel', 'c.language', 'd.kind', 'd.facts', 'd.state', 'd.held', 'd.digest_id', 'd.attempts', 'd.last_status', 'd.last_error', 'd.next_attempt_at', 'd.created_at', 'd.delivered_at'])
    .where('d.plant_id', '=', plantId);
  if (filter.channel) query = query.where('c.code', '=', filter.channel);
  if (filter.state) query = query.where('d.state', '=', filter.state);
  if (filter.id) query = query.where('d.id', '=', filter.id);
  const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(filter.limit).execute();
  const ids = rows.map((r) => r.id);
  const attempts = ids.length ? await db.selectFrom('delivery_attempt').selectAll().where('delivery_id', 'in', ids).orderBy('id').execute() : [];
  const members = ids.length ? await db.selectFrom('delivery').select(['digest_id']).select((eb) => eb.fn.countAll<string>().as('n')).where('digest_id', 'in', ids).groupBy('digest_id').execute() : [];
  return rows.map((r) => {
    let summary: string;
    if (r.kind === 'digest') summary = digestTitle(Number(members.find((m) => m.digest_id === r.id)?.n ?? 0), r.language);
    else if (r.kind === 'test') summary = testMessage(r.channel, r.language, publicUrl).title;
    else {
      const m = messageOf(NoticeFacts.parse(r.facts), r.language, publicUrl);
      summary = `${m.title} · ${m.text}`;
    }
    return {
      id: r.id,
      channel: r.channel,
      kind: r.kind,
      state: r.state,
      summary,
      held: r.held,
      digest: r.digest_id,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
      deliveredAt: r.delivered_at?.toISOString() ?? null,
      attemptLog: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({ at: a.started_at.toISOString(), ok: a.ok, status: a.status, latencyMs: a.latency_ms, error: a.error })),
    };
  });
}

const DELIVERY_ID = /^msg_[0-9a-f]{32}$/;

/**
 * POST /deliveries/{id}/replay: sends it again now, with the same id (the receiver's webhook-id),
 * its back-off started afresh. A message that went out in a digest is sent again alone.
 */
export async function replayDelivery(trx: Trx, actor: Actor, id: string, now: Date, publicUrl: string): Promise<DeliveryView> {
  if (!DELIVERY_ID.test(id)) throw ApiError.notFound('delivery', id);
  const row = await trx
    .selectFrom('delivery as d')
    .innerJoin('channel as c', 'c.id', 'd.channel_id')
    .select(['d.id', 'd.kind', 'd.attempts', 'c.enabled', 'c.code', 'c.id as channel_id'])
    .where('d.plant_id', '=', actor.plantId)
    .where('d.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw ApiError.notFound('delivery', id);
  if (row.kind === 'test') throw new ApiError(409, 'invalid_state', 'a test message is not replayed: send a new test', 'id');
  if (!row.enabled) throw new ApiError(409, 'invalid_state', `channel '${row.code}' is disabled: enable it first`, 'id');
  await trx.updateTable('delivery').set({ state: 'pending', held: false, digest_id: null, replay_base: row.attempts, delivered_at: null, next_attempt_at: now }).where('id', '=', id).execute();
  if (row.kind === 'digest') await trx.updateTable('delivery').set({ state: 'pending', delivered_at: null }).where('digest_id', '=', id).execute();
  await scheduleDelivery(trx, id, now);
  await appendEvent(trx, { plantId: actor.plantId, type: 'delivery.replay', actor: actor.name, subject: id });
  const [view] = await listDeliveries(trx, actor.plantId, { id, limit: 1 }, publicUrl);
  return view!;
}
