import { describe, expect, it } from 'vitest';
import { createApi } from '../../server/app.ts';
import { errorCodes } from '../../server/contract/errors.ts';
import type { Db } from '../../server/db/connect.ts';
import { endpoints } from '../../server/openapi/document.ts';
import type { QuotePlanner } from '../../server/quotes/service.ts';
import type { PlanPreviewer } from '../../server/plan/preview.ts';
import type { StreamHub } from '../../server/stream/hub.ts';
import { seedSmallFactory } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

let doc: any;

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    const r = await api('GET', '/api/v1/openapi.json', undefined, { token: null });
    expect(r.status).toBe(200);
    doc = r.body;
  },
});

/** The routes the app really serves, read from the Hono router (no database needed to build it). */
function servedRoutes(): string[] {
  const app = createApi({ db: {} as Db, hub: {} as StreamHub, probe: { workerAlive: () => null }, previewer: {} as PlanPreviewer, quotes: {} as QuotePlanner, frozenMinutes: 0 });
  const served = new Set<string>();
  for (const route of app.routes) {
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) continue; // middleware and catch-alls
    const path = route.path.replace(/^\/api\/v1/, '').replace(/\/$/, '').replace(/:(\w+)/g, '{$1}');
    served.add(`${route.method.toLowerCase()} ${path || '/'}`);
  }
  return [...served].sort();
}

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document, public, with bearer and cookie security', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.cookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'takt_session' });
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual([...errorCodes]);
  });

  it('documents exactly the routes the app serves', () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
      .sort();
    const served = servedRoutes().filter((r) => r !== 'get /openapi.json');
    expect(documented).toEqual(served);
    expect(documented).toEqual(endpoints.map((e) => `${e.method} ${e.path}`).sort());
  });

  it('every operation states its roles, a summary, responses and its parameters', () => {
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        expect(op.summary, where).toEqual(expect.any(String));
        expect(op.description, where).toMatch(/^Roles: .+\.$/);
        const roles = op['x-roles'];
        if (Array.isArray(roles)) {
          expect(roles, where).toContain('admin');
          expect(op.description, where).toBe(`Roles: ${roles.join(', ')}.`);
        } else {
          expect(['public', 'any'], where).toContain(roles);
        }
        if (roles === 'public') expect(op.security, where).toEqual([]);
        else expect(op.security, where).toBeUndefined();
        expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
          if (Number(status) >= 400) expect(response.content['application/json'].schema, `${where} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
        }
        const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const name of pathParams) {
          expect(op.parameters, where).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
        }
      }
    }
  });

  it('mutating operations carry a JSON schema of their body', () => {
    // Logout, undo and unpin act on who asks and the path: they take no body.
    for (const e of endpoints.filter((x) => x.method !== 'get' && x.method !== 'delete' && !['/auth/logout', '/pins/undo'].includes(x.path))) {
      const op = doc.paths[e.path][e.method];
      // Imports take a spreadsheet: a multipart field `file`, or the raw CSV / XLSX body.
      if (e.upload) {
        expect(Object.keys(op.requestBody.content), `${e.method} ${e.path}`).toEqual(['multipart/form-data', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
        expect(op.requestBody.content['multipart/form-data'].schema.required, `${e.method} ${e.path}`).toEqual(['file']);
        continue;
      }
      const schema = op.requestBody?.content?.['application/json']?.schema;
      expect(schema, `${e.method} ${e.path}`).toMatchObject({ type: 'object', properties: expect.any(Object) });
    }
    const order = doc.paths['/orders'].post.requestBody.content['application/json'].schema;
    expect(order.required).toEqual(expect.arrayContaining(['code', 'product', 'quantity']));
    // dueAt may come from a quote instead (then it is optional), so both are documented.
    expect(Object.keys(order.properties)).toEqual(expect.arrayContaining(['dueAt', 'quote']));
  });

  it('every documented endpoint answers, none with the unknown-route 404', async () => {
    for (const e of endpoints) {
      const path = e.path.replace('{code}', 'NOPE-CODE').replace('{id}', 'nope-andon-id').replace('{reason}', 'breakdown');
      const method = e.method.toUpperCase();
      let status: number;
      let body: any;
      if (e.path === '/stream') {
        const controller = new AbortController();
        const response = await fetch(`${t.url}/api/v1${path}`, { headers: { authorization: `Bearer ${t.adminToken}` }, signal: controller.signal });
        status = response.status;
        controller.abort();
      } else {
        // A body that fails validation: enough to reach the handler without changing anything.
        ({ status, body } = await t.api(method, `/api/v1${path}`, method === 'GET' ? undefined : {}));
      }
      const where = `${method} ${path}: ${status} ${JSON.stringify(body)}`;
      expect(status, where).not.toBe(405);
      expect(status, where).toBeLessThan(500);
      expect(String(body?.error?.message ?? ''), where).not.toMatch(/^no endpoint/);
    }
  });
});
