import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

const newToken = async (role: string, name = `${role} ${randomUUID().slice(0, 8)}`) => (await t.api('POST', '/api/v1/auth/tokens', { name, role })).body.token;

describe('operators', () => {
  it('PUT creates and replaces; PIN and badge are write-only and stored as keyed hashes', async () => {
    const r = await t.api('PUT', '/api/v1/operators/OP1', { name: 'Zhang Wei', pin: '1234', badge: 'BADGE-0001', lead: true });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ code: 'OP1', name: 'Zhang Wei', lead: true, active: true, hasPin: true, hasBadge: true });
    const [row] = await t.sql<{ pin_hash: string; badge_hash: string }[]>`select pin_hash, badge_hash from operator where code = 'OP1'`;
    expect(row!.pin_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.badge_hash).toMatch(/^[0-9a-f]{64}$/);
    const [log] = await t.sql<{ payload: Record<string, unknown> }[]>`select payload from event_log where type = 'operator.put' and subject = 'OP1'`;
    expect(JSON.stringify(log!.payload)).not.toContain('1234');
    expect(JSON.stringify(log!.payload)).not.toContain('BADGE-0001');
    expect(log!.payload).toMatchObject({ pinSet: true, badgeSet: true });

    // A PUT without pin/badge (renaming) keeps them.
    const renamed = await t.api('PUT', '/api/v1/operators/OP1', { name: 'Zhang Wei (day shift)', lead: true });
    expect(renamed.body).toEqual({ code: 'OP1', name: 'Zhang Wei (day shift)', lead: true, active: true, hasPin: true, hasBadge: true });
    expect((await t.api('POST', '/api/v1/operators/identify', { pin: '1234' })).body.code).toBe('OP1');

    await t.api('PUT', '/api/v1/operators/OP2', { name: 'Wang Fang' });
    const list = await t.api('GET', '/api/v1/operators');
    expect(list.body).toEqual([
      { code: 'OP1', name: 'Zhang Wei (day shift)', lead: true, active: true, hasPin: true, hasBadge: true },
      { code: 'OP2', name: 'Wang Fang', lead: false, active: true, hasPin: false, hasBadge: false },
    ]);
    expect((await t.api('GET', '/api/v1/operators/OP2')).body.name).toBe('Wang Fang');
    expectError(await t.api('GET', '/api/v1/operators/NOPE'), 404, 'not_found');
  });

  it('validates the body and refuses a PIN or badge another operator has (409 naming it)', async () => {
    expectError(await t.api('PUT', '/api/v1/operators/OP3', { name: 'Li Na', pin: '12' }), 400, 'validation_failed', 'pin');
    expectError(await t.api('PUT', '/api/v1/operators/OP3', { name: 'Li Na', pin: '12ab' }), 400, 'validation_failed', 'pin');
    expectError(await t.api('PUT', '/api/v1/operators/OP3', { pin: '5555' }), 400, 'validation_failed', 'name');
    expectError(await t.api('PUT', '/api/v1/operators/bad%20code', { name: 'x' }), 400, 'validation_failed', 'code');
    expectError(await t.api('PUT', '/api/v1/operators/OP3', { name: 'Li Na', pin: '1234' }), 409, 'conflict', 'pin');
    expectError(await t.api('PUT', '/api/v1/operators/OP3', { name: 'Li Na', badge: 'BADGE-0001' }), 409, 'conflict', 'badge');
    expectError(await t.api('GET', '/api/v1/operators/OP3'), 404, 'not_found');
    // The same operator keeping its own PIN is no conflict.
    expect((await t.api('PUT', '/api/v1/operators/OP1', { name: 'Zhang Wei', pin: '1234', lead: true })).status).toBe(200);
  });

  it('identify by PIN or badge; 401 naming the field for an unknown one; exactly one of them', async () => {
    const station = await newToken('worker');
    const who = await t.api('POST', '/api/v1/operators/identify', { pin: '1234' }, { token: station });
    expect(who.status).toBe(200);
    expect(who.body).toEqual({ code: 'OP1', name: 'Zhang Wei', lead: true, session: expect.any(String), sessionExpiresAt: expect.any(String) });
    expect((await t.api('POST', '/api/v1/operators/identify', { badge: 'BADGE-0001' }, { token: station })).body.code).toBe('OP1');
    expectError(await t.api('POST', '/api/v1/operators/identify', { pin: '9999' }, { token: station }), 401, 'unauthorized', 'pin');
    expectError(await t.api('POST', '/api/v1/operators/identify', { badge: 'BADGE-9999' }, { token: station }), 401, 'unauthorized', 'badge');
    expectError(await t.api('POST', '/api/v1/operators/identify', {}, { token: station }), 400, 'validation_failed', 'pin');
    expectError(await t.api('POST', '/api/v1/operators/identify', { pin: '1234', badge: 'BADGE-0001' }, { token: station }), 400, 'validation_failed', 'badge');
  });

  it('an inactive operator cannot identify', async () => {
    await t.api('PUT', '/api/v1/operators/OP4', { name: 'Liu Yang', pin: '4444' });
    expect((await t.api('POST', '/api/v1/operators/identify', { pin: '4444' })).status).toBe(200);
    await t.api('PUT', '/api/v1/operators/OP4', { name: 'Liu Yang', active: false });
    expectError(await t.api('POST', '/api/v1/operators/identify', { pin: '4444' }), 401, 'unauthorized', 'pin');
  });

  it('after 10 failures in 5 minutes a token gets 429, even for the right PIN; other tokens do not', async () => {
    const guesser = await newToken('worker');
    for (let i = 0; i < 10; i++) {
      expectError(await t.api('POST', '/api/v1/operators/identify', { pin: String(2000 + i) }, { token: guesser }), 401, 'unauthorized', 'pin');
    }
    expectError(await t.api('POST', '/api/v1/operators/identify', { pin: '1234' }, { token: guesser }), 429, 'rate_limited', 'pin');
    expectError(await t.api('POST', '/api/v1/operators/identify', { pin: '3000' }, { token: guesser }), 429, 'rate_limited');
    const neighbour = await newToken('worker');
    expect((await t.api('POST', '/api/v1/operators/identify', { pin: '1234' }, { token: neighbour })).status).toBe(200);
  });
});

