import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { startTestSystem, useTestSystem } from '../support/system.ts';

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    await createOrder(api, 'D-1', { quantity: 10 });
  },
});

it('a request the database does not answer in time gets 503 database_unavailable, and its retry is counted once', async () => {
  const quick = await startTestSystem({ join: t, role: 'server', config: { requestTimeoutMs: 800 } });
  // A transaction elsewhere that holds the operations locked: every floor event waits behind it.
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  let locked = () => {};
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = t.sql.begin(async (tx) => {
    await tx`lock table operation in access exclusive mode`;
    locked();
    await released;
  });
  try {
    await isLocked;
    const event = { id: randomUUID(), type: 'operation.progress', order: 'D-1', seq: 1, quantityGood: 1 };
    const started = performance.now();
    const answer = await quick.api('POST', '/api/v1/events', event);
    expect(performance.now() - started).toBeLessThan(3000);
    expectError(answer, 503, 'database_unavailable', null);

    release();
    await holder;
    // The abandoned request may still land once the lock is gone; the retry and it count once together.
    const retry = await quick.api('POST', '/api/v1/events', event);
    expect([200, 201]).toContain(retry.status); // 200: the abandoned one landed first, this is its duplicate
    expect(retry.body.operation.quantityGood).toBe(1);
    const { n } = (await t.sql<{ n: number }[]>`select count(*)::int as n from event_log where client_id = ${event.id}`)[0]!;
    expect(n).toBe(1);
  } finally {
    release();
    await holder.catch(() => {});
    await quick.stop();
  }
});
