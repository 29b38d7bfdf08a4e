import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/password.ts';
import { roles, type Role } from '../../server/contract/auth.ts';
import { endpoints } from '../../server/openapi/document.ts';
import { ALWAYS_OPEN, completedOrder, createOrder, seedSmallFactory, settledSchedule } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { errorOf, type ApiClient } from '../support/http.ts';
import { useTestSystem } from '../support/system.ts';

const tokens = {} as Record<Role, string>;

const t = useTestSystem({
  seed: async (api, system) => {
    // The matrix creates plants (PUT /plants), after which a token that reaches every plant must name
    // one: every request of this file names the test's own, as a multi-plant client would.
    system.api = ((method: string, path: string, body?: unknown, init: { token?: string; headers?: Record<string, string> } = {}) =>
      api(method, path, body, { ...init, headers: { 'x-takt-plant': 'TEST', ...init.headers } })) as ApiClient;
    await seedSmallFactory(api);
    await createOrder(api, 'R-BASE', { quantity: 100_000 });
    for (const role of roles) {
      const r = await api('POST', '/api/v1/auth/tokens', { name: `${role} token`, role });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ name: `${role} token`, role, token: expect.stringMatching(/^takt_/) });
      tokens[role] = r.body.token;
    }
    expect((await api('PUT', '/api/v1/operators/OP-BASE', { name: 'Base operator', pin: '4321' })).status).toBe(200);
    expect((await api('PUT', '/api/v1/operators/OP-LEAD', { name: 'Lead operator', pin: '8642', lead: true })).status).toBe(200);
    expect((await api('PUT', '/api/v1/boards/B-BASE', { name: 'Base board' })).status).toBe(200);
    expect((await api('PUT', '/api/v1/components/C-BASE', { name: 'Base component', unit: 'pcs', onHand: 1000, reorderPoint: 10, leadTimeDays: 3 })).status).toBe(200);
    await waitForSchedule();
  },
});