describe('who pressed', () => {
  it('a floor event records the operator code in the log and on the stream', async () => {
    await createOrder(t.api, 'W-1', { quantity: 10 });
    const stream = t.stream('progress');
    const id = randomUUID();
    const station = await newToken('worker', 'station CUT');
    const r = await t.api('POST', '/api/v1/events', { id, type: 'operation.started', order: 'W-1', seq: 1, operator: 'OP1' }, { token: station });
    expect(r.status).toBe(201);
    const [row] = await t.sql<{ actor: string; payload: { operator: string } }[]>`select actor, payload from event_log where client_id = ${id}`;
    expect(row).toMatchObject({ actor: 'station CUT', payload: { operator: 'OP1' } });
    const message = await stream.waitForTopic('progress', (m) => m.cause === id);
    expect(message.data.operator).toBe('OP1');
    await stream.close();
  });

  it('an unknown or inactive operator is 400 naming operator, and nothing is recorded', async () => {
    for (const operator of ['NOBODY', 'OP4']) {
      const id = randomUUID();
      expectError(await t.api('POST', '/api/v1/events', { id, type: 'operation.progress', order: 'W-1', seq: 1, quantityGood: 1, operator }), 400, 'validation_failed', 'operator');
      const andonId = randomUUID();
      expectError(await t.api('POST', '/api/v1/andon', { id: andonId, workCenter: 'CUT', reason: 'other', operator }), 400, 'validation_failed', 'operator');
      const { n } = (await t.sql<{ n: number }[]>`select count(*)::int as n from event_log where client_id in (${id}, ${andonId})`)[0]!;
      expect(n).toBe(0);
    }
    const a = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason: 'other' });
    expectError(await t.api('POST', `/api/v1/andon/${a.body.id}/acknowledge`, { operator: 'NOBODY' }), 400, 'validation_failed', 'operator');
    expectError(await t.api('POST', `/api/v1/andon/${a.body.id}/resolve`, { operator: 'NOBODY' }), 400, 'validation_failed', 'operator');
    expectError(await t.api('POST', `/api/v1/andon/${a.body.id}/cancel`, { operator: 'NOBODY' }), 400, 'validation_failed', 'operator');
    expect((await t.api('GET', `/api/v1/andon/${a.body.id}`)).body.state).toBe('raised');
  });

  it('andon raise, acknowledge, resolve record the operator codes', async () => {
    const id = randomUUID();
    expect((await t.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', reason: 'quality', operator: 'OP2' })).body.raisedBy).toBe('OP2');
    expect((await t.api('POST', `/api/v1/andon/${id}/acknowledge`, { operator: 'OP1' })).body.acknowledgedBy).toBe('OP1');
    expect((await t.api('POST', `/api/v1/andon/${id}/resolve`, { operator: 'OP1', rootCause: 'gauge' })).body.resolvedBy).toBe('OP1');
    const [row] = await t.sql<{ payload: { operator: string } }[]>`select payload from event_log where client_id = ${id}`;
    expect(row!.payload.operator).toBe('OP2');
  });
});

