import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.ts';
import { randomUUID } from 'node:crypto';
import { createOrder, operationOf, seedSmallFactory, settledSchedule, waitForEta, waitForSchedule } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

describe('GET /schedule with a window (the Gantt viewport)', () => {
  it('keeps exactly the operations overlapping [from, to), those crossing an edge included', async () => {
    for (let i = 1; i <= 4; i++) await createOrder(t.api, `WIN-${i}`, { quantity: 60 });
    await waitForEta(t.api, 'WIN-4');
    const all = (await t.api('GET', '/api/v1/schedule')).body.operations;
    expect(all.length).toBeGreaterThanOrEqual(8);
    const starts = all.map((o) => Date.parse(o.start)).sort((a, b) => a - b);
    // A window in the middle of the plan, with edges inside operations.
    const from = starts[2]! + 60_000;
    const to = starts[5]! + 60_000;
    const window = await t.api('GET', `/api/v1/schedule?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
    expect(window.status).toBe(200);
    const expected = all.filter((o) => Date.parse(o.end) > from && Date.parse(o.start) < to).map((o) => `${o.order}/${o.seq}`);
    expect(window.body.operations.map((o) => `${o.order}/${o.seq}`).sort()).toEqual(expected.sort());
    expect(expected.length).toBeLessThan(all.length);
  });

  it('names the field when the window is invalid', async () => {
    expectError(await t.api('GET', '/api/v1/schedule?from=yesterday'), 400, 'validation_failed', 'from');
    const at = new Date().toISOString();
    expectError(await t.api('GET', `/api/v1/schedule?from=${at}&to=${at}`), 400, 'validation_failed', 'to');
  });

  it('carries setup, status, pinned, frozen and late per operation, and what completed', async () => {
    await createOrder(t.api, 'WIN-FLAGS', { quantity: 10, dueInHours: 0.2 });
    await waitForEta(t.api, 'WIN-FLAGS');
    const base = await settledSchedule(t.api);
    const cut = operationOf(base, 'WIN-FLAGS', 1);
    expect(cut).toMatchObject({ status: 'pending', pinned: false, setupMinutes: expect.any(Number) });
    // 45 minutes of cutting and welding cannot finish within the 12 minutes it has: late, unlike an order due in two days.
    expect(cut.late).toBe(true);
    expect(operationOf(base, 'WIN-1', 1).late).toBe(false);

    const started = await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.started', order: 'WIN-FLAGS', seq: 1, machine: 1 });
    expect(started.status).toBe(201);
    // Status is the floor's, at once; the re-plan that follows keeps running work in place (frozen, no setup left).
    expect(operationOf((await t.api('GET', '/api/v1/schedule')).body, 'WIN-FLAGS', 1).status).toBe('running');
    const running = await waitForSchedule(t.api, (s) => operationOf(s, 'WIN-FLAGS', 1).frozen);
    expect(operationOf(running, 'WIN-FLAGS', 1)).toMatchObject({ status: 'running', frozen: true, setupMinutes: 0 });

    const weld = operationOf(running, 'WIN-FLAGS', 2);
    const machine = weld.machine === 1 ? 2 : 1;
    const pinned = await t.api('POST', '/api/v1/pins', { order: 'WIN-FLAGS', seq: 2, machine, mode: 'queue', baseVersion: (await settledSchedule(t.api)).version });
    expect(pinned.status, JSON.stringify(pinned.body)).toBe(201);
    const after = await waitForSchedule(t.api, (s) => operationOf(s, 'WIN-FLAGS', 2).pinned);
    expect(operationOf(after, 'WIN-FLAGS', 2)).toMatchObject({ machine, pinned: true, frozen: false, status: 'pending', setupMinutes: 5 });
    expect(operationOf(after, 'WIN-FLAGS', 1).pinned).toBe(false);

    const completed = await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.completed', order: 'WIN-FLAGS', seq: 1, machine: 1, quantityGood: 10 });
    expect(completed.status).toBe(201);
    // Completed work leaves the plan with the next re-plan and shows as what really ran.
    const done = await waitForSchedule(t.api, (s) => !s.operations.some((o) => o.order === 'WIN-FLAGS' && o.seq === 1));
    expect(done.completed.find((c) => c.order === 'WIN-FLAGS' && c.seq === 1)).toMatchObject({ workCenter: 'CUT', machine: 1, start: expect.any(String), end: expect.any(String) });
  });
});