async function waitForSchedule() {
  const deadline = Date.now() + 10_000;
  while ((await t.api('GET', '/api/v1/schedule')).status !== 200) {
    if (Date.now() > deadline) throw new Error('no schedule');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const logRows = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from event_log`)[0]!.n;

let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;
async function raisedAndon(token?: string, reason = 'other'): Promise<string> {
  const r = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'WELD', reason }, { token });
  expect(r.status).toBe(201);
  return r.body.id;
}
async function notificationId(): Promise<number> {
  const id = await raisedAndon();
  const [row] = await t.sql<{ id: string }[]>`select id from notification where andon_id = ${id}`;
  return Number(row!.id);
}

const settledVersion = async () => (await settledSchedule(t.api)).version;
const pinMove = { order: 'R-BASE', seq: 2, machine: 1, mode: 'queue' };
async function committedPin(token?: string): Promise<string> {
  const r = await t.api('POST', '/api/v1/pins', { ...pinMove, baseVersion: await settledVersion() }, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return (r.body as { id: string }).id;
}
const mayPin = (role: Role) => role === 'admin' || role === 'planner';

interface RoleCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path as documented in server/openapi/document.ts (without /api/v1). */
  doc: string;
  allowed: Role[] | 'all';
  /** A fresh, valid request for the role about to call: allowed roles must succeed with it. */
  request: (role: Role) => Promise<RoleRequest> | RoleRequest;
}

/** `csv`: a file sent as the raw text/csv body (imports) instead of JSON. */
interface RoleRequest {
  path: string;
  body?: unknown;
  csv?: string;
}

/** What a station sends when a lead acts on it: the lead's code and the session from identifying there. */
async function leadProof(role: Role): Promise<Record<string, string>> {
  if (role !== 'worker') return {};
  const lead = await t.api('POST', '/api/v1/operators/identify', { pin: '8642' }, { token: tokens.worker });
  return { operator: 'OP-LEAD', operatorSession: lead.body.session };
}

/** An enabled channel whose URL turned to loopback after it was stored: every send fails at once, reaching nothing. */
async function loopbackChannel(code: string): Promise<void> {
  expect((await t.api('PUT', `/api/v1/channels/${code}`, { kind: 'webhook', url: 'http://10.0.0.9/hook' })).status).toBe(200);
  await t.sql`update channel set url = 'http://127.0.0.1:1/hook' where code = ${code}`;
}
const SOME_FACTS = {
  kind: 'andon.raised', department: 'floor', at: new Date().toISOString(), timeZone: 'UTC', order: null, workCenter: 'WELD', workCenters: ['WELD'], lines: ['L1'], customers: [],
  reason: 'other', minutesLate: 0, level: 1, notify: 'lead', seq: null, dueAt: null, eta: null, component: null, shortBy: null, unit: null, quantity: null,
};

/** Who may do what: the role table. Admin may do everything. */
const matrix: RoleCase[] = [
  { method: 'PUT', doc: '/calendars/{code}', allowed: ['admin', 'planner'], request: () => ({ path: `/calendars/${unique('CAL')}`, body: ALWAYS_OPEN }) },
  { method: 'PUT', doc: '/work-centers/{code}', allowed: ['admin', 'planner'], request: () => ({ path: `/work-centers/${unique('WC')}`, body: { name: 'wc', line: 'L9', machines: 1, calendar: 'ALWAYS' } }) },
  { method: 'PUT', doc: '/products/{code}', allowed: ['admin', 'planner'], request: () => ({ path: `/products/${unique('PR')}`, body: { name: 'p', routing: [{ seq: 1, workCenter: 'CUT', setupMinutes: 0, runMinutesPerUnit: 1 }] } }) },
  { method: 'POST', doc: '/orders', allowed: ['admin', 'planner', 'sales'], request: () => ({ path: '/orders', body: { code: unique('RO'), product: 'P1', quantity: 1, dueAt: new Date(Date.now() + 86_400_000).toISOString() } }) },
  { method: 'POST', doc: '/events', allowed: ['admin', 'lead', 'worker'], request: () => ({ path: '/events', body: { id: randomUUID(), type: 'operation.progress', order: 'R-BASE', seq: 1, quantityGood: 1 } }) },
  { method: 'POST', doc: '/andon', allowed: ['admin', 'lead', 'worker'], request: () => ({ path: '/andon', body: { id: randomUUID(), workCenter: 'WELD', reason: 'other' } }) },
  // A worker token (a station) only for a lead who identified at it: see tests/api/operators.test.ts.
  // QC too, for quality alerts (another reason: 403, below).
  { method: 'POST', doc: '/andon/{id}/acknowledge', allowed: ['admin', 'lead', 'worker', 'qc'], request: async (role) => ({ path: `/andon/${await raisedAndon(undefined, 'quality')}/acknowledge`, body: await leadProof(role) }) },
  { method: 'POST', doc: '/andon/{id}/resolve', allowed: ['admin', 'lead', 'worker', 'qc'], request: async (role) => ({ path: `/andon/${await raisedAndon(undefined, 'quality')}/resolve`, body: { rootCause: 'x', ...(await leadProof(role)) } }) },
  { method: 'GET', doc: '/quality/scrap', allowed: ['admin', 'qc', 'manager', 'planner', 'lead'], request: () => ({ path: '/quality/scrap?by=workCenter' }) },
  { method: 'PUT', doc: '/plants/{code}', allowed: ['admin'], request: () => ({ path: `/plants/${unique('PLANT')}`, body: { name: 'Plant', timeZone: 'UTC' } }) },
  // A worker may cancel only what its own token raised (within 2 minutes): raise it with that token.
  { method: 'POST', doc: '/andon/{id}/cancel', allowed: ['admin', 'lead', 'worker'], request: async (role) => ({ path: `/andon/${await raisedAndon(role === 'worker' ? tokens.worker : undefined)}/cancel`, body: {} }) },
  // Purchasing estimates material alerts only (a breakdown's repair is not its call: tests/api/materials.test.ts).
  { method: 'POST', doc: '/andon/{id}/estimate', allowed: ['admin', 'planner', 'lead', 'purchasing'], request: async () => ({ path: `/andon/${await raisedAndon(undefined, 'material')}/estimate`, body: { expectedMinutes: 90 } }) },
  { method: 'PUT', doc: '/escalation/{reason}', allowed: ['admin', 'planner'], request: () => ({ path: '/escalation/safety', body: { levels: [{ level: 1, afterMinutes: 0, notify: 'lead' }, { level: 2, afterMinutes: 10, notify: 'safety officer' }] } }) },
  { method: 'POST', doc: '/notifications/{id}/read', allowed: 'all', request: async () => ({ path: `/notifications/${await notificationId()}/read`, body: {} }) },
  { method: 'PUT', doc: '/operators/{code}', allowed: ['admin', 'planner'], request: () => ({ path: `/operators/${unique('OP')}`, body: { name: 'Someone' } }) },
  { method: 'POST', doc: '/operators/identify', allowed: ['admin', 'lead', 'worker'], request: () => ({ path: '/operators/identify', body: { pin: '4321' } }) },
  { method: 'PUT', doc: '/boards/{code}', allowed: ['admin', 'planner'], request: () => ({ path: `/boards/${unique('BD')}`, body: { name: 'b', workCenters: ['CUT'] } }) },
  { method: 'PUT', doc: '/playlists/{code}', allowed: ['admin', 'planner'], request: () => ({ path: `/playlists/${unique('PL')}`, body: { name: 'p', boards: ['B-BASE'] } }) },
  { method: 'GET', doc: '/andon/figures', allowed: 'all', request: () => ({ path: '/andon/figures' }) },
  { method: 'GET', doc: '/escalation', allowed: 'all', request: () => ({ path: '/escalation' }) },
  { method: 'GET', doc: '/notifications', allowed: 'all', request: () => ({ path: '/notifications?unread=true' }) },
  { method: 'GET', doc: '/operators', allowed: ['admin', 'planner', 'lead'], request: () => ({ path: '/operators' }) },
  { method: 'GET', doc: '/operators/{code}', allowed: ['admin', 'planner', 'lead'], request: () => ({ path: '/operators/OP-BASE' }) },
  { method: 'GET', doc: '/boards', allowed: 'all', request: () => ({ path: '/boards' }) },
  { method: 'GET', doc: '/boards/{code}', allowed: 'all', request: () => ({ path: '/boards/B-BASE' }) },
  { method: 'GET', doc: '/playlists', allowed: 'all', request: () => ({ path: '/playlists' }) },
  { method: 'GET', doc: '/playlists/{code}', allowed: 'all', request: async () => {
    await t.api('PUT', '/api/v1/playlists/PL-BASE', { name: 'Base playlist', boards: ['B-BASE'] });
    return { path: '/playlists/PL-BASE' };
  } },
  { method: 'POST', doc: '/auth/tokens', allowed: ['admin'], request: () => ({ path: '/auth/tokens', body: { name: unique('tok'), role: 'display' } }) },
  { method: 'GET', doc: '/calendars', allowed: 'all', request: () => ({ path: '/calendars' }) },
  { method: 'GET', doc: '/calendars/{code}', allowed: 'all', request: () => ({ path: '/calendars/ALWAYS' }) },
  { method: 'GET', doc: '/work-centers', allowed: 'all', request: () => ({ path: '/work-centers' }) },
  { method: 'GET', doc: '/work-centers/{code}', allowed: 'all', request: () => ({ path: '/work-centers/CUT' }) },
  { method: 'GET', doc: '/products', allowed: 'all', request: () => ({ path: '/products' }) },
  { method: 'GET', doc: '/products/{code}', allowed: 'all', request: () => ({ path: '/products/P1' }) },
  { method: 'GET', doc: '/orders', allowed: 'all', request: () => ({ path: '/orders' }) },
  { method: 'GET', doc: '/orders/{code}', allowed: 'all', request: () => ({ path: '/orders/R-BASE' }) },
  {
    method: 'POST',
    doc: '/orders/{code}/ship',
    allowed: ['admin', 'warehouse'],
    request: async () => {
      const code = unique('SHIP');
      await completedOrder(t.api, code);
      return { path: `/orders/${code}/ship`, body: {} };
    },
  },
  { method: 'PATCH', doc: '/orders/{code}', allowed: ['admin', 'planner', 'sales'], request: () => ({ path: '/orders/R-BASE', body: { dueAt: new Date(Date.now() + 86_400_000 + Math.floor(Math.random() * 3_600_000)).toISOString() } }) },
  { method: 'GET', doc: '/andon', allowed: 'all', request: () => ({ path: '/andon' }) },
  { method: 'GET', doc: '/andon/{id}', allowed: 'all', request: async () => ({ path: `/andon/${await raisedAndon()}` }) },
  { method: 'GET', doc: '/schedule', allowed: 'all', request: () => ({ path: '/schedule' }) },
  { method: 'GET', doc: '/floor', allowed: 'all', request: () => ({ path: '/floor' }) },
  { method: 'GET', doc: '/schedule/calendar', allowed: ['admin', 'planner', 'sales', 'lead'], request: () => ({ path: `/schedule/calendar?from=${new Date().toISOString()}&to=${new Date(Date.now() + 7 * 86_400_000).toISOString()}` }) },
  { method: 'POST', doc: '/schedule/preview', allowed: ['admin', 'planner'], request: () => ({ path: '/schedule/preview', body: { moves: [pinMove] } }) },
  { method: 'GET', doc: '/pins', allowed: ['admin', 'planner', 'sales', 'lead'], request: () => ({ path: '/pins' }) },
  { method: 'POST', doc: '/pins', allowed: ['admin', 'planner'], request: async () => ({ path: '/pins', body: { ...pinMove, baseVersion: await settledVersion() } }) },
  { method: 'POST', doc: '/pins/batch', allowed: ['admin', 'planner'], request: async () => ({ path: '/pins/batch', body: { moves: [pinMove], baseVersion: await settledVersion() } }) },
  // Undo takes back the caller's own last commit: an allowed role commits one first.
  { method: 'POST', doc: '/pins/undo', allowed: ['admin', 'planner'], request: async (role) => {
    if (mayPin(role)) await committedPin(tokens[role]);
    return { path: '/pins/undo' };
  } },
  { method: 'DELETE', doc: '/pins/{id}', allowed: ['admin', 'planner'], request: async () => ({ path: `/pins/${await committedPin()}` }) },
  { method: 'GET', doc: '/components', allowed: 'all', request: () => ({ path: '/components?belowReorder=true' }) },
  { method: 'GET', doc: '/components/{code}', allowed: 'all', request: () => ({ path: '/components/C-BASE' }) },
  { method: 'PUT', doc: '/components/{code}', allowed: ['admin', 'purchasing', 'planner'], request: () => ({ path: `/components/${unique('CMP')}`, body: { name: 'c', unit: 'kg', onHand: 5, reorderPoint: 1, leadTimeDays: 2 } }) },
  { method: 'POST', doc: '/components/{code}/receipts', allowed: ['admin', 'warehouse', 'purchasing'], request: () => ({ path: '/components/C-BASE/receipts', body: { id: randomUUID(), quantity: 1 } }) },
  { method: 'POST', doc: '/components/{code}/counts', allowed: ['admin', 'warehouse', 'purchasing'], request: () => ({ path: '/components/C-BASE/counts', body: { id: randomUUID(), onHand: 1000 } }) },
  { method: 'POST', doc: '/components/{code}/arrival', allowed: ['admin', 'purchasing', 'planner'], request: () => ({ path: '/components/C-BASE/arrival', body: { expectedAt: new Date(Date.now() + 86_400_000).toISOString() } }) },
  { method: 'GET', doc: '/shortages', allowed: 'all', request: () => ({ path: '/shortages' }) },
  { method: 'GET', doc: '/picking', allowed: 'all', request: () => ({ path: '/picking?hours=12' }) },
  { method: 'POST', doc: '/quotes', allowed: ['admin', 'planner', 'sales'], request: () => ({ path: '/quotes', body: { product: 'P1', quantity: 2 } }) },
  { method: 'GET', doc: '/quotes/{id}', allowed: ['admin', 'planner', 'sales'], request: async () => {
    const quote = await t.api('POST', '/api/v1/quotes', { product: 'P1', quantity: 2 });
    return { path: `/quotes/${(quote.body as { id: string }).id}` };
  } },
  { method: 'GET', doc: '/plants', allowed: 'all', request: () => ({ path: '/plants' }) },
  { method: 'GET', doc: '/auth/me', allowed: 'all', request: () => ({ path: '/auth/me' }) },
  { method: 'GET', doc: '/stream', allowed: 'all', request: () => ({ path: '/stream' }) },
  { method: 'GET', doc: '/kpis', allowed: ['admin', 'manager'], request: () => ({ path: '/kpis' }) },
  { method: 'GET', doc: '/channels', allowed: ['admin'], request: () => ({ path: '/channels' }) },
  { method: 'GET', doc: '/channels/{code}', allowed: ['admin'], request: async () => {
    await t.api('PUT', '/api/v1/channels/CH-BASE', { kind: 'webhook', url: 'http://10.0.0.9/hook', enabled: false });
    return { path: '/channels/CH-BASE' };
  } },
  // A private LAN address: PUT resolves it (no loopback in this system) and stores it disabled, sending nothing.
  { method: 'PUT', doc: '/channels/{code}', allowed: ['admin'], request: () => ({ path: `/channels/${unique('CH')}`, body: { kind: 'wecom', url: 'http://10.0.0.9/cgi-bin/webhook/send?key=k', enabled: false } }) },
  // A URL that now points at loopback: the test answers at once (200, ok false: refused), sending nothing.
  { method: 'POST', doc: '/channels/{code}/test', allowed: ['admin'], request: async () => {
    await loopbackChannel('CH-TEST');
    return { path: '/channels/CH-TEST/test', body: {} };
  } },
  { method: 'GET', doc: '/subscriptions', allowed: ['admin'], request: () => ({ path: '/subscriptions' }) },
  { method: 'GET', doc: '/subscriptions/{code}', allowed: ['admin'], request: async () => {
    await t.api('PUT', '/api/v1/channels/CH-BASE', { kind: 'webhook', url: 'http://10.0.0.9/hook', enabled: false });
    await t.api('PUT', '/api/v1/subscriptions/SUB-BASE', { channel: 'CH-BASE', kinds: ['andon.raised'] });
    return { path: '/subscriptions/SUB-BASE' };
  } },
  { method: 'PUT', doc: '/subscriptions/{code}', allowed: ['admin'], request: async () => {
    await t.api('PUT', '/api/v1/channels/CH-BASE', { kind: 'webhook', url: 'http://10.0.0.9/hook', enabled: false });
    return { path: `/subscriptions/${unique('SUB')}`, body: { channel: 'CH-BASE', kinds: ['order.late'], filter: { minMinutesLate: 30 } } };
  } },
  { method: 'GET', doc: '/deliveries', allowed: ['admin', 'manager'], request: () => ({ path: '/deliveries?state=failed' }) },
  { method: 'POST', doc: '/deliveries/{id}/replay', allowed: ['admin'], request: async () => {
    await loopbackChannel('CH-REPLAY');
    const [row] = await t.sql<{ id: string }[]>`insert into delivery (id, plant_id, channel_id, kind, facts, state, created_at)
      select ${'msg_' + randomUUID().replaceAll('-', '')}, plant_id, id, 'andon.raised', ${JSON.stringify(SOME_FACTS)}::text::jsonb, 'failed', now() from channel where code = 'CH-REPLAY' returning id`;
    return { path: `/deliveries/${row!.id}/replay`, body: {} };
  } },
  { method: 'GET', doc: '/audit', allowed: ['admin', 'manager'], request: () => ({ path: '/audit?kind=order&limit=5' }) },
  { method: 'POST', doc: '/imports/orders', allowed: ['admin', 'planner'], request: () => ({ path: '/imports/orders?dryRun=false', csv: `order,product,quantity,dueAt\n${unique('IO')},P1,1,2030-01-31\n` }) },
  { method: 'POST', doc: '/imports/products', allowed: ['admin', 'planner'], request: () => ({ path: '/imports/products?dryRun=false', csv: `product,name,seq,workCenter,setupMinutes,runMinutesPerUnit\n${unique('IP')},p,1,CUT,0,1\n` }) },
  { method: 'POST', doc: '/imports/components', allowed: ['admin', 'planner', 'purchasing'], request: () => ({ path: '/imports/components?dryRun=false', csv: `component,name,unit,onHand,reorderPoint,leadTimeDays\n${unique('IC')},c,kg,5,1,2\n` }) },
  { method: 'GET', doc: '/imports/orders/template', allowed: ['admin', 'planner'], request: () => ({ path: '/imports/orders/template?format=csv' }) },
  { method: 'GET', doc: '/imports/products/template', allowed: ['admin', 'planner'], request: () => ({ path: '/imports/products/template?format=xlsx' }) },
  { method: 'GET', doc: '/imports/components/template', allowed: ['admin', 'planner', 'purchasing'], request: () => ({ path: '/imports/components/template' }) },
  { method: 'POST', doc: '/screens/heartbeat', allowed: 'all', request: (role) => ({ path: '/screens/heartbeat', body: { screen: `board/${role}`, kind: 'board', samples: 2, latencyP50Ms: 40, latencyP95Ms: 90, newestMessageAt: new Date().toISOString() } }) },
];

/** Status of a request; a stream is cut off once its headers arrive. */
async function call(method: string, path: string, token: string, body?: unknown, csv?: string) {
  if (csv !== undefined) return t.api(method, `/api/v1${path}`, undefined, { token, raw: csv, headers: { 'content-type': 'text/csv' } });
  if (path.startsWith('/stream')) {
    const controller = new AbortController();
    const response = await fetch(`${t.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}`, 'x-takt-plant': 'TEST' }, signal: controller.signal });
    const text = response.ok ? '' : await response.text();
    controller.abort();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  }
  return t.api(method, `/api/v1${path}`, body, { token });
}

describe('the role matrix', () => {
  it('matches the roles the OpenAPI document states', () => {
    for (const c of matrix) {
      const documented = endpoints.find((e) => e.method === c.method.toLowerCase() && e.path === c.doc);
      expect(documented, `${c.method} ${c.doc}`).toBeDefined();
      if (c.allowed === 'all') expect(documented!.roles, `${c.method} ${c.doc}`).toBe('any');
      else expect([...(documented!.roles as string[])].sort(), `${c.method} ${c.doc}`).toEqual([...c.allowed].sort());
    }
    // Every documented endpoint that needs a token is in the matrix (login, logout and health are tested on their own).
    const covered = new Set(matrix.map((c) => `${c.method.toLowerCase()} ${c.doc}`));
    const documented = endpoints.filter((e) => e.roles !== 'public' && e.path !== '/auth/logout').map((e) => `${e.method} ${e.path}`);
    expect(documented.filter((d) => !covered.has(d))).toEqual([]);
  });

  for (const c of matrix) {
    const allowed = c.allowed === 'all' ? [...roles] : c.allowed;
    const forbidden = roles.filter((r) => !allowed.includes(r));

    it(`${c.method} ${c.doc}: allowed for ${allowed.join(', ')}`, async () => {
      for (const role of allowed) {
        const { path, body, csv } = await c.request(role);
        const r = await call(c.method, path, tokens[role], body, csv);
        expect(r.status, `${role}: ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(200);
        expect(r.status, `${role}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      }
    });

    if (forbidden.length) {
      it(`${c.method} ${c.doc}: 403 for ${forbidden.join(', ')}, and nothing changes`, async () => {
        const requests = [];
        for (const role of forbidden) requests.push({ role, ...(await c.request(role)) });
        const before = await logRows();
        for (const { role, path, body, csv } of requests) {
          const r = await call(c.method, path, tokens[role], body, csv);
          expectError(r, 403, 'forbidden', null);
          expect(r.body.error.message).toContain(`'${role}'`);
          if (c.method === 'PUT' && c.doc !== '/escalation/{reason}') expectError(await t.api('GET', `/api/v1${path}`), 404, 'not_found');
        }
        expect(await logRows()).toBe(before);
      });
    }
  }

  it('qc may acknowledge and resolve quality alerts only: 403 for another reason, and the alert stays as it was', async () => {
    for (const action of ['acknowledge', 'resolve'] as const) {
      const id = await raisedAndon(undefined, 'breakdown');
      const r = await t.api('POST', `/api/v1/andon/${id}/${action}`, {}, { token: tokens.qc });
      expectError(r, 403, 'forbidden', null);
      expect(errorOf(r).message).toContain('quality');
      expect((await t.api('GET', `/api/v1/andon/${id}`)).body.state).toBe('raised');
    }
  });

  it('a forbidden order create leaves no order behind', async () => {
    const code = unique('RO');
    const body = { code, product: 'P1', quantity: 1, dueAt: new Date(Date.now() + 86_400_000).toISOString() };
    for (const role of ['lead', 'worker', 'display'] as const) {
      expectError(await t.api('POST', '/api/v1/orders', body, { token: tokens[role] }), 403, 'forbidden');
    }
    expectError(await t.api('GET', `/api/v1/orders/${code}`), 404, 'not_found');
  });

  it('the role check comes before body validation', async () => {
    expectError(await t.api('POST', '/api/v1/orders', { nonsense: true }, { token: tokens.display }), 403, 'forbidden');
    expectError(await t.api('POST', '/api/v1/orders', { nonsense: true }, { token: tokens.sales }), 400, 'validation_failed');
  });
});

describe('authentication', () => {
  const probes: [string, string][] = [
    ['GET', '/api/v1/orders'],
    ['POST', '/api/v1/events'],
    ['PUT', '/api/v1/calendars/X'],
    ['GET', '/api/v1/stream'],
    ['GET', '/api/v1/auth/me'],
    ['POST', '/api/v1/auth/tokens'],
    ['POST', '/api/v1/auth/logout'],
  ];

  it.each(probes)('%s %s: 401 without a token', async (method, path) => {
    expectError(await t.api(method, path, method === 'GET' ? undefined : {}, { token: null }), 401, 'unauthorized', null);
  });

  it.each(probes)('%s %s: 401 with a bad token', async (method, path) => {
    expectError(await t.api(method, path, method === 'GET' ? undefined : {}, { token: 'takt_not-a-real-token' }), 401, 'unauthorized', null);
  });

  it.each([
    ['Basic dXNlcjpwYXNz'],
    ['Bearer'],
    ['Bearer two parts'],
    ['Token abc'],
    ['bearer'],
  ])('401 for a malformed Authorization header %j, even with a valid token elsewhere', async (header) => {
    const r = await t.api('GET', `/api/v1/orders?access_token=${t.adminToken}`, undefined, { token: null, headers: { authorization: header } });
    expectError(r, 401, 'unauthorized', null);
  });

  it('the Bearer scheme is case-insensitive', async () => {
    expect((await t.api('GET', '/api/v1/orders', undefined, { token: null, headers: { authorization: `bearer ${t.adminToken}` } })).status).toBe(200);
  });

  it('?access_token= works for GET but not for POST', async () => {
    const got = await t.api('GET', `/api/v1/orders?access_token=${tokens.display}`, undefined, { token: null });
    expect(got.status).toBe(200);
    expect(got.body.map((o: { code: string }) => o.code)).toContain('R-BASE');
    const posted = await t.api('POST', `/api/v1/events?access_token=${tokens.worker}`, { id: randomUUID(), type: 'operation.progress', order: 'R-BASE', seq: 1, quantityGood: 1 }, { token: null });
    expectError(posted, 401, 'unauthorized');
    const order = await t.api('POST', `/api/v1/orders?access_token=${t.adminToken}`, { code: 'AT-1', product: 'P1', quantity: 1, dueAt: new Date(Date.now() + 86_400_000).toISOString() }, { token: null });
    expectError(order, 401, 'unauthorized');
    expectError(await t.api('GET', '/api/v1/orders/AT-1'), 404, 'not_found');
  });

  it('/auth/me describes an API token', async () => {
    const me = await t.api('GET', '/api/v1/auth/me', undefined, { token: tokens.lead });
    expect(me.status).toBe(200);
    // Plants the role matrix created (PUT /plants) are listed too: the token reaches every plant.
    expect(me.body).toMatchObject({ name: 'lead token', role: 'lead', kind: 'token' });
    expect(me.body.plants).toContain('TEST');
  });

  it('POST /auth/tokens validates its body', async () => {
    expectError(await t.api('POST', '/api/v1/auth/tokens', { name: 'x', role: 'king' }), 400, 'validation_failed', 'role');
    expectError(await t.api('POST', '/api/v1/auth/tokens', { role: 'lead' }), 400, 'validation_failed', 'name');
    expectError(await t.api('POST', '/api/v1/auth/tokens', { name: 'x', role: 'lead', plants: ['TEST', 'NOPE'] }), 400, 'validation_failed', 'plants.1');
  });
});

describe('users and sessions', () => {
  let userId: number;

  beforeAll(async () => {
    const hash = await hashPassword('correct horse');
    const [user] = await t.sql<{ id: number }[]>`
      insert into app_user (username, display_name, role, password_hash)
      values ('liwei', 'Li Wei', 'planner', ${hash}) returning id`;
    userId = user!.id;
    await t.sql`insert into user_plant (user_id, plant_id) values (${userId}, ${t.plantId})`;
    const [off] = await t.sql<{ id: number }[]>`
      insert into app_user (username, display_name, role, password_hash, disabled_at)
      values ('gone', 'Gone', 'planner', ${hash}, now()) returning id`;
    await t.sql`insert into user_plant (user_id, plant_id) values (${off!.id}, ${t.plantId})`;
  });

  async function login(username: string, password: string) {
    const r = await t.api('POST', '/api/v1/auth/login', { username, password }, { token: null });
    const setCookie = r.headers.getSetCookie();
    const cookie = setCookie.find((c) => c.startsWith('takt_session='));
    return { ...r, setCookie: cookie, cookie: cookie?.split(';')[0] };
  }

  it('login sets an HttpOnly session cookie that works for /auth/me and /orders', async () => {
    const session = await login('liwei', 'correct horse');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ name: 'liwei', displayName: 'Li Wei', role: 'planner', token: expect.any(String) });
    expect(session.setCookie).toMatch(/HttpOnly/i);
    expect(session.setCookie).toMatch(/SameSite=Lax/i);
    expect(session.setCookie).toMatch(/Path=\//);
    expect(session.cookie).toBe(`takt_session=${session.body.token}`);

    const me = await t.api('GET', '/api/v1/auth/me', undefined, { token: null, headers: { cookie: session.cookie! } });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ name: 'liwei', role: 'planner', kind: 'user', plants: ['TEST'] });
    const orders = await t.api('GET', '/api/v1/orders', undefined, { token: null, headers: { cookie: session.cookie! } });
    expect(orders.status).toBe(200);
    expect(orders.body.map((o: { code: string }) => o.code)).toContain('R-BASE');
    // The session carries the user's role: a planner may create orders but not report floor events.
    const created = await t.api('POST', '/api/v1/orders', { code: 'SESS-1', product: 'P1', quantity: 1, dueAt: new Date(Date.now() + 86_400_000).toISOString() }, { token: null, headers: { cookie: session.cookie! } });
    expect(created.status).toBe(201);
    const event = await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.started', order: 'SESS-1', seq: 1 }, { token: null, headers: { cookie: session.cookie! } });
    expectError(event, 403, 'forbidden');
    const [row] = await t.sql<{ actor: string }[]>`select actor from event_log where type = 'order.created' and subject = 'SESS-1'`;
    expect(row!.actor).toBe('liwei');
  });

  it('the returned token also works as a Bearer token', async () => {
    const session = await login('liwei', 'correct horse');
    expect((await t.api('GET', '/api/v1/auth/me', undefined, { token: session.body.token })).body.kind).toBe('user');
  });

  it('wrong password, unknown user and a disabled user are all 401 with the same message', async () => {
    const wrong = await login('liwei', 'wrong horse');
    expectError(wrong, 401, 'unauthorized', null);
    expect(wrong.setCookie).toBeUndefined();
    const unknown = await login('nobody', 'correct horse');
    expectError(unknown, 401, 'unauthorized', null);
    const disabled = await login('gone', 'correct horse');
    expectError(disabled, 401, 'unauthorized', null);
    expect(errorOf(unknown).message).toBe(errorOf(wrong).message);
    expect(errorOf(disabled).message).toBe(errorOf(wrong).message);
  });

  it('400 naming the field for a login body without a password', async () => {
    expectError(await t.api('POST', '/api/v1/auth/login', { username: 'liwei' }, { token: null }), 400, 'validation_failed', 'password');
  });

  it('logout revokes the session at once, for cookie and bearer use alike', async () => {
    const session = await login('liwei', 'correct horse');
    const cookie = { token: null, headers: { cookie: session.cookie! } };
    // Use it first, so any lookup cache holds it.
    expect((await t.api('GET', '/api/v1/auth/me', undefined, cookie)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/orders', undefined, cookie)).status).toBe(200);
    expect((await t.api('GET', '/api/v1/orders', undefined, { token: session.body.token })).status).toBe(200);

    const out = await t.api('POST', '/api/v1/auth/logout', undefined, cookie);
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ ok: true });
    expect(out.headers.getSetCookie().find((c) => c.startsWith('takt_session='))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);

    expectError(await t.api('GET', '/api/v1/auth/me', undefined, cookie), 401, 'unauthorized');
    expectError(await t.api('GET', '/api/v1/orders', undefined, cookie), 401, 'unauthorized');
    expectError(await t.api('GET', '/api/v1/orders', undefined, { token: session.body.token }), 401, 'unauthorized');
    const [row] = await t.sql<{ revoked: boolean }[]>`select revoked_at is not null as revoked from api_token where user_id = ${userId} order by id desc limit 1`;
    expect(row!.revoked).toBe(true);
  });

  it('logout with an API token does not revoke the API token', async () => {
    const r = await t.api('POST', '/api/v1/auth/logout', undefined, { token: tokens.display });
    expect(r.status).toBe(200);
    // The role matrix has added plants by now and this token reaches them all: name the one to read.
    expect((await t.api('GET', '/api/v1/orders?plant=TEST', undefined, { token: tokens.display })).status).toBe(200);
  });

  it('a user granted no plant can sign in but reaches no plant data', async () => {
    const hash = await hashPassword('pw');
    await t.sql`insert into app_user (username, display_name, role, password_hash) values ('noplant', 'No Plant', 'sales', ${hash})`;
    const session = await login('noplant', 'pw');
    expect(session.status).toBe(200);
    const me = await t.api('GET', '/api/v1/auth/me', undefined, { token: session.body.token });
    expect(me.body.plants).toEqual([]);
    // Named or not, no plant is reachable: not granted, or (named) not found for this user.
    expectError(await t.api('GET', '/api/v1/orders', undefined, { token: session.body.token, headers: { 'x-takt-plant': '' } }), 403, 'forbidden');
    expectError(await t.api('GET', '/api/v1/orders', undefined, { token: session.body.token }), 404, 'not_found', 'plant');
  });
});
