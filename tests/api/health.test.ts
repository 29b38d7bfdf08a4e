import { describe, expect, it } from 'vitest';
import { createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { startTestSystem, useTestSystem } from '../support/system.ts';

const t = useTestSystem();

describe('GET /api/v1/health', () => {
  it('tells anonymous callers only ok or degraded; plant codes, versions and memory need a token', async () => {
    const anonymous = await t.api('GET', '/api/v1/health', undefined, { token: null });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
    const badToken = await t.api('GET', '/api/v1/health', undefined, { token: 'not-a-token-at-all' });
    expect(badToken.body).toEqual({ status: 'ok' });
  });

  it('reports the database and the worker ok to a token holder', async () => {
    const r = await t.api('GET', '/api/v1/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: 'ok', worker: 'ok', pendingReschedules: expect.any(Number) });
    expect(Math.abs(Date.parse(r.body.time) - Date.now())).toBeLessThan(5000);
    expect(Array.isArray(r.body.schedule)).toBe(true);
  });

  it('reports the latest schedule version once one exists', async () => {
    await seedSmallFactory(t.api);
    await createOrder(t.api, 'H-1');
    await waitForEta(t.api, 'H-1');
    const before = await t.api('GET', '/api/v1/schedule');
    expect(before.status).toBe(200);
    const health = await t.api('GET', '/api/v1/health');
    const after = await t.api('GET', '/api/v1/schedule');
    expect(health.body.schedule).toHaveLength(1);
    const [entry] = health.body.schedule;
    expect(entry!.plant).toBe('TEST');
    // A reschedule may land in between; the version reported lies between the two reads.
    expect(entry!.version).toBeGreaterThanOrEqual(before.body.version);
    expect(entry!.version).toBeLessThanOrEqual(after.body.version);
    if (entry!.version === after.body.version) expect(entry!.computedAt).toBe(after.body.computedAt);
    expect(Object.keys(health.body).sort()).toEqual(['database', 'memory', 'pendingReschedules', 'schedule', 'status', 'time', 'worker']);
    expect(health.body.memory.rssMiB).toBeGreaterThan(health.body.memory.heapUsedMiB);
  });

  it('a server without a worker says the worker runs elsewhere', async () => {
    const server = await startTestSystem({ role: 'server', join: t });
    try {
      const r = await server.api('GET', '/api/v1/health');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'ok', database: 'ok', worker: 'external' });
      expect(r.body.schedule[0]?.plant).toBe('TEST');
    } finally {
      await server.stop();
    }
  });
});
