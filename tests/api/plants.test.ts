import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { client, type ApiClient } from '../support/http.ts';
import { StreamReader } from '../support/sse.ts';
import { useTestSystem } from '../support/system.ts';

/** The admin token reaches every plant, so with two plants it names one on each request. */
let admin: ApiClient;
let raw: ApiClient;
const tokens: Record<string, string> = {};

const t = useTestSystem({
  seed: async (api, { sql, url, adminToken }) => {
    // A second plant, created before any request so no plant list is cached without it.
    await sql`insert into plant (code, name, time_zone) values ('OTHER', 'Other plant', 'Europe/Berlin')`;
    raw = api;
    admin = client(url, adminToken, { headers: { 'x-takt-plant': 'TEST' } });
    await seedSmallFactory(admin);
    await createOrder(admin, 'PL-1');
    const grant = async (name: string, role: string, plants?: string[]) => {
      const r = await raw('POST', '/api/v1/auth/tokens', { name, role, ...(plants ? { plants } : {}) });
      expect(r.status).toBe(201);
      tokens[name] = r.body.token;
    };
    await grant('other-worker', 'worker', ['OTHER']);
    await grant('other-planner', 'planner', ['OTHER']);
    await grant('test-worker', 'worker', ['TEST']);
    await grant('both-display', 'display', ['TEST', 'OTHER']);
    await grant('nowhere', 'display', []);
  },
});

describe('plant scoping', () => {
  it("a token granted another plant sees none of this plant's data", async () => {
    const as = { token: tokens['other-worker'] };
    expect((await raw('GET', '/api/v1/orders', undefined, as)).body).toEqual([]);
    expect((await raw('GET', '/api/v1/orders?status=all', undefined, as)).body).toEqual([]);
    expectError(await raw('GET', '/api/v1/orders/PL-1', undefined, as), 404, 'not_found');
    expect((await raw('GET', '/api/v1/calendars', undefined, as)).body).toEqual([]);
    expect((await raw('GET', '/api/v1/work-centers', undefined, as)).body).toEqual([]);
    expect((await raw('GET', '/api/v1/products', undefined, as)).body).toEqual([]);
    expectError(await raw('GET', '/api/v1/products/P1', undefined, as), 404, 'not_found');
    expect((await raw('GET', '/api/v1/andon', undefined, as)).body).toEqual([]);
  });

  it('asking for the other plant by name looks the same as asking for one that does not exist', async () => {
    const as = { token: tokens['other-worker'] };
    const forbidden = await raw('GET', '/api/v1/orders?plant=TEST', undefined, as);
    expectError(forbidden, 404, 'not_found', 'plant');
    const unknown = await raw('GET', '/api/v1/orders?plant=NOWHERE', undefined, as);
    expectError(unknown, 404, 'not_found', 'plant');
    expectError(await raw('GET', '/api/v1/orders', undefined, { ...as, headers: { 'x-takt-plant': 'TEST' } }), 404, 'not_found', 'plant');
  });

  it("it cannot act on this plant's orders or work centers", async () => {
    const as = { token: tokens['other-worker'] };
    const event = await raw('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.started', order: 'PL-1', seq: 1 }, as);
    expectError(event, 404, 'not_found', 'order');
    const andon = await raw('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason: 'breakdown' }, as);
    expectError(andon, 404, 'not_found', 'workCenter');
    expect((await admin('GET', '/api/v1/orders/PL-1')).body.operations[0]!.status).toBe('pending');
  });

  it('what it writes lands in its own plant only', async () => {
    const as = { token: tokens['other-planner'] };
    const cal = await raw('PUT', '/api/v1/calendars/ALWAYS', { timeZone: 'Europe/Berlin', shifts: [] }, as);
    expect(cal.status).toBe(200);
    expect((await admin('GET', '/api/v1/calendars/ALWAYS')).body.timeZone).toBe('UTC');
    expect((await raw('GET', '/api/v1/calendars', undefined, as)).body.map((c: { code: string }) => c.code)).toEqual(['ALWAYS']);
  });

  it('a token of this plant sees it without naming it', async () => {
    const r = await raw('GET', '/api/v1/orders', undefined, { token: tokens['test-worker'] });
    expect(r.body.map((o: { code: string }) => o.code)).toEqual(['PL-1']);
  });

  it('a token of several plants must name one; /auth/me lists them', async () => {
    const as = { token: tokens['both-display'] };
    expectError(await raw('GET', '/api/v1/orders', undefined, as), 400, 'validation_failed', 'plant');
    expect((await raw('GET', '/api/v1/orders?plant=TEST', undefined, as)).body.map((o: { code: string }) => o.code)).toEqual(['PL-1']);
    expect((await raw('GET', '/api/v1/orders?plant=OTHER', undefined, as)).body).toEqual([]);
    expect((await raw('GET', '/api/v1/auth/me', undefined, as)).body.plants).toEqual(['TEST', 'OTHER']);
    expect((await raw('GET', '/api/v1/auth/me', undefined, { token: tokens['other-worker'] })).body.plants).toEqual(['OTHER']);
  });

  it('the admin token reaches every plant but must name one', async () => {
    expectError(await raw('GET', '/api/v1/orders'), 400, 'validation_failed', 'plant');
    expect((await raw('GET', '/api/v1/orders?plant=OTHER')).body).toEqual([]);
    expectError(await raw('GET', '/api/v1/orders?plant=NOWHERE'), 404, 'not_found', 'plant');
  });

  it('a token granted no plant is 403', async () => {
    expectError(await raw('GET', '/api/v1/orders', undefined, { token: tokens.nowhere }), 403, 'forbidden');
  });

  it("the stream of the other plant carries none of this plant's messages", async () => {
    const other = new StreamReader(`${t.url}/api/v1/stream`, { authorization: `Bearer ${tokens['other-worker']}` });
    const mine = new StreamReader(`${t.url}/api/v1/stream?topics=progress`, { authorization: `Bearer ${tokens['test-worker']}` });
    await new Promise((r) => setTimeout(r, 150));
    const id = randomUUID();
    expect((await raw('POST', '/api/v1/events', { id, type: 'operation.started', order: 'PL-1', seq: 1 }, { token: tokens['test-worker'] })).status).toBe(201);
    const seen = await mine.waitFor((m) => m.cause === id);
    expect(seen.plant).toBe('TEST');
    // Give the other stream the same chance to (wrongly) receive it.
    await new Promise((r) => setTimeout(r, 200));
    expect(other.messages.filter((m) => m.plant !== 'OTHER')).toEqual([]);
    expect(other.messages.some((m) => m.cause === id)).toBe(false);
    await other.close();
    await mine.close();
  });
});

