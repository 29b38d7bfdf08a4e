import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PreviewView } from '../../server/contract/plan.ts';
import { expectError } from '../support/errors.ts';
import { createOrder, operationOf, seedSmallFactory, settledSampling, settledSchedule, waitForEta } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const HOUR = 3_600_000;
const t = useTestSystem({ seed: seedSmallFactory });

const preview = (moves: unknown[]) => t.api<'POST', string, PreviewView>('POST', '/api/v1/schedule/preview', { moves });
const at = (hoursFromNow: number) => new Date(Math.ceil((Date.now() + hoursFromNow * HOUR) / 60_000) * 60_000).toISOString();
const rowCounts = async () =>
  (await t.sql<{ versions: number; pins: number; log: number; messages: number; requests: number }[]>`
    select (select count(*) from schedule_version)::int as versions, (select count(*) from plan_pin)::int as pins,
           (select count(*) from event_log)::int as log, (select count(*) from stream_message)::int as messages,
           (select coalesce(sum(requested), 0) from plan_request)::int as requests`)[0]!;

describe('POST /schedule/preview', () => {
  it('shows what a move would do (moved operations, ETA, late orders) and writes nothing', async () => {
    await createOrder(t.api, 'PV-1', { quantity: 10, dueInHours: 48 });
    await createOrder(t.api, 'PV-2', { quantity: 10, dueInHours: 48 });
    await waitForEta(t.api, 'PV-2');
    const base = await settledSchedule(t.api);
    // The new orders' sampling publishes on its own: not the preview's writing.
    await settledSampling(t.sql);
    const before = await rowCounts();
    const now = operationOf(base, 'PV-1', 2);
    const machine = now.machine === 1 ? 2 : 1;
    // Exact, past the due date: PV-1 turns late.
    const start = at(60);
    const r = await preview([{ order: 'PV-1', seq: 2, machine, start, mode: 'exact' }]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ baseVersion: base.version, feasible: true, problems: [], solveMs: expect.any(Number) });
    expect(r.body.moved).toContainEqual(expect.objectContaining({ order: 'PV-1', seq: 2, workCenter: 'WELD', machine, start, previousMachine: now.machine, previousStart: now.start, previousEnd: now.end }));
    const eta = r.body.etaChanges.find((c) => c.order === 'PV-1');
    expect(eta).toMatchObject({ late: true, previousLate: false });
    expect(eta!.minutes).toBeGreaterThan(40 * 60);
    expect(r.body.lateOrders.after).toBe(r.body.lateOrders.before + 1);
    expect(await rowCounts()).toEqual(before);
    expect((await t.api('GET', '/api/v1/schedule')).body.version).toBe(base.version);
  });

  it('reports a pin the plan cannot keep as a problem (machine down at the start)', async () => {
    await createOrder(t.api, 'PV-DOWN', { quantity: 10 });
    await waitForEta(t.api, 'PV-DOWN');
    const andon = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'WELD', machine: 2, reason: 'breakdown', expectedMinutes: 20 * 60 });
    expect(andon.status).toBe(201);
    await settledSchedule(t.api);
    const r = await preview([{ order: 'PV-DOWN', seq: 2, machine: 2, start: at(10), mode: 'exact' }]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.feasible).toBe(true);
    expect(r.body.problems).toEqual([expect.objectContaining({ code: 'pin_machine_down', order: 'PV-DOWN', seq: 2, workCenter: 'WELD' })]);
    const moved = r.body.moved.find((m) => m.order === 'PV-DOWN' && m.seq === 2);
    expect(Date.parse(moved!.start)).toBeGreaterThan(Date.parse(at(10)));
    expect((await t.api('POST', `/api/v1/andon/${(andon.body as { id: string }).id}/resolve`, { rootCause: 'ok' })).status).toBe(200);
  });

  it('validates like a commit: fields named, 404 unknown, 409 running', async () => {
    await createOrder(t.api, 'PV-BAD', { quantity: 10 });
    await waitForEta(t.api, 'PV-BAD');
    expectError(await preview([{ order: 'PV-BAD', seq: 2, machine: 3, mode: 'queue' }]), 400, 'validation_failed', 'moves.0.machine');
    expectError(await preview([{ order: 'PV-BAD', seq: 2, machine: 1, mode: 'exact' }]), 400, 'validation_failed', 'moves.0.start');
    expectError(await preview([{ order: 'PV-NOPE', seq: 2, mode: 'queue' }]), 404, 'not_found', 'moves.0.order');
    expectError(await preview([]), 400, 'validation_failed', 'moves');
    expect((await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.started', order: 'PV-BAD', seq: 1, machine: 1 })).status).toBe(201);
    expectError(await preview([{ order: 'PV-BAD', seq: 1, mode: 'queue' }]), 409, 'invalid_state', 'moves.0.seq');
  });

  it('is for planners: 403 for sales, lead and display', async () => {
    for (const role of ['sales', 'lead', 'display'] as const) {
      const token = ((await t.api('POST', '/api/v1/auth/tokens', { name: `pv ${role}`, role })).body as { token: string }).token;
      expectError(await t.api('POST', '/api/v1/schedule/preview', { moves: [{ order: 'PV-1', seq: 2, mode: 'queue' }] }, { token }), 403, 'forbidden');
    }
  });
});

