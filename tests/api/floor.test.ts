import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { expect, it } from 'vitest';
import { createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { errorOf } from '../support/http.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

it('GET /floor gives each work center its running job, the next planned ones and open alerts', async () => {
  await createOrder(t.api, 'FL-1', { quantity: 10, dueInHours: 10 });
  await createOrder(t.api, 'FL-2', { quantity: 10, dueInHours: 20 });
  await waitForEta(t.api, 'FL-2');
  await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.progress', order: 'FL-1', seq: 1, quantityGood: 4, quantityScrap: 1 });
  const andon = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'WELD', reason: 'quality', note: 'porosity' });
  const floor = await t.api('GET', '/api/v1/floor');
  expect(floor.status).toBe(200);
  const cut = floor.body.find((w: { code: string }) => w.code === 'CUT')!;
  const weld = floor.body.find((w: { code: string }) => w.code === 'WELD')!;
  expect(cut.active).toEqual([
    expect.objectContaining({ order: 'FL-1', seq: 1, status: 'running', quantityGood: 4, quantityScrap: 1, quantity: 10, operations: 2 }),
  ]);
  expect(cut.next.map((n: { order: string }) => n.order)).toContain('FL-2');
  expect(weld.openAndon).toEqual([expect.objectContaining({ id: andon.body.id, reason: 'quality', state: 'raised' })]);
  const one = await t.api('GET', '/api/v1/floor?workCenter=WELD&next=1');
  expect(one.body).toHaveLength(1);
  expect(one.body[0]!.next.length).toBeLessThanOrEqual(1);
  const bad = await t.api('GET', '/api/v1/floor?next=99');
  expect(bad.status).toBe(400);
  expect(errorOf(bad).field).toBe('next');
});

it('GET /plants lists only the plants the token is granted, with name and time zone', async () => {
  const sql = postgres(t.databaseUrl, { max: 1, onnotice: () => {} });
  await t.sql`insert into plant (code, name, time_zone) values ('OTHER', 'Other plant', 'Asia/Shanghai')`;
  await sql.end();
  const all = await t.api('GET', '/api/v1/plants');
  expect(all.body.map((p: { code: string }) => p.code)).toEqual(['TEST', 'OTHER']);
  const token = await t.api('POST', '/api/v1/auth/tokens', { name: 'tv', role: 'display', plants: ['OTHER'] });
  const mine = await t.api('GET', '/api/v1/plants', undefined, { token: token.body.token });
  expect(mine.body).toEqual([{ code: 'OTHER', name: 'Other plant', timeZone: 'Asia/Shanghai' }]);
  expect((await t.api('GET', '/api/v1/plants', undefined, { token: null })).status).toBe(401);
});

it('large JSON answers are compressed, streams are not', async () => {
  const response = await fetch(`${t.url}/api/v1/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
  expect(response.headers.get('content-encoding')).toBe('gzip');
  const controller = new AbortController();
  const stream = await fetch(`${t.url}/api/v1/stream`, { headers: { authorization: `Bearer ${t.adminToken}`, 'accept-encoding': 'gzip' }, signal: controller.signal });
  expect(stream.headers.get('content-encoding')).toBeNull();
  controller.abort();
});
