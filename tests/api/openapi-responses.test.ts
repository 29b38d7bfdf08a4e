import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/password.ts';
import { endpoints } from '../../server/openapi/document.ts';
import { ALWAYS_OPEN, completedOrder, createOrder, seedSmallFactory, settledSchedule } from '../support/factory.ts';
import { documentViolation, type DocumentPaths } from '../support/openapi.ts';
import { useTestSystem } from '../support/system.ts';

// Real requests with valid input on a seeded plant, one or more per documented operation: each must
// answer the success status it is meant to, and its body must be exactly what the document says.

/** 2xx answers that carry no JSON body: none today (every success answers JSON or the event stream). */
const NO_BODY_SUCCESSES: string[] = [];

let paths: DocumentPaths;
let document: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };

const t = useTestSystem({
  seed: async (api, sys) => {
    await seedSmallFactory(api);
    await createOrder(api, 'OR-1', { quantity: 4 });
    const hash = await hashPassword('correct horse');
    const [user] = await sys.sql<{ id: number }[]>`insert into app_user (username, display_name, role, password_hash) values ('resp', 'Resp User', 'planner', ${hash}) returning id`;
    await sys.sql`insert into user_plant (user_id, plant_id) values (${user!.id}, ${sys.plantId})`;
    document = (await api('GET', '/api/v1/openapi.json', undefined, { token: null })).body as typeof document;
    paths = document.paths;
  },
});

interface Case {
  method: string;
  /** The path template the document lists; `url` fills it in (and may add a query). */
  template: string;
  url?: string;
  body?: unknown;
  token?: string | null;
  status: number;
  /** A file sent as the raw text/csv body (imports) instead of JSON. */
  csv?: string;
}

const checked = new Set<string>();

