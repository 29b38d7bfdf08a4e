import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { errorOf } from '../support/http.ts';
import { useTestSystem } from '../support/system.ts';

let workerToken: string;
let otherWorkerToken: string;

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    workerToken = (await api('POST', '/api/v1/auth/tokens', { name: 'station 1', role: 'worker' })).body.token;
    otherWorkerToken = (await api('POST', '/api/v1/auth/tokens', { name: 'station 2', role: 'worker' })).body.token;
  },
});

const raise = (body: Record<string, unknown>, token?: string) =>
  t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason: 'other', ...body }, { token });
const pendingTimers = async (id: string) =>
  (await t.sql<{ n: number }[]>`select count(*)::int as n from graphile_worker.jobs where key = ${'escalate:' + id}`)[0]!.n;
const minutesFromNow = (iso: string) => (Date.parse(iso) - Date.now()) / 60_000;

describe('cancel', () => {
  it('a lead cancels: who and when are kept, the timer goes, the log and the stream say so; twice is 409', async () => {
    const stream = t.stream('andon');
    const raised = await raise({ reason: 'breakdown' });
    expect(raised.status).toBe(201);
    const id = raised.body.id;
    expect(raised.body).toMatchObject({ state: 'raised', escalationLevel: 1, cancelledAt: null, cancelledBy: null });
    expect(await pendingTimers(id)).toBe(1);

    const cancelled = await t.api('POST', `/api/v1/andon/${id}/cancel`, { note: 'pressed by mistake' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, state: 'cancelled', cancelledBy: expect.stringContaining('admin'), note: 'pressed by mistake', resolvedAt: null });
    expect(Date.parse(cancelled.body.cancelledAt!)).toBeGreaterThanOrEqual(Date.parse(raised.body.raisedAt));
    expect(await pendingTimers(id)).toBe(0);
    await stream.waitForTopic('andon', (m) => m.data.type === 'andon.cancelled' && m.data.andon.id === id);
    await stream.close();
    const types = await t.sql<{ type: string }[]>`select type from event_log where client_id = ${id} or subject = ${id} order by id`;
    expect(types.map((r) => r.type)).toEqual(['andon.raised', 'andon.cancelled']);

    expectError(await t.api('POST', `/api/v1/andon/${id}/cancel`, {}), 409, 'invalid_state');
    expectError(await t.api('POST', `/api/v1/andon/${id}/acknowledge`, {}), 409, 'invalid_state');
    expectError(await t.api('POST', `/api/v1/andon/${id}/resolve`, {}), 409, 'invalid_state');
    expect((await t.api('GET', '/api/v1/andon?state=open')).body.map((a: { id: string }) => a.id)).not.toContain(id);
    expect((await t.api('GET', '/api/v1/andon?state=cancelled')).body.map((a: { id: string }) => a.id)).toContain(id);
  });

  it('a lead may cancel an acknowledged alert; unknown ids are 404', async () => {
    const raised = await raise({});
    expect((await t.api('POST', `/api/v1/andon/${raised.body.id}/acknowledge`, {})).status).toBe(200);
    expect((await t.api('POST', `/api/v1/andon/${raised.body.id}/cancel`, {})).body.state).toBe('cancelled');
    expectError(await t.api('POST', '/api/v1/andon/nope-nope-nope/cancel', {}), 404, 'not_found');
  });

  it('a worker cancels its own fresh alert, but not another station\'s, not an acknowledged one, not after 2 minutes', async () => {
    const own = await raise({}, workerToken);
    const ok = await t.api('POST', `/api/v1/andon/${own.body.id}/cancel`, {}, { token: workerToken });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'cancelled', cancelledBy: 'station 1' });

    const theirs = await raise({}, otherWorkerToken);
    expectError(await t.api('POST', `/api/v1/andon/${theirs.body.id}/cancel`, {}, { token: workerToken }), 403, 'forbidden');
    const byLead = await raise({});
    expectError(await t.api('POST', `/api/v1/andon/${byLead.body.id}/cancel`, {}, { token: workerToken }), 403, 'forbidden');

    const acknowledged = await raise({}, workerToken);
    await t.api('POST', `/api/v1/andon/${acknowledged.body.id}/acknowledge`, {});
    expectError(await t.api('POST', `/api/v1/andon/${acknowledged.body.id}/cancel`, {}, { token: workerToken }), 403, 'forbidden');

    const old = await raise({}, workerToken);
    await t.sql`update andon set raised_at = raised_at - interval '121 seconds' where id = ${old.body.id}`;
    const late = await t.api('POST', `/api/v1/andon/${old.body.id}/cancel`, {}, { token: workerToken });
    expectError(late, 403, 'forbidden');
    expect(errorOf(late).message).toMatch(/2 minutes/);
    for (const id of [theirs.body.id, byLead.body.id, acknowledged.body.id, old.body.id]) {
      expect((await t.api('GET', `/api/v1/andon/${id}`)).body.state).not.toBe('cancelled');
    }
  });

  it('a cancelled breakdown no longer takes capacity: the ETA comes back', async () => {
    await createOrder(t.api, 'C-1', { quantity: 10 });
    const before = await waitForEta(t.api, 'C-1');
    expect(minutesFromNow(before.eta)).toBeLessThan(120);
    const down = await raise({ reason: 'breakdown', expectedMinutes: 600 });
    await waitForEta(t.api, 'C-1', (eta) => minutesFromNow(eta) > 590);
    expect((await t.api('POST', `/api/v1/andon/${down.body.id}/cancel`, {})).status).toBe(200);
    await waitForEta(t.api, 'C-1', (eta) => minutesFromNow(eta) < 120);
  });
});

