import { expect, it } from 'vitest';
import type { PreviewView } from '../../server/contract/plan.ts';
import { createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

// Two API servers and a separate worker on one database, as TAKT_ROLE=server / worker deploy it.
// Declared in start order; vitest stops them in reverse.
const serverA = useTestSystem({ role: 'server' });
const serverB = useTestSystem({ role: 'server', join: serverA });
const worker = useTestSystem({ role: 'worker', join: serverA });

it('an order posted to one server is planned by the worker and streamed by the other server', async () => {
  expect(worker.system.port).toBe(0); // the worker role serves no HTTP
  await seedSmallFactory(serverA.api);
  const stream = serverB.stream('eta');
  await new Promise((r) => setTimeout(r, 100));
  await createOrder(serverA.api, 'SPLIT-1');
  const message = await stream.waitForTopic('eta', (m) => m.data.changes.some((c) => c.order === 'SPLIT-1'));
  // The plan that first has the order is the one its request asked for, or one the master data just
  // before asked for whose snapshot was read after the order was stored (a busy machine makes that
  // race likely): either way the worker planned it and the other server streamed it.
  expect(message.data.causes.length).toBeGreaterThan(0);
  expect(message.data.changes.find((c) => c.order === 'SPLIT-1')?.eta).toEqual(expect.any(String));
  const order = await waitForEta(serverB.api, 'SPLIT-1');
  expect(order.operations.every((op: { planned: unknown }) => op.planned !== null)).toBe(true);
  const health = await serverA.api('GET', '/api/v1/health');
  expect(health.body.worker).toBe('external');
  await stream.close();
});

it('a server-role process answers what-if previews itself (its own engine thread; the worker has no HTTP)', async () => {
  await waitForEta(serverA.api, 'SPLIT-1');
  const r = await serverB.api<'POST', string, PreviewView>('POST', '/api/v1/schedule/preview', { moves: [{ order: 'SPLIT-1', seq: 2, machine: 2, mode: 'queue' }] });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.feasible).toBe(true);
  expect(r.body.baseVersion).toBeGreaterThan(0);
});
