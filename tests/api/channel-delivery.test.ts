import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { attemptDelivery, flushChannel, RETRY_SCHEDULE_MS, type DeliveryDeps } from '../../server/channels/delivery.ts';
import { noticeFacts, type NoticeFacts } from '../../server/channels/facts.ts';
import { subscriptionPicks } from '../../server/channels/matching.ts';
import { routeNotification } from '../../server/channels/route.ts';
import { pruneHistory } from '../../server/retention/prune.ts';
import { feishuReceiver, wecomReceiver, type Receiver } from '../support/channel-receivers.ts';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

/**
 * The delivery schedule on an injected clock: a server without a worker, whose jobs this file runs
 * itself by calling the same functions the tasks call, at the instants their jobs are due.
 */
const t = useTestSystem({ role: 'server', seed: seedSmallFactory, config: { outboundAllowLoopback: true, publicUrl: 'https://takt.example.cn' } });

let clock = new Date('2026-03-02T08:00:00.000Z');
const deps = (random = 0.5): DeliveryDeps => ({ allowLoopback: true, publicUrl: 'https://takt.example.cn', now: () => clock, random: () => random });

const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});
async function wecom(): Promise<Receiver> {
  const r = await wecomReceiver();
  receivers.push(r);
  return r;
}

async function put(path: string, body: unknown) {
  const r = await t.api('PUT', `/api/v1${path}`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** Raises an alert and returns the floor's notification of it. */
async function raisedNotice(workCenter = 'WELD'): Promise<string> {
  const r = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter, reason: 'other' });
  expect(r.status).toBe(201);
  const [n] = await t.sql<{ id: string }[]>`select id::text from notification where andon_id = ${r.body.id} and audience = 'floor'`;
  return n!.id;
}

const deliveryRow = async (id: string) =>
  (await t.sql<{ state: string; next_attempt_at: Date | null; attempts: number; digest_id: string | null }[]>`select state, next_attempt_at, attempts, digest_id from delivery where id = ${id}`)[0]!;