describe('estimate', () => {
  it('a material estimate moves the held operation and the order ETA, both ways', async () => {
    await createOrder(t.api, 'E-1', { quantity: 10 });
    await waitForEta(t.api, 'E-1');
    const material = await raise({ reason: 'material', order: 'E-1', seq: 1, expectedMinutes: 60 });
    expect(material.status).toBe(201);
    await waitForEta(t.api, 'E-1', (eta) => minutesFromNow(eta) > 60 && minutesFromNow(eta) < 200);

    const stream = t.stream('andon');
    const later = await t.api('POST', `/api/v1/andon/${material.body.id}/estimate`, { expectedMinutes: 600, note: 'truck delayed' });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ state: 'raised', expectedMinutes: 600, note: 'truck delayed' });
    expect(minutesFromNow(later.body.expectedEndAt!)).toBeGreaterThan(599);
    await stream.waitForTopic('andon', (m) => m.data.type === 'andon.estimated');
    await stream.close();
    await waitForEta(t.api, 'E-1', (eta) => minutesFromNow(eta) > 600);

    // An instant works too (purchasing knows the delivery slot).
    const arrival = new Date(Date.now() + 3 * 3_600_000);
    arrival.setUTCSeconds(0, 0);
    const sooner = await t.api('POST', `/api/v1/andon/${material.body.id}/estimate`, { expectedAt: arrival.toISOString() });
    expect(sooner.status).toBe(200);
    expect(sooner.body.expectedEndAt).toBe(arrival.toISOString());
    await waitForEta(t.api, 'E-1', (eta) => minutesFromNow(eta) > 170 && minutesFromNow(eta) < 300);
    const [row] = await t.sql<{ type: string; actor: string }[]>`select type, actor from event_log where subject = ${material.body.id} and type = 'andon.estimated' order by id desc limit 1`;
    expect(row).toBeDefined();
  });

  it('needs exactly one of expectedAt or expectedMinutes, in the future; closed alerts are 409', async () => {
    const a = await raise({ reason: 'breakdown' });
    const path = `/api/v1/andon/${a.body.id}/estimate`;
    expectError(await t.api('POST', path, {}), 400, 'validation_failed', 'expectedAt');
    expectError(await t.api('POST', path, { expectedMinutes: 5, expectedAt: new Date(Date.now() + 3_600_000).toISOString() }), 400, 'validation_failed', 'expectedAt');
    expectError(await t.api('POST', path, { expectedAt: new Date(Date.now() - 60_000).toISOString() }), 400, 'validation_failed', 'expectedAt');
    expectError(await t.api('POST', path, { expectedAt: 'tomorrow' }), 400, 'validation_failed', 'expectedAt');
    expectError(await t.api('POST', path, { expectedMinutes: 0 }), 400, 'validation_failed', 'expectedMinutes');
    expectError(await t.api('POST', '/api/v1/andon/nope-nope-nope/estimate', { expectedMinutes: 5 }), 404, 'not_found');
    await t.api('POST', `/api/v1/andon/${a.body.id}/resolve`, {});
    expectError(await t.api('POST', path, { expectedMinutes: 5 }), 409, 'invalid_state');
  });
});

