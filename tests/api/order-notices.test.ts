import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OrderNotificationView } from '../../server/contract/notifications.ts';
import { decideOrderNotice, type OrderNoticeMemory, type OrderOutlook } from '../../server/contract/order-notice.ts';
import { noticeOrderLateness } from '../../server/db/repositories/order-notices.ts';
import { createOrder, seedSmallFactory, settledSchedule, waitForEta } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const MIN = 60_000;
const DUE = Date.parse('2026-12-01T12:00:00Z');
const at = (minutesFromDue: number) => DUE + minutesFromDue * MIN;
const outlook = (eta: number | null, etaP90: number | null = null, completed = false): OrderOutlook => ({ dueAt: DUE, eta, etaP90, completed });
const told = (state: OrderNoticeMemory['state'], eta: number, etaP90: number | null = null): OrderNoticeMemory => ({ state, eta, etaP90 });

describe('when sales are told (server/contract/order-notice.ts)', () => {
  it('the first time the ETA passes the due date: late, with the ETA told', () => {
    expect(decideOrderNotice(null, outlook(at(360)))).toEqual({ notice: 'order.late', memory: told('late', at(360)) });
    expect(decideOrderNotice(told('on_time', at(-30)), outlook(at(1)))).toEqual({ notice: 'order.late', memory: told('late', at(1)) });
  });

  it('on time from the start, or exactly on the due date: nothing', () => {
    expect(decideOrderNotice(null, outlook(at(-10), at(-1)))).toEqual({ notice: null });
    expect(decideOrderNotice(null, outlook(at(0), at(0)))).toEqual({ notice: null });
    expect(decideOrderNotice(null, outlook(null))).toEqual({ notice: null });
  });

  it('while late, a move of 59 or exactly 60 minutes since the last notice is not news; 61 is', () => {
    const late = told('late', at(360));
    expect(decideOrderNotice(late, outlook(at(360 + 59)))).toEqual({ notice: null });
    expect(decideOrderNotice(late, outlook(at(360 - 59)))).toEqual({ notice: null });
    expect(decideOrderNotice(late, outlook(at(360 + 60)))).toEqual({ notice: null });
    expect(decideOrderNotice(late, outlook(at(360 + 61)))).toEqual({ notice: 'order.late', memory: told('late', at(421)) });
    expect(decideOrderNotice(late, outlook(at(360 - 61)))).toEqual({ notice: 'order.late', memory: told('late', at(299)) });
  });

  it('compares with what was told, not with the last plan: small moves add up', () => {
    let memory = told('late', at(100));
    for (const eta of [at(130), at(150), at(160)]) expect(decideOrderNotice(memory, outlook(eta)).notice).toBeNull();
    const decision = decideOrderNotice(memory, outlook(at(161)));
    expect(decision.notice).toBe('order.late');
    if (decision.notice) memory = decision.memory;
    expect(memory.eta).toBe(at(161));
  });

  it('back on time after late or at risk (ETA and P90 make it): told once', () => {
    expect(decideOrderNotice(told('late', at(30)), outlook(at(-5), at(-1)))).toEqual({ notice: 'order.on_time', memory: told('on_time', at(-5), at(-1)) });
    expect(decideOrderNotice(told('at_risk', at(-5), at(40)), outlook(at(-5), null))).toEqual({ notice: 'order.on_time', memory: told('on_time', at(-5)) });
    expect(decideOrderNotice(told('on_time', at(-5)), outlook(at(-20)))).toEqual({ notice: null });
  });

  it('the ETA makes it but the P90 does not: at risk, once; late after that is told', () => {
    expect(decideOrderNotice(null, outlook(at(-30), at(90)))).toEqual({ notice: 'order.at_risk', memory: told('at_risk', at(-30), at(90)) });
    const risk = told('at_risk', at(-30), at(90));
    expect(decideOrderNotice(risk, outlook(at(-200), at(300)))).toEqual({ notice: null });
    expect(decideOrderNotice(risk, outlook(at(10), at(300)))).toEqual({ notice: 'order.late', memory: told('late', at(10), at(300)) });
  });

  it('late, then only at risk: told only if the ETA moved by more than an hour', () => {
    expect(decideOrderNotice(told('late', at(20)), outlook(at(-20), at(60)))).toEqual({ notice: null });
    expect(decideOrderNotice(told('late', at(120)), outlook(at(-20), at(60)))).toEqual({ notice: 'order.at_risk', memory: told('at_risk', at(-20), at(60)) });
  });

  it('a completed order: nothing, whatever was told', () => {
    expect(decideOrderNotice(null, outlook(at(600), null, true))).toEqual({ notice: null });
    expect(decideOrderNotice(told('late', at(60)), outlook(at(-60), null, true))).toEqual({ notice: null });
  });
});

const t = useTestSystem({ seed: seedSmallFactory });

const salesNotices = async (order: string): Promise<OrderNotificationView[]> => {
  const r = await t.api('GET', '/api/v1/notifications?audience=sales&limit=1000');
  expect(r.status).toBe(200);
  return r.body.flatMap((n) => ('dueAt' in n && n.order === order ? [n] : []));
};