describe('a lead at a worker station', () => {
  it("acknowledges and resolves on the tablet's worker token only with a session from identifying there", async () => {
    await t.api('PUT', '/api/v1/operators/LEAD9', { name: 'Li Na', pin: '9090', lead: true });
    await t.api('PUT', '/api/v1/operators/WORK9', { name: 'Wang Fang', pin: '9191', lead: false });
    const station = await newToken('worker');
    const otherStation = await newToken('worker');
    const raise = async () => (await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason: 'other', operator: 'WORK9' }, { token: station })).body.id;
    const identify = async (pin: string, token: string) => (await t.api('POST', '/api/v1/operators/identify', { pin }, { token })).body;

    const first = await raise();
    const ack = (body: Record<string, unknown>, token = station) => t.api('POST', `/api/v1/andon/${first}/acknowledge`, body, { token });
    expectError(await ack({}), 403, 'forbidden', null);
    expectError(await ack({ operator: 'WORK9' }), 403, 'forbidden', null);
    // A lead's code is public (the alert list shows it): alone it proves nothing.
    expectError(await ack({ operator: 'LEAD9' }), 403, 'forbidden', null);
    const worker = await identify('9191', station);
    expectError(await ack({ operator: 'WORK9', operatorSession: worker.session }), 403, 'forbidden', null);
    expectError(await ack({ operator: 'LEAD9', operatorSession: worker.session }), 403, 'forbidden', null);
    const leadElsewhere = await identify('9090', otherStation);
    expectError(await ack({ operator: 'LEAD9', operatorSession: leadElsewhere.session }), 403, 'forbidden', null);
    const lead = await identify('9090', station);
    expect(lead).toMatchObject({ code: 'LEAD9', lead: true, session: expect.any(String) });
    expect(Date.parse(lead.sessionExpiresAt) - Date.now()).toBeGreaterThan(10 * 60_000);
    const [payload, signature] = (lead.session).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), code: 'LEAD9', expiresAt: Date.now() + 9e9 })).toString('base64url');
    expectError(await ack({ operator: 'LEAD9', operatorSession: `${forged}.${signature}` }), 403, 'forbidden', null);
    expect((await t.api('GET', `/api/v1/andon/${first}`)).body.state).toBe('raised');

    const acknowledged = await ack({ operator: 'LEAD9', operatorSession: lead.session });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'LEAD9' });
    const resolved = await t.api('POST', `/api/v1/andon/${first}/resolve`, { operator: 'LEAD9', operatorSession: lead.session, rootCause: 'cleared' }, { token: station });
    expect(resolved.body).toMatchObject({ state: 'resolved', resolvedBy: 'LEAD9', rootCause: 'cleared' });
  });
});