describe('notifications', () => {
  it('a raise tells level 1 at once: a feed entry and a stream message; read marks it once', async () => {
    const stream = t.stream('notification');
    const raised = await raise({ reason: 'quality', workCenter: 'WELD' });
    const message = await stream.waitForTopic('notification', (m) => 'andonId' in m.data && m.data.andonId === raised.body.id);
    await stream.close();
    expect(message.topic).toBe('notification');
    expect(message.cause).toBe(raised.body.id);
    expect(message.data).toMatchObject({ kind: 'andon.raised', level: 1, notify: 'lead', workCenter: 'WELD', reason: 'quality', readAt: null });

    const unread = await t.api('GET', '/api/v1/notifications?unread=true');
    expect(unread.status).toBe(200);
    expect(unread.body[0]).toEqual(message.data);
    const ids = unread.body.map((n: { id: number }) => n.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const read = await t.api('POST', `/api/v1/notifications/${message.data.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    const again = await t.api('POST', `/api/v1/notifications/${message.data.id}/read`, {});
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await t.api('GET', '/api/v1/notifications?unread=true')).body.map((n: { id: number }) => n.id)).not.toContain(message.data.id);
    expect((await t.api('GET', '/api/v1/notifications')).body.map((n: { id: number }) => n.id)).toContain(message.data.id);
    expect((await t.api('GET', '/api/v1/notifications?limit=1')).body).toHaveLength(1);
  });

  it('rejects a bad query and unknown ids', async () => {
    expectError(await t.api('GET', '/api/v1/notifications?limit=0'), 400, 'validation_failed', 'limit');
    expectError(await t.api('GET', '/api/v1/notifications?unread=yes'), 400, 'validation_failed', 'unread');
    expectError(await t.api('POST', '/api/v1/notifications/999999/read'), 404, 'not_found');
    expectError(await t.api('POST', '/api/v1/notifications/abc/read'), 404, 'not_found');
  });
});

describe('figures', () => {
  it('count and mean minutes to acknowledge and to resolve per reason and work center, in SQL', async () => {
    const at = (hhmm: string) => `2020-01-01T${hhmm}:00Z`;
    const rows: [string, string, string, string | null, string | null, string][] = [
      // reason, work center, raised, acknowledged, resolved, state
      ['breakdown', 'CUT', at('10:00'), at('10:02'), at('10:30'), 'resolved'],
      ['breakdown', 'CUT', at('11:00'), at('11:04'), at('11:50'), 'resolved'],
      ['material', 'CUT', at('12:00'), null, at('12:10'), 'resolved'],
      ['quality', 'WELD', at('13:00'), null, null, 'raised'],
      ['quality', 'WELD', at('13:30'), null, null, 'cancelled'],
      // Outside [from, to): exactly at `to`.
      ['breakdown', 'CUT', '2020-01-02T00:00:00Z', at('00:01'), null, 'acknowledged'],
    ];
    for (const [reason, wc, raised, ack, resolved, state] of rows) {
      await t.sql`insert into andon (id, plant_id, work_center_code, reason, state, raised_at, raised_by, acknowledged_at, resolved_at)
        values (${randomUUID()}, ${t.plantId}, ${wc}, ${reason}, ${state}, ${raised}, 'test', ${ack}, ${resolved})`;
    }
    const r = await t.api('GET', '/api/v1/andon/figures?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      from: '2020-01-01T00:00:00.000Z',
      to: '2020-01-02T00:00:00.000Z',
      rows: [
        { reason: 'breakdown', workCenter: 'CUT', count: 2, meanMinutesToAcknowledge: 3, meanMinutesToResolve: 40 },
        { reason: 'material', workCenter: 'CUT', count: 1, meanMinutesToAcknowledge: null, meanMinutesToResolve: 10 },
        { reason: 'quality', workCenter: 'WELD', count: 1, meanMinutesToAcknowledge: null, meanMinutesToResolve: null },
      ],
    });
  });

  it('defaults to the last 7 days and names a bad from or to', async () => {
    const r = await t.api('GET', '/api/v1/andon/figures');
    expect(r.status).toBe(200);
    expect(Date.parse(r.body.to) - Date.parse(r.body.from)).toBe(7 * 86_400_000);
    expect(Math.abs(Date.parse(r.body.to) - Date.now())).toBeLessThan(60_000);
    expect(r.body.rows.map((x: { workCenter: string }) => x.workCenter)).toContain('CUT');
    expectError(await t.api('GET', '/api/v1/andon/figures?from=yesterday'), 400, 'validation_failed', 'from');
    expectError(await t.api('GET', '/api/v1/andon/figures?to=2020-13-01'), 400, 'validation_failed', 'to');
    expectError(await t.api('GET', '/api/v1/andon/figures?from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z'), 400, 'validation_failed', 'from');
    expectError(await t.api('GET', '/api/v1/andon/figures?from=2020-01-01T00:00:00Z&to=2020-01-01T00:00:00Z'), 400, 'validation_failed', 'from');
  });
});
