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
  // The plan may also cover the master-data changes just before: the order is among its causes.
  expect(message.data.causes).toContain('SPLIT-1');
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