describe('PUT /api/v1/plants/{code}', () => {
  it('an admin of every plant creates a plant (201), renames it (200), and it is isolated like the others', async () => {
    const created = await raw('PUT', '/api/v1/plants/NEW-1', { name: 'New plant', timeZone: 'Asia/Shanghai' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ code: 'NEW-1', name: 'New plant', timeZone: 'Asia/Shanghai' });
    const renamed = await raw('PUT', '/api/v1/plants/NEW-1', { name: 'Plant two', timeZone: 'Europe/Berlin' });
    expect(renamed.status).toBe(200);
    expect((await raw('GET', '/api/v1/plants')).body).toContainEqual({ code: 'NEW-1', name: 'Plant two', timeZone: 'Europe/Berlin' });

    const planner = await raw('POST', '/api/v1/auth/tokens', { name: 'new planner', role: 'planner', plants: ['NEW-1'] });
    const as = { token: planner.body.token };
    expect((await raw('GET', '/api/v1/orders', undefined, as)).body).toEqual([]);
    expect((await raw('GET', '/api/v1/orders/PL-1', undefined, as)).status).toBe(404);
  });

  it('refuses bad input naming the field, and anyone but an admin of every plant', async () => {
    expectError(await raw('PUT', '/api/v1/plants/NEW-2', { name: 'X', timeZone: 'Mars/Olympus' }), 400, 'validation_failed', 'timeZone');
    expectError(await raw('PUT', '/api/v1/plants/NEW-2', { timeZone: 'UTC' }), 400, 'validation_failed', 'name');
    expectError(await raw('PUT', '/api/v1/plants/bad%20code', { name: 'X', timeZone: 'UTC' }), 400, 'validation_failed', 'code');
    expectError(await raw('PUT', '/api/v1/plants/NEW-2', { name: 'X', timeZone: 'UTC' }, { token: tokens['other-planner'] }), 403, 'forbidden');
    const plantAdmin = await raw('POST', '/api/v1/auth/tokens', { name: 'test admin', role: 'admin', plants: ['TEST'] });
    expectError(await raw('PUT', '/api/v1/plants/NEW-2', { name: 'X', timeZone: 'UTC' }, { token: plantAdmin.body.token }), 403, 'forbidden');
    expect((await raw('GET', '/api/v1/plants')).body.map((p: { code: string }) => p.code)).not.toContain('NEW-2');
  });
});
