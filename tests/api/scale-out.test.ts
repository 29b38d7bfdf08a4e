import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { client } from '../support/http.ts';
import { StreamReader } from '../support/sse.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

// Two API servers and a separate worker on one database, as TAKT_ROLE=server / worker deploy it.
let serverA: TestSystem;
let serverB: TestSystem;
let worker: TestSystem;

beforeAll(async () => {
  serverA = await startTestSystem({ role: 'server' });
  serverB = await startTestSystem({ role: 'server', join: serverA });
  worker = await startTestSystem({ role: 'worker', join: serverA });
});
afterAll(async () => {
  await worker?.stop();
  await serverB?.stop();
  await serverA?.stop();
});

it('an order posted to one server is planned by the worker and streamed by the other server', async () => {
  expect(worker.system.port).toBe(0); // the worker role serves no HTTP
  const apiA = client(serverA.url, serverA.adminToken);
  const apiB = client(serverB.url, serverB.adminToken);
  await seedSmallFactory(apiA);
  const stream = new StreamReader(`${serverB.url}/api/v1/stream?topics=eta`, { authorization: `Bearer ${serverB.adminToken}` });
  await new Promise((r) => setTimeout(r, 100));
  await createOrder(apiA, 'SPLIT-1');
  const message = await stream.waitForTopic('eta', (m) => m.data.changes.some((c) => c.order === 'SPLIT-1'));
  // The plan may also cover the master-data changes just before: the order is among its causes.
  expect(message.data.causes).toContain('SPLIT-1');
  const order = await waitForEta(apiB, 'SPLIT-1');
  expect(order.operations.every((op: { planned: unknown }) => op.planned !== null)).toBe(true);
  const health = await apiA('GET', '/api/v1/health');
  expect(health.body.worker).toBe('external');
  await stream.close();
});
