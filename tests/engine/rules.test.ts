import { describe, expect, it } from 'vitest';
import { schedule } from '../../scheduler/engine/index.ts';
import { at, H, MONDAY, op, opOf, options, order, planOf, snapshot, times, wc } from './fixtures.ts';

const now = MONDAY + 7 * H; // Monday 07:00, before the 08:00 shift

describe('construction honours each rule', () => {
  it('starts at the next shift and pauses over the night', () => {
    const plan = planOf(schedule(snapshot({ orders: [order('O1', [op(1, 'A', 600)])] }), null, now, options()));
    expect(times(opOf(plan, 'O1', 1))).toEqual(['2026-01-05T08:00:00.000Z', '2026-01-06T10:00:00.000Z']);
    expect(plan.orders[0]!.eta).toBe(at('2026-01-06T10:00:00Z'));
  });

  it('pauses over the weekend', () => {
    const plan = planOf(schedule(snapshot({ orders: [order('O1', [op(1, 'A', 60)])] }), null, at('2026-01-09T15:30:00Z'), options()));
    expect(times(opOf(plan, 'O1', 1))).toEqual(['2026-01-09T15:30:00.000Z', '2026-01-12T08:30:00.000Z']);
  });

  it('uses k identical machines in parallel', () => {
    const orders = ['O1', 'O2', 'O3'].map((c) => order(c, [op(1, 'A', 60)]));
    const plan = planOf(schedule(snapshot({ workCenters: [wc('A', 2)], orders }), null, now, options()));
    const ops = plan.operations.map((o) => [o.order, o.machine, new Date(o.start).toISOString().slice(11, 16)]);
    expect(ops).toEqual([['O1', 1, '08:00'], ['O2', 2, '08:00'], ['O3', 1, '09:00']]);
  });

  it('keeps routing precedence with minimum transfer time (wall time)', () => {
    const orders = [order('O1', [op(1, 'A', 60), op(2, 'B', 30, { minTransferMinutes: 45 })])];
    const plan = planOf(schedule(snapshot({ workCenters: [wc('A'), wc('B', 1, 'all')], orders }), null, now, options()));
    expect(times(opOf(plan, 'O1', 2))).toEqual(['2026-01-05T09:45:00.000Z', '2026-01-05T10:15:00.000Z']);
  });

  it('subtracts work-center and machine downtime', () => {
    const orders = [order('O1', [op(1, 'A', 120)]), order('O2', [op(1, 'A', 60)])];
    const downtimes = [
      { id: 'andon-1', workCenter: 'A', from: MONDAY + 9 * H, to: MONDAY + 10 * H, reason: 'breakdown' as const },
      { id: 'pm-2', workCenter: 'A', machine: 2, from: MONDAY, to: MONDAY + 12 * H, reason: 'maintenance' as const },
    ];
    const plan = planOf(schedule(snapshot({ workCenters: [wc('A', 2)], downtimes, orders }), null, now, options()));
    // O1 on machine 1: 08-09, breakdown 09-10, 10-11. O2 must wait for machine 1 (machine 2 is down till 12).
    expect(times(opOf(plan, 'O1', 1))).toEqual(['2026-01-05T08:00:00.000Z', '2026-01-05T11:00:00.000Z']);
    expect(opOf(plan, 'O2', 1).machine).toBe(1);
    expect(times(opOf(plan, 'O2', 1))).toEqual(['2026-01-05T11:00:00.000Z', '2026-01-05T12:00:00.000Z']);
  });

  it('uses the setup matrix by family, falling back to the routing setup', () => {
    const workCenters = [wc('A', 1, 'all', { setupMatrix: [{ from: 'red', to: 'blue', minutes: 30 }, { from: 'red', to: 'red', minutes: 0 }] })];
    const orders = [
      order('R1', [op(1, 'A', 60, { setupMinutes: 10 })], { family: 'red', dueAt: now + 2 * H }),
      order('R2', [op(1, 'A', 60, { setupMinutes: 10 })], { family: 'red', dueAt: now + 3 * H }),
      order('B1', [op(1, 'A', 60, { setupMinutes: 10 })], { family: 'blue', dueAt: now + 4 * H }),
    ];
    const plan = planOf(schedule(snapshot({ workCenters, orders }), null, now, options()));
    expect([opOf(plan, 'R1', 1).setupMinutes, opOf(plan, 'R2', 1).setupMinutes, opOf(plan, 'B1', 1).setupMinutes]).toEqual([10, 0, 30]);
    expect(times(opOf(plan, 'R1', 1))).toEqual(['2026-01-05T07:00:00.000Z', '2026-01-05T08:10:00.000Z']);
    expect(times(opOf(plan, 'R2', 1))).toEqual(['2026-01-05T08:10:00.000Z', '2026-01-05T09:10:00.000Z']);
    expect(times(opOf(plan, 'B1', 1))).toEqual(['2026-01-05T09:10:00.000Z', '2026-01-05T10:40:00.000Z']);
  });

  it('waits for releaseAt and never starts before now', () => {
    const orders = [order('O1', [op(1, 'A', 60)], { releaseAt: MONDAY + 10 * H }), order('O2', [op(1, 'B', 60)], { releaseAt: MONDAY })];
    const plan = planOf(schedule(snapshot({ workCenters: [wc('A'), wc('B', 1, 'all')], orders }), null, now, options()));
    expect(times(opOf(plan, 'O1', 1))).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z']);
    expect(times(opOf(plan, 'O2', 1))).toEqual(['2026-01-05T07:00:00.000Z', '2026-01-05T08:00:00.000Z']);
  });

  it('keeps a running operation on its machine from now with its remaining work and no setup', () => {
    const running = { machine: 2, startedAt: MONDAY + 8 * H, remainingMinutes: 90 };
    const t = MONDAY + 9 * H;
    const orders = [
      order('O1', [op(1, 'A', 600, { status: 'running', running, setupMinutes: 20 }), op(2, 'A', 30)]),
      order('O2', [op(1, 'A', 60, { status: 'running', running: { machine: 1, startedAt: MONDAY + 8 * H } })]),
    ];
    const plan = planOf(schedule(snapshot({ workCenters: [wc('A', 2)], orders }), null, t, options()));
    expect(opOf(plan, 'O1', 1)).toMatchObject({ machine: 2, start: t, end: t + 90 * 60_000, setupMinutes: 0, frozen: true });
    expect(times(opOf(plan, 'O2', 1))).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-05T10:00:00.000Z']);
    expect(times(opOf(plan, 'O1', 2))).toEqual(['2026-01-05T10:30:00.000Z', '2026-01-05T11:00:00.000Z']);
  });

  it('does not start a held operation before hold.until', () => {
    const orders = [order('O1', [op(1, 'A', 60, { status: 'held', hold: { until: MONDAY + 13 * H, reason: 'material' } })])];
    const plan = planOf(schedule(snapshot({ orders }), null, now, options()));
    expect(times(opOf(plan, 'O1', 1))).toEqual(['2026-01-05T13:00:00.000Z', '2026-01-05T14:00:00.000Z']);
  });

  it('places pins exactly (machine, start, both) and others around them', () => {
    const orders = [
      order('P1', [op(1, 'A', 60, { pin: { machine: 2, start: MONDAY + 8 * H } })], { dueAt: MONDAY + 100 * H }),
      order('P2', [op(1, 'A', 60, { pin: { machine: 2 } })], { dueAt: MONDAY + 100 * H }),
      order('P3', [op(1, 'A', 60, { pin: { start: MONDAY + 8.5 * H } })], { dueAt: MONDAY + 100 * H }),
      order('F1', [op(1, 'A', 60)], { dueAt: MONDAY + 9 * H }),
    ];
    const plan = planOf(schedule(snapshot({ workCenters: [wc('A', 2)], orders }), null, now, options()));
    expect(opOf(plan, 'P1', 1)).toMatchObject({ machine: 2, start: MONDAY + 8 * H, pinned: true });
    expect(opOf(plan, 'P3', 1)).toMatchObject({ machine: 1, start: MONDAY + 8.5 * H, end: MONDAY + 9.5 * H, pinned: true });
    // F1 (urgent) fits neither in the 30-minute gap before P3 nor before P1: it ends first after P1.
    expect(opOf(plan, 'F1', 1)).toMatchObject({ machine: 2, start: MONDAY + 9 * H });
    expect(opOf(plan, 'P2', 1)).toMatchObject({ machine: 2, start: MONDAY + 10 * H });
  });

  it('keeps frozen operations on their machine and in their order', () => {
    const orders = [
      order('O1', [op(1, 'A', 60)], { dueAt: MONDAY + 50 * H }),
      order('O2', [op(1, 'A', 60)], { dueAt: MONDAY + 9 * H }),
      order('O3', [op(1, 'A', 60)], { dueAt: MONDAY + 9 * H }),
    ];
    const prev = (code: string, machine: number, start: number) => ({
      order: code, seq: 1, workCenter: 'A', machine, start, end: start + H, setupMinutes: 0, pinned: false, frozen: false,
    });
    const previousPlan = { operations: [prev('O1', 2, MONDAY + 8 * H), prev('O2', 2, MONDAY + 9 * H), prev('O3', 1, MONDAY + 12 * H)] };
    const plan = planOf(schedule(snapshot({ workCenters: [wc('A', 2)], orders }), previousPlan, now, options({ frozenMinutes: 180 })));
    expect(opOf(plan, 'O1', 1)).toMatchObject({ machine: 2, start: MONDAY + 8 * H, frozen: true });
    expect(opOf(plan, 'O2', 1)).toMatchObject({ machine: 2, start: MONDAY + 9 * H, frozen: true });
    // O3 was planned outside the horizon, so it was free to move; now that it starts inside it, it is
    // reported frozen (the next plan holds it there).
    expect(opOf(plan, 'O3', 1)).toMatchObject({ frozen: true, start: MONDAY + 8 * H, machine: 1 });
  });

  it('grows the horizon for long work', () => {
    const orders = [order('O1', [op(1, 'A', 480 * 5 * 20)])]; // 20 working weeks
    const plan = planOf(schedule(snapshot({ orders }), null, now, options()));
    expect(times(opOf(plan, 'O1', 1))).toEqual(['2026-01-05T08:00:00.000Z', '2026-05-22T16:00:00.000Z']);
  });

  it('reports ETA, lateness and figures', () => {
    const orders = [order('O1', [op(1, 'A', 120)], { dueAt: MONDAY + 9 * H, priority: 3 })];
    const plan = planOf(schedule(snapshot({ orders }), null, now, options()));
    expect(plan.orders[0]).toMatchObject({ order: 'O1', eta: MONDAY + 10 * H, latenessMinutes: 60, late: true });
    expect(plan.figures).toMatchObject({ weightedTardinessMinutes: 180, lateOrders: 1, makespan: MONDAY + 10 * H, totalFlowMinutes: 180, movedOperations: 0 });
  });
});