describe('sales hear about it first (the real re-plan loop)', () => {
  it('an order that cannot make its due gets one sales notice with the reason; a re-plan that changes nothing adds none; back on time is told', async () => {
    // BIG takes CUT for ten hours and starts now (frozen); RUSH, due in two hours, queues behind it.
    await createOrder(t.api, 'BIG', { quantity: 600, dueInHours: 24 * 20 });
    await waitForEta(t.api, 'BIG');
    const stream = t.stream('notification');
    await createOrder(t.api, 'RUSH', { quantity: 10, dueInHours: 2 });
    const message = await stream.waitForTopic('notification', (m) => m.data.kind === 'order.late');
    await stream.close();

    const notice = message.data;
    if (!('dueAt' in notice)) throw new Error('an order notice was expected');
    const order = (await t.api('GET', '/api/v1/orders/RUSH')).body;
    expect(notice).toMatchObject({ kind: 'order.late', audience: 'sales', order: 'RUSH', eta: order.eta, dueAt: order.dueAt, readAt: null });
    expect(notice.latenessMinutes).toBe(Math.round((Date.parse(order.eta!) - Date.parse(order.dueAt)) / MIN));
    expect(notice.latenessMinutes).toBeGreaterThan(7 * 60);
    expect(notice.reasons).toContainEqual(expect.objectContaining({ kind: 'queued', workCenter: 'CUT', behind: ['BIG'] }));
    expect(await salesNotices('RUSH')).toEqual([notice]);
    // Sales read it with their own token.
    const sales = (await t.api('POST', '/api/v1/auth/tokens', { name: 'sales desk', role: 'sales' })).body.token;
    const theirs = await t.api('GET', '/api/v1/notifications?audience=sales', undefined, { token: sales });
    expect(theirs.status).toBe(200);
    expect(theirs.body).toContainEqual(notice);
    // Andon notices stay the floor's: the sales filter leaves them out, the whole feed holds both.
    expect((await t.api('GET', '/api/v1/notifications?audience=floor')).body.every((n) => n.audience === 'floor')).toBe(true);

    // A re-plan that moves nothing that matters (an unrelated master-data change): no second notice.
    const before = (await settledSchedule(t.api)).version;
    const weld = (await t.api('GET', '/api/v1/work-centers/WELD')).body;
    expect((await t.api('PUT', '/api/v1/work-centers/WELD', { ...weld, name: 'Welding bay' })).status).toBe(200);
    expect((await settledSchedule(t.api)).version).toBeGreaterThan(before);
    expect(await salesNotices('RUSH')).toHaveLength(1);

    // BIG's cutting is done: RUSH makes its date after all, and sales hear that once.
    expect((await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.completed', order: 'BIG', seq: 1 })).status).toBe(201);
    await waitForEta(t.api, 'RUSH', (eta) => Date.parse(eta) <= Date.parse(order.dueAt));
    await settledSchedule(t.api);
    // Its P90 moved with the ETA until the next sampling: sales may first hear "at risk", and then
    // "on time" once the futures are sampled without BIG ahead of it.
    let notices = await salesNotices('RUSH');
    for (const until = Date.now() + 20_000; notices[0]?.kind !== 'order.on_time' && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 200));
      notices = await salesNotices('RUSH');
    }
    expect(notices[0]!.kind).toBe('order.on_time');
    expect(notices.at(-1)!.kind).toBe('order.late');
    expect(notices.map((n) => n.kind).slice(1, -1).every((k) => k === 'order.at_risk')).toBe(true);
    expect(notices[0]!.latenessMinutes).toBe(0);
    const [state] = await t.sql`select state from order_notice where order_id = (select id from customer_order where code = 'RUSH')`;
    expect(state).toEqual({ state: 'on_time' });
  });

  it('a plan of 2,000 changed ETAs where nothing crossed tells nobody and stores nothing', async () => {
    await createOrder(t.api, 'CALM', { dueInHours: 24 * 30 });
    const id = (await t.sql<{ id: string }[]>`select id::text from customer_order where code = 'CALM'`)[0]!.id;
    const due = Date.now() + 30 * 86_400_000;
    const orders = Array.from({ length: 2000 }, (_, i) => ({
      orderId: id, code: 'CALM', dueAt: new Date(due).toISOString(), eta: new Date(due - (i + 1) * MIN).toISOString(), etaP90: null, latenessMinutes: null, reasons: [],
    }));
    const messages = await t.system.database.db.transaction().execute((trx) => noticeOrderLateness(trx, t.plantId, orders, new Date()));
    expect(messages).toEqual([]);
    expect(await t.sql`select 1 from order_notice where order_id = ${id}`).toHaveLength(0);
  });

  it('the same crossing decided twice (a plan and a sampling) is told once', async () => {
    await createOrder(t.api, 'TWICE', { dueInHours: 24 * 30 });
    const id = (await t.sql<{ id: string }[]>`select id::text from customer_order where code = 'TWICE'`)[0]!.id;
    const due = Date.now() + 30 * 86_400_000;
    const crossing = [{ orderId: id, code: 'TWICE', dueAt: new Date(due).toISOString(), eta: new Date(due - 60 * MIN).toISOString(), etaP90: new Date(due + 90 * MIN).toISOString(), latenessMinutes: -60, reasons: [] }];
    const db = t.system.database.db;
    const first = await db.transaction().execute((trx) => noticeOrderLateness(trx, t.plantId, crossing, new Date(), 'sampling'));
    expect(first.map((m) => (m.topic === 'notification' ? [m.cause, m.data.kind, m.data.audience] : m.topic))).toEqual([['sampling', 'order.at_risk', 'sales']]);
    const second = await db.transaction().execute((trx) => noticeOrderLateness(trx, t.plantId, crossing, new Date()));
    expect(second).toEqual([]);
    expect(await salesNotices('TWICE')).toHaveLength(1);
  });
});