const routeJobs = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'channels_route'`)[0]!.n;

describe('routing', () => {
  it('the notification trigger adds a route job only once the plant has an enabled subscription', async () => {
    const before = await routeJobs();
    await raisedNotice();
    expect(await routeJobs()).toBe(before);
    const hook = await wecom();
    await put('/channels/ROUTE', { kind: 'wecom', url: `${hook.url}/send?key=r` });
    await put('/subscriptions/ROUTE', { channel: 'ROUTE', kinds: ['andon.raised'], filter: { workCenters: ['CUT'] } });
    await raisedNotice();
    expect(await routeJobs()).toBe(before + 1);
    await put('/channels/ROUTE', { kind: 'wecom', url: `${hook.url}/send?key=r`, enabled: false });
    await raisedNotice();
    expect(await routeJobs()).toBe(before + 1);
  });

  it('an order.late told again after an earlier order.late is order.eta_moved; after order.on_time it is order.late again', async () => {
    await createOrder(t.api, 'ETA-MOVES');
    const [order] = await t.sql<{ id: string }[]>`select id::text from customer_order where code = 'ETA-MOVES'`;
    const data = (lateness: number) => JSON.stringify({ order: 'ETA-MOVES', dueAt: '2026-03-03T08:00:00.000Z', eta: '2026-03-03T10:00:00.000Z', etaP90: null, latenessMinutes: lateness, reasons: [{ kind: 'work', minutes: 30 }] });
    const insert = async (kind: string, lateness: number) =>
      (await t.sql<{ id: string }[]>`insert into notification (plant_id, kind, audience, order_id, data, created_at) values (${t.plantId}, ${kind}, 'sales', ${order!.id}, ${data(lateness)}::text::jsonb, now()) returning id::text`)[0]!.id;
    const kinds = [];
    for (const [kind, lateness] of [['order.late', 120], ['order.late', 190], ['order.on_time', 0], ['order.late', 75]] as const) kinds.push((await noticeFacts(t.system.database.db, await insert(kind, lateness)))?.kind ?? null);
    expect(kinds).toEqual(['order.late', 'order.eta_moved', null, 'order.late']);
    const facts = await noticeFacts(t.system.database.db, await insert('order.late', 250));
    expect(facts).toMatchObject({ kind: 'order.eta_moved', department: 'sales', order: 'ETA-MOVES', workCenters: ['CUT', 'WELD'], lines: ['L1'], customers: ['ACME'], reason: 'work', minutesLate: 250 });
  });

  it('filters: kind, department (andons once, as the floor\'s, without one), line, work center, customer, minutes late', () => {
    const facts: NoticeFacts = {
      kind: 'andon.escalated', department: 'floor', at: '2026-03-02T08:00:00.000Z', timeZone: 'Asia/Shanghai', order: 'R-1', workCenter: 'WELD', workCenters: ['WELD'], lines: ['L1'], customers: ['ACME'],
      reason: 'breakdown', minutesLate: 20, level: 3, notify: 'manager', seq: 2, dueAt: null, eta: null, component: null, shortBy: null, unit: null, quantity: null,
    };
    const picks = (kinds: NoticeFacts['kind'][], filter: object, f: NoticeFacts = facts) => subscriptionPicks({ kinds, filter }, f);
    expect(picks(['andon.escalated'], {})).toBe(true);
    expect(picks(['andon.raised'], {})).toBe(false);
    expect(picks(['andon.escalated'], {}, { ...facts, department: 'qc' })).toBe(false);
    expect(picks(['andon.escalated'], { departments: ['qc'] }, { ...facts, department: 'qc' })).toBe(true);
    expect(picks(['andon.escalated'], { departments: ['qc'] })).toBe(false);
    expect(picks(['andon.escalated'], { lines: ['L2'] })).toBe(false);
    expect(picks(['andon.escalated'], { lines: ['L2', 'L1'], workCenters: ['WELD'], customers: ['ACME'] })).toBe(true);
    expect(picks(['andon.escalated'], { workCenters: ['CUT'] })).toBe(false);
    expect(picks(['andon.escalated'], { customers: ['Globex'] })).toBe(false);
    expect(picks(['andon.escalated'], { minMinutesLate: 20 })).toBe(true);
    expect(picks(['andon.escalated'], { minMinutesLate: 21 })).toBe(false);
    expect(picks(['material.shortage'], { minMinutesLate: 0 }, { ...facts, kind: 'material.shortage', minutesLate: null })).toBe(false);
  });
});

describe('retries on the schedule', () => {
  it('a channel failing for a day: attempts 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h apart; then it is disabled and admins are told', async () => {
    const hook = await wecom();
    hook.failNext(Array.from({ length: 20 }, () => ({ status: 500, body: 'down' })));
    await put('/channels/DOWN', { kind: 'wecom', url: `${hook.url}/send?key=d` });
    await put('/subscriptions/DOWN', { channel: 'DOWN', kinds: ['andon.raised'], filter: { workCenters: ['CUT'] } });
    clock = new Date('2026-03-02T08:00:00.000Z');
    const [id] = await routeNotification(t.system.database.db, await raisedNotice('CUT'), clock);
    const started = clock.getTime();
    const at: number[] = [];
    for (let i = 0; i < 20; i++) {
      at.push(clock.getTime());
      await attemptDelivery(t.system.database.db, id!, deps());
      const row = await deliveryRow(id!);
      if (row.state !== 'pending') break;
      // The job is due when the row says (the worker would run it then).
      const [job] = await t.sql<{ run_at: Date }[]>`select run_at from graphile_worker.jobs where key = ${'delivery:' + id}`;
      expect(job!.run_at.getTime()).toBe(row.next_attempt_at!.getTime());
      clock = row.next_attempt_at!;
    }
    expect(at.slice(1).map((x, i) => x - at[i]!)).toEqual([...RETRY_SCHEDULE_MS]);
    expect(hook.received).toHaveLength(8);
    expect(at.at(-1)! - started).toBe(99_305_000);
    const row = await deliveryRow(id!);
    expect(row).toMatchObject({ state: 'disabled', attempts: 8, next_attempt_at: null });
    const channel = (await t.api('GET', '/api/v1/channels/DOWN')).body;
    expect(channel).toMatchObject({ enabled: false, disabledReason: 'every attempt failed since 2026-03-02T08:00:00.000Z', disabledCause: 'failing', failingSince: '2026-03-02T08:00:00.000Z' });
    const feed = (await t.api('GET', '/api/v1/notifications?audience=admin')).body;
    expect(feed[0]).toMatchObject({ kind: 'channel.disabled', channel: 'DOWN', cause: 'failing', failingSince: '2026-03-02T08:00:00.000Z', lastError: 'HTTP 500: down' });
  });

  it('Retry-After is honoured (seconds or a date); jitter moves the schedule by at most 10 %', async () => {
    const hook = await wecom();
    await put('/channels/BUSY', { kind: 'wecom', url: `${hook.url}/send?key=b` });
    await put('/subscriptions/BUSY', { channel: 'BUSY', kinds: ['andon.raised'], filter: { workCenters: ['CUT'] } });
    clock = new Date('2026-03-05T08:00:00.000Z');
    const [id] = await routeNotification(t.system.database.db, await raisedNotice('CUT'), clock);
    hook.failNext([
      { status: 429, headers: { 'retry-after': '120' } },
      { status: 503, headers: { 'retry-after': new Date(clock.getTime() + 120_000 + 300_000).toUTCString() } },
      { status: 500 },
      { status: 500 },
    ]);
    await attemptDelivery(t.system.database.db, id!, deps());
    expect((await deliveryRow(id!)).next_attempt_at!.getTime() - clock.getTime()).toBe(120_000);
    clock = (await deliveryRow(id!)).next_attempt_at!;
    await attemptDelivery(t.system.database.db, id!, deps());
    expect((await deliveryRow(id!)).next_attempt_at!.getTime() - clock.getTime()).toBe(300_000);
    clock = (await deliveryRow(id!)).next_attempt_at!;
    // Third failure: the schedule's 30 min, jittered down by 10 % (random 0) ...
    await attemptDelivery(t.system.database.db, id!, deps(0));
    expect((await deliveryRow(id!)).next_attempt_at!.getTime() - clock.getTime()).toBe(1_620_000);
    clock = (await deliveryRow(id!)).next_attempt_at!;
    // ... fourth: 2 h, up by nearly 10 % (random -> 1).
    await attemptDelivery(t.system.database.db, id!, deps(0.999_999));
    expect((await deliveryRow(id!)).next_attempt_at!.getTime() - clock.getTime()).toBe(Math.round(7_200_000 * (0.9 + 0.2 * 0.999_999)));
    clock = (await deliveryRow(id!)).next_attempt_at!;
    await attemptDelivery(t.system.database.db, id!, deps());
    expect(await deliveryRow(id!)).toMatchObject({ state: 'delivered', attempts: 5 });
    await put('/channels/BUSY', { kind: 'wecom', url: `${hook.url}/send?key=b`, enabled: false });
  });
});

describe('rate limits roll bursts into digests', () => {
  it('60 andons to a 20/min WeCom robot: every one arrives, never more than 20 requests in a rolling minute, each within 4096 bytes', async () => {
    const hook = await wecom();
    await put('/channels/BURST', { kind: 'wecom', url: `${hook.url}/cgi-bin/webhook/send?key=burst` });
    await put('/subscriptions/BURST', { channel: 'BURST', kinds: ['andon.raised'], filter: { workCenters: ['WELD'] } });
    const [channel] = await t.sql<{ id: string }[]>`select id::text from channel where code = 'BURST'`;
    const db = t.system.database.db;
    clock = new Date('2026-03-09T06:00:00.000Z');
    const ids: string[] = [];
    // The floor raises 60 alerts 100 ms apart; each is routed and its job runs at once, as the worker would.
    for (let i = 0; i < 60; i++) {
      clock = new Date(clock.getTime() + 100);
      const [id] = await routeNotification(db, await raisedNotice('WELD'), clock);
      ids.push(id!);
      await attemptDelivery(db, id!, deps());
    }
    expect(hook.received).toHaveLength(20);
    // Then the flush job at each instant it is due, until nothing is held.
    for (let i = 0; i < 20; i++) {
      const [flush] = await t.sql<{ run_at: Date }[]>`select run_at from graphile_worker.jobs where key = ${'channel-flush:' + channel!.id}`;
      const held = (await t.sql<{ n: number }[]>`select count(*)::int as n from delivery where channel_id = ${channel!.id} and held and state = 'pending'`)[0]!.n;
      if (!held) break;
      clock = new Date(Math.max(clock.getTime(), flush!.run_at.getTime()));
      await flushChannel(db, channel!.id, deps());
    }
    const states = await t.sql<{ state: string; digest_id: string | null }[]>`select state, digest_id from delivery where id in ${t.sql(ids)}`;
    expect(states.filter((s) => s.state === 'delivered')).toHaveLength(60);
    expect(states.filter((s) => s.digest_id === null)).toHaveLength(20);
    const digests = await t.sql<{ id: string; state: string; members: number }[]>`
      select d.id, d.state, (select count(*)::int from delivery m where m.digest_id = d.id) as members from delivery d where d.channel_id = ${channel!.id} and d.kind = 'digest' order by d.created_at`;
    expect(digests.every((d) => d.state === 'delivered')).toBe(true);
    expect(digests.reduce((n, d) => n + d.members, 0)).toBe(40);
    expect(hook.received).toHaveLength(20 + digests.length);
    expect(hook.received.every((r) => r.verified)).toBe(true);
    // All 60 alerts are in the bodies the robot received.
    const told = hook.received.map((r) => (JSON.parse(r.body) as { markdown: { content: string } }).markdown.content).join('\n');
    expect(told.match(/安灯：WELD 其他/g)).toHaveLength(60);
    expect(told).toMatch(/\*\*\d+ 条通知\*\*/);
    // No rolling minute holds more than 20 requests.
    const sent = (await t.sql<{ at: Date }[]>`select started_at as at from delivery_attempt where channel_id = ${channel!.id} order by started_at`).map((r) => r.at.getTime());
    expect(sent).toHaveLength(20 + digests.length);
    for (const at of sent) expect(sent.filter((s) => s > at - 60_000 && s <= at).length).toBeLessThanOrEqual(20);
    // The first digest went out as soon as the first request left the window.
    expect(sent[20]).toBe(sent[0]! + 60_001);
  });
});

describe('Feishu\'s 5 a second', () => {
  it('seven notices within a second: five go at once, the other two wait for the second to pass and go as one digest', async () => {
    const lark = await feishuReceiver('lark-secret');
    receivers.push(lark);
    await put('/channels/LARK5', { kind: 'feishu', url: `${lark.url}/open-apis/bot/v2/hook/x`, secret: 'lark-secret', language: 'en' });
    await put('/subscriptions/LARK5', { channel: 'LARK5', kinds: ['andon.raised'], filter: { workCenters: ['CUT'] } });
    const [channel] = await t.sql<{ id: string }[]>`select id::text from channel where code = 'LARK5'`;
    const db = t.system.database.db;
    // Feishu refuses a timestamp an hour off: this test runs on the real clock, stepped by hand.
    clock = new Date();
    const start = clock.getTime();
    for (let i = 0; i < 7; i++) {
      clock = new Date(start + i * 10);
      const [id] = await routeNotification(db, await raisedNotice('CUT'), clock);
      await attemptDelivery(db, id!, deps());
    }
    expect(lark.received).toHaveLength(5);
    const [flush] = await t.sql<{ run_at: Date }[]>`select run_at from graphile_worker.jobs where key = ${'channel-flush:' + channel!.id}`;
    expect(flush!.run_at.getTime()).toBe(start + 1_001);
    clock = flush!.run_at;
    await flushChannel(db, channel!.id, deps());
    expect(lark.received).toHaveLength(6);
    expect(lark.received.every((r) => r.verified)).toBe(true);
    const digest = JSON.parse(lark.received[5]!.body) as { content: { text: string } };
    expect(digest.content.text.startsWith('2 notices\n\nAndon: CUT other\nnotify lead\nhttps://takt.example.cn/console/andon')).toBe(true);
    await put('/channels/LARK5', { kind: 'feishu', url: `${lark.url}/open-apis/bot/v2/hook/x`, enabled: false });
  });
});

describe('retention', () => {
  it('the delivery log is kept 90 days, as the notices: old settled deliveries go with their attempts; a pending one stays', async () => {
    const hook = await wecom();
    await put('/channels/OLD', { kind: 'wecom', url: `${hook.url}/send?key=o` });
    await put('/subscriptions/OLD', { channel: 'OLD', kinds: ['andon.raised'], filter: { workCenters: ['CUT'] } });
    const db = t.system.database.db;
    clock = new Date(Date.now() - 100 * 86_400_000);
    const [settled] = await routeNotification(db, await raisedNotice('CUT'), clock);
    await attemptDelivery(db, settled!, deps());
    hook.failNext([{ status: 500 }]);
    const [pending] = await routeNotification(db, await raisedNotice('CUT'), new Date(clock.getTime() + 120_000));
    clock = new Date(clock.getTime() + 120_000);
    await attemptDelivery(db, pending!, deps());
    clock = new Date();
    const [recent] = await routeNotification(db, await raisedNotice('CUT'), clock);
    await attemptDelivery(db, recent!, deps());
    // The earlier tests' March deliveries are past 90 days too: all settled ones go, the pending one stays.
    const [before] = await t.sql<{ settled: number; pending: number }[]>`select count(*) filter (where state <> 'pending')::int as settled, count(*) filter (where state = 'pending')::int as pending from delivery where created_at < now() - interval '90 days'`;
    expect(before!.pending).toBe(1);
    expect((await pruneHistory(db, new Date())).deliveries).toBe(before!.settled);
    const left = await t.sql<{ id: string; state: string }[]>`select id, state from delivery where id in ${t.sql([settled!, pending!, recent!])} order by created_at`;
    expect(left.map((d) => d.id)).toEqual([pending!, recent!]);
    expect((await t.sql`select 1 from delivery_attempt where delivery_id = ${settled!}`).length).toBe(0);
    await put('/channels/OLD', { kind: 'wecom', url: `${hook.url}/send?key=o`, enabled: false });
  });
});