async function call(c: Case): Promise<any> {
  const init = { ...(c.token === undefined ? {} : { token: c.token }), ...(c.csv === undefined ? {} : { raw: c.csv, headers: { 'content-type': 'text/csv' } }) };
  const r = await t.api(c.method, `/api/v1${c.url ?? c.template}`, c.body, init);
  const where = `${c.method} ${c.url ?? c.template}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
  expect(documentViolation(paths, c.method, c.template, r.status, r.body), where).toBeNull();
  expect(r.status, where).toBe(c.status);
  checked.add(`${c.method.toLowerCase()} ${c.template}`);
  return r.body;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('every documented operation answers what the document says', () => {
  it('health, auth and plants', async () => {
    await call({ method: 'GET', template: '/health', token: null, status: 200 });
    await call({ method: 'GET', template: '/health', status: 200 });
    const login = await call({ method: 'POST', template: '/auth/login', body: { username: 'resp', password: 'correct horse' }, token: null, status: 200 });
    await call({ method: 'GET', template: '/auth/me', status: 200 });
    await call({ method: 'POST', template: '/auth/tokens', body: { name: 'tv', role: 'display' }, status: 201 });
    await call({ method: 'POST', template: '/auth/logout', token: login.token, status: 200 });
    await call({ method: 'GET', template: '/plants', status: 200 });
    await call({ method: 'PUT', template: '/plants/{code}', url: '/plants/TEST', body: { name: 'Test plant', timeZone: 'UTC' }, status: 200 });
    await call({ method: 'PUT', template: '/plants/{code}', url: '/plants/SECOND', body: { name: 'Second', timeZone: 'Asia/Shanghai' }, status: 201 });
  });

  it('master data, boards and operators', async () => {
    await call({ method: 'GET', template: '/calendars', status: 200 });
    await call({ method: 'GET', template: '/calendars/{code}', url: '/calendars/ALWAYS', status: 200 });
    await call({ method: 'PUT', template: '/calendars/{code}', url: '/calendars/ALWAYS', body: { ...ALWAYS_OPEN, exceptions: [{ from: '2030-01-01T00:00', to: '2030-01-02T00:00', working: false, note: 'New year' }] }, status: 200 });
    await call({ method: 'GET', template: '/work-centers', status: 200 });
    await call({ method: 'GET', template: '/work-centers/{code}', url: '/work-centers/CUT', status: 200 });
    await call({ method: 'PUT', template: '/work-centers/{code}', url: '/work-centers/CUT', body: { name: 'Cutting', line: 'L1', machines: 1, calendar: 'ALWAYS', wipLimit: 5 }, status: 200 });
    await call({ method: 'GET', template: '/products', status: 200 });
    await call({ method: 'GET', template: '/products/{code}', url: '/products/P1', status: 200 });
    const routing = [{ seq: 1, workCenter: 'CUT', setupMinutes: 10, runMinutesPerUnit: 1, description: 'Saw' }];
    await call({ method: 'PUT', template: '/products/{code}', url: '/products/P2', body: { name: 'Part two', family: 'F1', routing }, status: 200 });
    await call({ method: 'PUT', template: '/boards/{code}', url: '/boards/B1', body: { name: 'Line 1', lines: ['L1'], locale: 'en' }, status: 200 });
    await call({ method: 'GET', template: '/boards', status: 200 });
    await call({ method: 'GET', template: '/boards/{code}', url: '/boards/B1', status: 200 });
    await call({ method: 'PUT', template: '/playlists/{code}', url: '/playlists/PL1', body: { name: 'Hall', boards: ['B1'] }, status: 200 });
    await call({ method: 'GET', template: '/playlists', status: 200 });
    await call({ method: 'GET', template: '/playlists/{code}', url: '/playlists/PL1', status: 200 });
    await call({ method: 'PUT', template: '/operators/{code}', url: '/operators/OP1', body: { name: 'Ann', pin: '4821', lead: true }, status: 200 });
    await call({ method: 'GET', template: '/operators', status: 200 });
    await call({ method: 'GET', template: '/operators/{code}', url: '/operators/OP1', status: 200 });
    await call({ method: 'POST', template: '/operators/identify', body: { pin: '4821' }, status: 200 });
  });

  it('materials: components, BOMs, receipts, counts, arrival estimates, shortages and picking', async () => {
    await call({ method: 'PUT', template: '/components/{code}', url: '/components/STEEL-40', body: { name: 'Steel bar 40', unit: 'm', onHand: 1, reorderPoint: 5, leadTimeDays: 4 }, status: 200 });
    await call({ method: 'GET', template: '/components', status: 200 });
    await call({ method: 'GET', template: '/components', url: '/components?belowReorder=true', status: 200 });
    await call({ method: 'GET', template: '/components/{code}', url: '/components/STEEL-40', status: 200 });
    const routing = [{ seq: 1, workCenter: 'CUT', setupMinutes: 10, runMinutesPerUnit: 1 }];
    await call({ method: 'PUT', template: '/products/{code}', url: '/products/P3', body: { name: 'Part three', routing, bom: [{ component: 'STEEL-40', quantityPerUnit: 0.5, seq: 1 }] }, status: 200 });
    const receipt = { id: randomUUID(), quantity: 2.5 };
    await call({ method: 'POST', template: '/components/{code}/receipts', url: '/components/STEEL-40/receipts', body: receipt, status: 201 });
    await call({ method: 'POST', template: '/components/{code}/receipts', url: '/components/STEEL-40/receipts', body: receipt, status: 200 });
    await call({ method: 'POST', template: '/components/{code}/arrival', url: '/components/STEEL-40/arrival', body: { expectedAt: inAnHour() }, status: 200 });
    const count = { id: randomUUID(), onHand: 3 };
    await call({ method: 'POST', template: '/components/{code}/counts', url: '/components/STEEL-40/counts', body: count, status: 201 });
    await call({ method: 'POST', template: '/components/{code}/counts', url: '/components/STEEL-40/counts', body: count, status: 200 });
    await call({ method: 'POST', template: '/components/{code}/counts', url: '/components/NOPE/counts', body: { id: randomUUID(), onHand: 3 }, status: 404 });
    await call({ method: 'POST', template: '/components/{code}/counts', url: '/components/STEEL-40/counts', body: { id: randomUUID(), onHand: -3 }, status: 400 });
    await call({ method: 'GET', template: '/shortages', status: 200 });
    await call({ method: 'GET', template: '/picking', url: '/picking?hours=24', status: 200 });
    await call({ method: 'GET', template: '/notifications', url: '/notifications?audience=purchasing', status: 200 }); // with a below-reorder notice
  });

  it('orders, floor events, andon, escalation and notifications', async () => {
    await call({ method: 'POST', template: '/orders', body: { code: 'OR-2', product: 'P1', quantity: 3, dueAt: inAnHour(), releaseAt: new Date().toISOString(), customer: 'ACME' }, status: 201 });
    await call({ method: 'GET', template: '/orders', status: 200 });
    const quote = await call({ method: 'POST', template: '/quotes', body: { product: 'P1', quantity: 2, customer: 'ACME' }, status: 201 });
    await call({ method: 'GET', template: '/quotes/{id}', url: `/quotes/${quote.id}`, status: 200 });
    await call({ method: 'POST', template: '/orders', body: { code: 'OR-Q', product: 'P1', quantity: 2, quote: quote.id }, status: 201 });
    await call({ method: 'GET', template: '/orders', url: '/orders?status=all&late=false&limit=5', status: 200 });
    const event = { id: randomUUID(), type: 'operation.started', order: 'OR-1', seq: 1, machine: 1, operator: 'OP1' };
    await call({ method: 'POST', template: '/events', body: event, status: 201 });
    await call({ method: 'POST', template: '/events', body: event, status: 200 });
    await call({ method: 'POST', template: '/events', body: { id: randomUUID(), type: 'operation.progress', order: 'OR-1', seq: 1, quantityGood: 1, quantityScrap: 1, scrapReason: 'burr' }, status: 201 });
    await call({ method: 'GET', template: '/orders/{code}', url: '/orders/OR-1', status: 200 });
    await call({ method: 'PATCH', template: '/orders/{code}', url: '/orders/OR-2', body: { dueAt: inAnHour(), priority: 4 }, status: 200 });
    await call({ method: 'PATCH', template: '/orders/{code}', url: '/orders/NOPE', body: { priority: 4 }, status: 404 });
    await completedOrder(t.api, 'OR-SHIP');
    await call({ method: 'POST', template: '/orders/{code}/ship', url: '/orders/OR-SHIP/ship', body: {}, status: 200 });
    await call({ method: 'POST', template: '/orders/{code}/ship', url: '/orders/OR-2/ship', body: {}, status: 409 });
    await call({ method: 'GET', template: '/audit', url: '/audit?subject=OR-2&kind=order&limit=5', status: 200 });
    await call({ method: 'GET', template: '/audit', url: '/audit?limit=0', status: 400 });

    const held = { id: randomUUID(), workCenter: 'WELD', reason: 'material', order: 'OR-1', seq: 2, note: 'no wire' };
    await call({ method: 'POST', template: '/andon', body: held, status: 201 });
    await call({ method: 'POST', template: '/andon', body: held, status: 200 });
    await call({ method: 'POST', template: '/andon/{id}/estimate', url: `/andon/${held.id}/estimate`, body: { expectedMinutes: 30 }, status: 200 });
    await call({ method: 'GET', template: '/orders/{code}', url: '/orders/OR-1', status: 200 }); // with a held operation
    await call({ method: 'POST', template: '/andon/{id}/acknowledge', url: `/andon/${held.id}/acknowledge`, body: {}, status: 200 });
    await call({ method: 'POST', template: '/andon/{id}/resolve', url: `/andon/${held.id}/resolve`, body: { rootCause: 'late truck' }, status: 200 });
    const mistake = { id: randomUUID(), workCenter: 'CUT', reason: 'breakdown', machine: 1 };
    await call({ method: 'POST', template: '/andon', body: mistake, status: 201 });
    await call({ method: 'GET', template: '/floor', status: 200 }); // with an open alert
    await call({ method: 'POST', template: '/andon/{id}/cancel', url: `/andon/${mistake.id}/cancel`, body: { note: 'wrong button' }, status: 200 });
    await call({ method: 'GET', template: '/andon', status: 200 });
    await call({ method: 'GET', template: '/andon', url: '/andon?state=open&workCenter=CUT', status: 200 });
    await call({ method: 'GET', template: '/andon/{id}', url: `/andon/${held.id}`, status: 200 });
    await call({ method: 'GET', template: '/andon/figures', status: 200 });
    await call({ method: 'GET', template: '/quality/scrap', url: '/quality/scrap?by=product', status: 200 });
    await call({ method: 'GET', template: '/quality/scrap', url: '/quality/scrap?by=nonsense', status: 400 });

    await call({ method: 'GET', template: '/escalation', status: 200 });
    await call({ method: 'PUT', template: '/escalation/{reason}', url: '/escalation/breakdown', body: { levels: [{ level: 1, afterMinutes: 0, notify: 'lead' }, { level: 2, afterMinutes: 10, notify: 'manager' }] }, status: 200 });
    const feed = await call({ method: 'GET', template: '/notifications', status: 200 });
    expect(feed.length).toBeGreaterThan(0);
    await call({ method: 'POST', template: '/notifications/{id}/read', url: `/notifications/${feed[0].id}/read`, body: {}, status: 200 });
    await call({ method: 'GET', template: '/notifications', url: '/notifications?unread=true&limit=10', status: 200 });
  });

  it('schedule, preview, pins, floor and the stream', async () => {
    let schedule = await settledSchedule(t.api);
    await call({ method: 'GET', template: '/schedule', status: 200 });
    await call({ method: 'GET', template: '/schedule', url: '/schedule?summary=true', status: 200 });
    await call({ method: 'GET', template: '/schedule', url: `/schedule?workCenter=WELD&from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(inAnHour())}`, status: 200 });
    const from = new Date(Date.now() - 86_400_000).toISOString();
    await call({ method: 'GET', template: '/schedule/calendar', url: `/schedule/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(inAnHour())}`, status: 200 });
    await call({ method: 'GET', template: '/floor', url: '/floor?next=5', status: 200 });

    await call({ method: 'POST', template: '/schedule/preview', body: { moves: [{ order: 'OR-2', seq: 1, mode: 'queue' }] }, status: 200 });
    const pin = await call({ method: 'POST', template: '/pins', body: { order: 'OR-2', seq: 1, mode: 'queue', baseVersion: schedule.version }, status: 201 });
    schedule = await settledSchedule(t.api);
    await call({ method: 'POST', template: '/pins/batch', body: { moves: [{ order: 'OR-2', seq: 2, mode: 'queue' }], baseVersion: schedule.version }, status: 201 });
    await call({ method: 'GET', template: '/pins', status: 200 });
    await call({ method: 'POST', template: '/pins/undo', body: {}, status: 200 });
    await call({ method: 'DELETE', template: '/pins/{id}', url: `/pins/${pin.id}`, status: 200 });
    await call({ method: 'GET', template: '/pins', url: '/pins?state=all', status: 200 });

    const controller = new AbortController();
    const response = await fetch(`${t.url}/api/v1/stream?topics=andon,schedule`, { headers: { authorization: `Bearer ${t.adminToken}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(Object.keys(paths['/stream']!.get!.responses['200'] as object)).toContain('content');
    controller.abort();
    checked.add('get /stream');
  });

  it("the manager's figures and screen heartbeats", async () => {
    await call({ method: 'POST', template: '/screens/heartbeat', body: { screen: 'board/B1', kind: 'board', samples: 4, latencyP50Ms: 35, latencyP95Ms: 80, newestMessageAt: new Date().toISOString() }, status: 200 });
    await call({ method: 'POST', template: '/screens/heartbeat', body: { screen: 'station/CUT', kind: 'station', samples: 0, latencyP50Ms: null, latencyP95Ms: null, newestMessageAt: null }, status: 200 });
    // With alerts raised and resolved above, screens heard from, and today's completions (none): nulls and numbers both.
    await call({ method: 'GET', template: '/kpis', status: 200 });
    await call({ method: 'GET', template: '/kpis', url: `/kpis?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(inAnHour())}`, status: 200 });
  });

  it('channels, subscriptions and the delivery log', async () => {
    await call({ method: 'PUT', template: '/channels/{code}', url: '/channels/ERP', body: { kind: 'webhook', url: 'http://10.0.0.9/erp' }, status: 200 });
    await call({ method: 'PUT', template: '/channels/{code}', url: '/channels/MAIL', body: { kind: 'email', smtp: { host: '10.0.0.8', user: 'takt', from: 'takt@plant.cn' }, to: ['qc@plant.cn'], secret: 'smtp-pass', enabled: false }, status: 200 });
    // Its URL now resolves to loopback (refused in this system): sends fail at once, reaching nothing.
    await t.sql`update channel set url = 'http://127.0.0.1:1/erp' where code = 'ERP'`;
    await call({ method: 'GET', template: '/channels', status: 200 });
    await call({ method: 'GET', template: '/channels/{code}', url: '/channels/MAIL', status: 200 });
    await call({ method: 'POST', template: '/channels/{code}/test', url: '/channels/ERP/test', body: {}, status: 200 });
    await call({ method: 'PUT', template: '/subscriptions/{code}', url: '/subscriptions/ERP-ANDON', body: { channel: 'ERP', kinds: ['andon.raised'], filter: { lines: ['L1'], minMinutesLate: 0 } }, status: 200 });
    await call({ method: 'GET', template: '/subscriptions', status: 200 });
    await call({ method: 'GET', template: '/subscriptions/{code}', url: '/subscriptions/ERP-ANDON', status: 200 });
    expect((await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason: 'other' })).status).toBe(201);
    const deadline = Date.now() + 10_000;
    let routed: { id: string } | undefined;
    while (!routed && Date.now() < deadline) {
      routed = ((await call({ method: 'GET', template: '/deliveries', url: '/deliveries?channel=ERP', status: 200 })) as { id: string; kind: string; attempts: number }[]).find((d) => d.kind === 'andon.raised' && d.attempts > 0);
      if (!routed) await new Promise((r) => setTimeout(r, 100));
    }
    await call({ method: 'POST', template: '/deliveries/{id}/replay', url: `/deliveries/${routed!.id}/replay`, body: {}, status: 200 });
    await call({ method: 'PUT', template: '/channels/{code}', url: '/channels/ERP', body: { kind: 'webhook', url: 'http://10.0.0.9/erp', enabled: false }, status: 200 });
  });

  it('imports and their templates', async () => {
    for (const [kind, csv] of [
      ['components', 'component,name,unit,onHand,reorderPoint,leadTimeDays\nRESP-C,c,kg,5,1,2\n'],
      ['products', 'product,name,seq,workCenter,setupMinutes,runMinutesPerUnit\nRESP-P,p,1,CUT,0,1\n'],
      ['orders', 'order,product,quantity,dueAt\nRESP-O,P1,2,2030-01-31\n'],
    ] as const) {
      await call({ method: 'POST', template: `/imports/${kind}`, url: `/imports/${kind}?dryRun=true`, csv, status: 200 });
      await call({ method: 'POST', template: `/imports/${kind}`, url: `/imports/${kind}?dryRun=false`, csv, status: 200 });
      // A file with problems, imported: 400 with the report in the details, nothing written.
      await call({ method: 'POST', template: `/imports/${kind}`, url: `/imports/${kind}?dryRun=false`, csv: csv.replace(/\n[^\n]+\n$/, '\n,,,\nbad code!,x\n'), status: 400 });
      await call({ method: 'GET', template: `/imports/${kind}/template`, status: 200 });
      await call({ method: 'GET', template: `/imports/${kind}/template`, url: `/imports/${kind}/template?format=xlsx`, status: 200 });
    }
  });

  it('reached every documented operation', () => {
    expect(endpoints.map((e) => `${e.method} ${e.path}`).filter((op) => !checked.has(op))).toEqual([]);
  });
});

describe('the document', () => {
  it('describes the body of every success answer, but for the listed no-body ones', () => {
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!/^2\d\d$/.test(status) || NO_BODY_SUCCESSES.includes(`${method} ${path} ${status}`)) continue;
          const content = Object.values(response.content ?? {});
          if (content.length === 0 || content.some((c) => !c.schema)) missing.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('the stream answers text/event-stream, import templates a spreadsheet, everything else JSON', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const types = Object.keys(operation.responses['200']?.content ?? operation.responses['201']?.content ?? {});
        const expected = path === '/stream' ? ['text/event-stream'] : path.endsWith('/template') ? ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] : ['application/json'];
        expect(types, `${method} ${path}`).toEqual(expected);
      }
    }
  });
});