describe('GET /schedule/calendar', () => {
  it('shades closed time per work center with the engine calendar, and open downtime', async () => {
    const cal = { name: 'Day', timeZone: 'UTC', shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '16:00' })), exceptions: [{ from: '2026-01-07T00:00', to: '2026-01-08T00:00', working: false, note: 'holiday' }] };
    expect((await t.api('PUT', '/api/v1/calendars/DAY', cal)).status).toBe(200);
    expect((await t.api('PUT', '/api/v1/work-centers/PAINT', { name: 'Paint', line: 'L1', machines: 1, calendar: 'DAY' })).status).toBe(200);
    const r = await t.api<'GET', string, { workCenters: { code: string; closed: { from: string; to: string }[]; downtime: unknown[] }[] }>(
      'GET', '/api/v1/schedule/calendar?from=2026-01-05T00:00:00Z&to=2026-01-09T00:00:00Z');
    expect(r.status).toBe(200);
    const paint = r.body.workCenters.find((w) => w.code === 'PAINT')!;
    // Mon 5 .. Thu 8: nights closed, Wednesday 7 a holiday.
    expect(paint.closed).toEqual([
      { from: '2026-01-05T00:00:00.000Z', to: '2026-01-05T08:00:00.000Z' },
      { from: '2026-01-05T16:00:00.000Z', to: '2026-01-06T08:00:00.000Z' },
      { from: '2026-01-06T16:00:00.000Z', to: '2026-01-08T08:00:00.000Z' },
      { from: '2026-01-08T16:00:00.000Z', to: '2026-01-09T00:00:00.000Z' },
    ]);
    expect(r.body.workCenters.find((w) => w.code === 'CUT')!.closed).toEqual([]);

    const id = randomUUID();
    expect((await t.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', machine: 1, reason: 'breakdown', expectedMinutes: 90 })).status).toBe(201);
    const live = await t.api<'GET', string, { workCenters: { code: string; downtime: { andonId: string; reason: string; machine: number | null; to: string }[] }[] }>(
      'GET', `/api/v1/schedule/calendar?from=${at(-1)}&to=${at(24)}`);
    expect(live.body.workCenters.find((w) => w.code === 'CUT')!.downtime).toEqual([expect.objectContaining({ andonId: id, reason: 'breakdown', machine: 1 })]);
    expect((await t.api('POST', `/api/v1/andon/${id}/resolve`, { rootCause: 'ok' })).status).toBe(200);
  });

  it('400 naming from/to on a bad or too long window', async () => {
    expectError(await t.api('GET', '/api/v1/schedule/calendar?to=2026-01-09T00:00:00Z'), 400, 'validation_failed', 'from');
    expectError(await t.api('GET', '/api/v1/schedule/calendar?from=2026-01-09T00:00:00Z&to=2026-01-05T00:00:00Z'), 400, 'validation_failed', 'to');
    expectError(await t.api('GET', '/api/v1/schedule/calendar?from=2026-01-01T00:00:00Z&to=2026-04-01T00:00:00Z'), 400, 'validation_failed', 'to');
  });
});
