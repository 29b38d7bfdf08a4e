import { randomUUID } from 'node:crypto';
import { expect, it, describe } from 'vitest';
import type { AuditEntry, AuditPage } from '../../server/contract/audit.ts';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

let planner = '';
const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    const r = await api('POST', '/api/v1/auth/tokens', { name: 'Anna (planner)', role: 'planner' });
    expect(r.status).toBe(201);
    planner = r.body.token;
  },
});

async function audit(query: string): Promise<AuditPage> {
  const r = await t.api('GET', `/api/v1/audit?${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as AuditPage;
}
const kinds = (page: AuditPage) => page.entries.map((e) => `${e.kind} ${e.subject}`);
const logRows = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from event_log`)[0]!.n;

const d0 = new Date(Date.now() + 48 * 3_600_000);
const hour = (n: number) => new Date(Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth(), d0.getUTCDate() + 1, n)).toISOString();

describe('who changed this due date', () => {
  it('answers who, when, before and after for two due-date changes by a planner', async () => {
    const created = await createOrder(t.api, 'AU-1', { priority: 1 });
    await createOrder(t.api, 'AU-10');
    const first = await t.api('PATCH', '/api/v1/orders/AU-1', { dueAt: hour(8) }, { token: planner });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.dueAt).toBe(hour(8));
    const startedAt = Date.now();
    const second = await t.api('PATCH', '/api/v1/orders/AU-1', { dueAt: '2099-01-01T17:30:00+08:00', priority: 3 }, { token: planner });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ dueAt: '2099-01-01T09:30:00.000Z', priority: 3 });
    // The same values again change nothing and log nothing.
    const rows = await logRows();
    expect((await t.api('PATCH', '/api/v1/orders/AU-1', { dueAt: '2099-01-01T09:30:00Z', priority: 3 }, { token: planner })).status).toBe(200);
    expect(await logRows()).toBe(rows);

    const page = await audit('subject=AU-1&kind=order.updated');
    expect(page.nextBefore).toBeNull();
    expect(page.entries.map(({ actor, kind, subject, changes }) => ({ actor, kind, subject, changes }))).toEqual([
      {
        actor: 'Anna (planner)',
        kind: 'order.updated',
        subject: 'AU-1',
        changes: [
          { field: 'dueAt', before: hour(8), after: '2099-01-01T09:30:00.000Z' },
          { field: 'priority', before: 1, after: 3 },
        ],
      },
      { actor: 'Anna (planner)', kind: 'order.updated', subject: 'AU-1', changes: [{ field: 'dueAt', before: created.dueAt, after: hour(8) }] },
    ]);
    const newest = page.entries[0]!;
    expect(Date.parse(newest.at)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Date.parse(newest.at)).toBeLessThanOrEqual(Date.now());
    expect(newest.payload).toEqual({ before: { dueAt: hour(8), priority: 1 }, after: { dueAt: '2099-01-01T09:30:00.000Z', priority: 3 } });
  });

  it('filters by subject (with its operations, not a longer code), user, kind family and period', async () => {
    const pressedAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const start = await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.started', order: 'AU-1', seq: 1, machine: 1, at: pressedAt });
    expect(start.status).toBe(201);

    expect(kinds(await audit('subject=AU-1'))).toEqual(['operation.started AU-1/1', 'order.updated AU-1', 'order.updated AU-1', 'order.created AU-1']);
    expect(kinds(await audit('subject=AU-10'))).toEqual(['order.created AU-10']);
    expect(kinds(await audit('kind=order'))).toEqual(['order.updated AU-1', 'order.updated AU-1', 'order.created AU-10', 'order.created AU-1']);
    expect(kinds(await audit('user=Anna%20(planner)'))).toEqual(['order.updated AU-1', 'order.updated AU-1']);
    expect(kinds(await audit('user=Anna'))).toEqual([]);
    const from = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const to = new Date(Date.now() - 3_600_000).toISOString();
    const period = await audit(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(kinds(period)).toEqual(['operation.started AU-1/1']);
    expect(period.entries[0]!.at).toBe(pressedAt);
    expect(Date.parse(period.entries[0]!.receivedAt)).toBeGreaterThan(Date.parse(pressedAt));
    expect(kinds(await audit('subject=AU-1&kind=operation&user=Anna%20(planner)'))).toEqual([]);
  });

  it('pages newest first by keyset, exactly, and an entry appended meanwhile shifts no page', async () => {
    const all = (await audit('limit=200')).entries;
    expect(all.length).toBe(await logRows());
    const seen: AuditEntry[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page = await audit(`limit=2${before ? `&before=${before}` : ''}`);
      pages += 1;
      expect(page.entries.length).toBe(page.nextBefore ? 2 : all.length - seen.length);
      seen.push(...page.entries);
      before = page.nextBefore;
      // Appended after the first page: newer than every page still to come.
      if (pages === 1) expect((await t.api('PATCH', '/api/v1/orders/AU-10', { priority: 5 }, { token: planner })).status).toBe(200);
    } while (before);
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(pages).toBe(Math.ceil(all.length / 2));
    const ids = seen.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(kinds(await audit('limit=1'))).toEqual(['order.updated AU-10']);
  });

  it('reads a kind family type by type and pages across its types exactly', async () => {
    const family = ['order.updated AU-10', 'order.updated AU-1', 'order.updated AU-1', 'order.created AU-10', 'order.created AU-1'];
    expect(kinds(await audit('kind=order'))).toEqual(family);
    expect(kinds(await audit('kind=order.created'))).toEqual(['order.created AU-10', 'order.created AU-1']);
    // A prefix that is no family finds nothing: `orde` is not `order`.
    expect(kinds(await audit('kind=orde'))).toEqual([]);
    expect(kinds(await audit('kind=machine'))).toEqual([]);
    const paged: string[] = [];
    let before: string | null = null;
    do {
      const page: AuditPage = await audit(`kind=order&limit=2${before ? `&before=${before}` : ''}`);
      paged.push(...kinds(page));
      before = page.nextBefore;
    } while (before);
    expect(paged).toEqual(family);
  });

  it('refuses bad filters naming the field', async () => {
    expectError(await t.api('GET', '/api/v1/audit?kind=Order%20Updated'), 400, 'validation_failed', 'kind');
    expectError(await t.api('GET', '/api/v1/audit?limit=0'), 400, 'validation_failed', 'limit');
    expectError(await t.api('GET', '/api/v1/audit?limit=201'), 400, 'validation_failed', 'limit');
    expectError(await t.api('GET', '/api/v1/audit?before=abc'), 400, 'validation_failed', 'before');
    expectError(await t.api('GET', '/api/v1/audit?from=yesterday'), 400, 'validation_failed', 'from');
    const at = new Date().toISOString();
    expectError(await t.api('GET', `/api/v1/audit?from=${at}&to=${at}`), 400, 'validation_failed', 'to');
  });

  it('a refused due-date change changes and logs nothing', async () => {
    const rows = await logRows();
    expectError(await t.api('PATCH', '/api/v1/orders/NOPE', { dueAt: hour(9) }, { token: planner }), 404, 'not_found');
    expectError(await t.api('PATCH', '/api/v1/orders/AU-1', { dueAt: 'tomorrow' }, { token: planner }), 400, 'validation_failed', 'dueAt');
    expectError(await t.api('PATCH', '/api/v1/orders/AU-1', { priority: 11 }, { token: planner }), 400, 'validation_failed', 'priority');
    expectError(await t.api('PATCH', '/api/v1/orders/AU-1', { releaseAt: '2099-02-01T00:00:00Z' }, { token: planner }), 400, 'validation_failed', 'releaseAt');
    expectError(await t.api('PATCH', '/api/v1/orders/AU-1', { quantity: 3 }, { token: planner }), 400, 'validation_failed', 'quantity');
    expect(await logRows()).toBe(rows);
    expect((await t.api('GET', '/api/v1/orders/AU-1')).body).toMatchObject({ dueAt: '2099-01-01T09:30:00.000Z', priority: 3, releaseAt: null });
  });
});
