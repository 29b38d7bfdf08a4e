import { describe, expect, it } from 'vitest';
import { schedule } from '../../scheduler/engine/index.ts';
import type { Plan, Snapshot } from '../../scheduler/engine/model.ts';
import { allDay, dayShift, H, MONDAY, op, opOf, options, order, planOf, snapshot, times, wc } from './fixtures.ts';
import { planViolations } from './plan-check.ts';

const now = MONDAY + 7 * H;

/** Plans, and checks the plan against every hard rule: a pin never buys a violation. */
function plan(input: Snapshot, maxIterations = 0): Plan {
  const result = planOf(schedule(input, null, now, options({ maxIterations })));
  expect(planViolations(input, result, now)).toEqual([]);
  return result;
}

const sequenceOn = (p: Plan, machine: number): string[] =>
  p.operations.filter((o) => o.machine === machine).sort((a, b) => a.start - b.start).map((o) => o.order);

describe('exact pins', () => {
  it('keep machine and start exactly, and report nothing', () => {
    const orders = [
      order('E1', [op(1, 'A', 60, { pin: { machine: 2, start: MONDAY + 10 * H } })]),
      order('F1', [op(1, 'A', 60)], { dueAt: MONDAY + 9 * H }),
    ];
    const p = plan(snapshot({ workCenters: [wc('A', 2)], orders }), 200);
    expect(opOf(p, 'E1', 1)).toMatchObject({ machine: 2, start: MONDAY + 10 * H, end: MONDAY + 11 * H, pinned: true });
    expect(p.pinIssues).toEqual([]);
  });

  it('off-shift: planned at the next shift on the pinned machine and reported, never run in closed time', () => {
    // Day shift 08:00-16:00: 20:00 Monday is closed, Tuesday 08:00 is the first working minute after it.
    const orders = [order('E1', [op(1, 'A', 60, { pin: { machine: 1, start: MONDAY + 20 * H } })])];
    const p = plan(snapshot({ orders }));
    expect(times(opOf(p, 'E1', 1))).toEqual(['2026-01-06T08:00:00.000Z', '2026-01-06T09:00:00.000Z']);
    expect(p.pinIssues).toEqual([
      expect.objectContaining({ order: 'E1', seq: 1, code: 'pin_off_shift', pinnedStart: MONDAY + 20 * H, plannedStart: MONDAY + 32 * H }),
    ]);
  });

  it('in a holiday: after it, reported as off-shift', () => {
    const holiday = { ...dayShift, exceptions: [{ from: '2026-01-06T00:00', to: '2026-01-07T00:00', working: false, note: 'holiday' }] };
    const orders = [order('E1', [op(1, 'A', 60, { pin: { machine: 1, start: MONDAY + 34 * H } })])];
    const p = plan(snapshot({ calendars: [holiday, allDay], orders }));
    expect(times(opOf(p, 'E1', 1))).toEqual(['2026-01-07T08:00:00.000Z', '2026-01-07T09:00:00.000Z']);
    expect(p.pinIssues.map((i) => i.code)).toEqual(['pin_off_shift']);
  });

  it('machine down at the pinned start: after the downtime, reported', () => {
    const orders = [order('E1', [op(1, 'A', 60, { pin: { machine: 1, start: MONDAY + 10 * H } })])];
    const downtimes = [{ id: 'andon-1', workCenter: 'A', machine: 1, from: MONDAY + 9 * H, to: MONDAY + 11 * H, reason: 'breakdown' as const }];
    const p = plan(snapshot({ orders, downtimes }));
    expect(opOf(p, 'E1', 1)).toMatchObject({ machine: 1, start: MONDAY + 11 * H });
    expect(p.pinIssues.map((i) => i.code)).toEqual(['pin_machine_down']);
  });

  it('in the past (pins age): as soon as possible, reported, the plan stays feasible', () => {
    const orders = [order('E1', [op(1, 'A', 60, { pin: { machine: 1, start: now - 2 * H } })])];
    const p = plan(snapshot({ workCenters: [wc('A', 1, 'all')], orders }));
    expect(opOf(p, 'E1', 1)).toMatchObject({ machine: 1, start: now });
    expect(p.pinIssues.map((i) => i.code)).toEqual(['pin_in_past']);
  });

  it('just passed (within the grace; the floor rarely starts on the minute): as soon as possible, not reported', () => {
    const orders = [order('E1', [op(1, 'A', 60, { pin: { machine: 1, start: now - 10 * 60_000 } })])];
    const p = plan(snapshot({ workCenters: [wc('A', 1, 'all')], orders }));
    expect(opOf(p, 'E1', 1)).toMatchObject({ machine: 1, start: now });
    expect(p.pinIssues).toEqual([]);
  });

  it('clashing with another pin or with the routing: planned after it on the pinned machine, reported', () => {
    const orders = [
      order('O1', [op(1, 'A', 60, { pin: { machine: 1, start: MONDAY + 8 * H } })]),
      order('O2', [op(1, 'A', 60, { pin: { machine: 1, start: MONDAY + 8.5 * H } })]),
      order('O3', [op(1, 'B', 120), op(2, 'A', 60, { pin: { machine: 1, start: MONDAY + 9 * H } })]),
    ];
    const p = plan(snapshot({ workCenters: [wc('A'), wc('B')], orders }));
    expect(opOf(p, 'O1', 1).start).toBe(MONDAY + 8 * H);
    expect(opOf(p, 'O2', 1).start).toBeGreaterThanOrEqual(MONDAY + 9 * H);
    expect(opOf(p, 'O3', 2).start).toBeGreaterThanOrEqual(opOf(p, 'O3', 1).end);
    expect(p.pinIssues.map((i) => `${i.order}:${i.code}`).sort()).toEqual(['O2:pin_conflict', 'O3:pin_conflict']);
  });
});

describe('queue pins', () => {
  // Y is due much later than X: unpinned, X runs first. Y queued at 08:30 joins ahead of X (whose
  // slack puts it at about 11:00) and starts when the machine opens, 08:00: the engine chose the start.
  const x = order('X', [op(1, 'A', 60)], { dueAt: MONDAY + 12 * H });
  const y = (pin?: { machine: number; queueAt: number }) => order('Y', [op(1, 'A', 60, pin ? { pin } : {})]);

  it('change the sequence on the machine versus unpinned, the engine choosing the start', () => {
    expect(sequenceOn(plan(snapshot({ orders: [x, y()] })), 1)).toEqual(['X', 'Y']);
    const pinned = plan(snapshot({ orders: [x, y({ machine: 1, queueAt: MONDAY + 8.5 * H })] }));
    expect(sequenceOn(pinned, 1)).toEqual(['Y', 'X']);
    expect(opOf(pinned, 'Y', 1)).toMatchObject({ start: MONDAY + 8 * H, pinned: true });
    expect(pinned.pinIssues).toEqual([]);
  });

  it('on a machine that is down: wait for the repair on that machine (not a sister machine), reported', () => {
    const twoMachines = [wc('A', 2, 'day')];
    const downtimes = [{ id: 'andon-1', workCenter: 'A', machine: 1, from: MONDAY + 7 * H, to: MONDAY + 10 * H, reason: 'breakdown' as const }];
    const pinned = plan(snapshot({ workCenters: twoMachines, orders: [y({ machine: 1, queueAt: MONDAY + 8.5 * H })], downtimes }));
    expect(opOf(pinned, 'Y', 1)).toMatchObject({ machine: 1, start: MONDAY + 10 * H });
    expect(pinned.pinIssues.map((i) => [i.code, i.pinnedStart])).toEqual([['pin_machine_down', MONDAY + 8.5 * H]]);
    // On the machine that works, nothing to report.
    const other = plan(snapshot({ workCenters: twoMachines, orders: [y({ machine: 2, queueAt: MONDAY + 8.5 * H })], downtimes }));
    expect(opOf(other, 'Y', 1)).toMatchObject({ machine: 2, start: MONDAY + 8 * H });
    expect(other.pinIssues).toEqual([]);
  });

  it('keep their place in the sequence through the search (a kanban reorder is not undone)', () => {
    // X is due at 09:00: behind Y it is an hour late, so the search alone would put it back ahead.
    const tight = order('X', [op(1, 'A', 60)], { dueAt: MONDAY + 9 * H });
    const searched = plan(snapshot({ orders: [tight, y({ machine: 1, queueAt: MONDAY + 7.5 * H })] }), 500);
    expect(sequenceOn(searched, 1)).toEqual(['Y', 'X']);
  });

  it('pull their routing predecessors forward, so a later step can jump the queue', () => {
    const chain = (code: string, dueAt: number, pin?: { machine: number; queueAt: number }) =>
      order(code, [op(1, 'A', 60), op(2, 'B', 60, pin ? { pin } : {})], { dueAt });
    const workCenters = [wc('A'), wc('B')];
    // Unpinned, X (due first) leads on both machines.
    const free = plan(snapshot({ workCenters, orders: [chain('X', MONDAY + 12 * H), chain('Y', MONDAY + 40 * H)] }));
    expect(free.operations.filter((o) => o.workCenter === 'B').sort((a, b) => a.start - b.start).map((o) => o.order)).toEqual(['X', 'Y']);
    const queued = plan(snapshot({ workCenters, orders: [chain('X', MONDAY + 12 * H), chain('Y', MONDAY + 40 * H, { machine: 1, queueAt: MONDAY + 8 * H })] }));
    expect(queued.operations.filter((o) => o.workCenter === 'B').sort((a, b) => a.start - b.start).map((o) => o.order)).toEqual(['Y', 'X']);
    expect(queued.operations.filter((o) => o.workCenter === 'A').sort((a, b) => a.start - b.start).map((o) => o.order)).toEqual(['Y', 'X']);
  });

  it('keep the machine through the search', () => {
    // Unpinned, Y would take the idle machine 1; the search must not move it off machine 2.
    const orders = [order('B1', [op(1, 'A', 240)]), order('B2', [op(1, 'A', 240)]), y({ machine: 2, queueAt: MONDAY + 15 * H })];
    const unpinned = plan(snapshot({ workCenters: [wc('A', 2)], orders: [...orders.slice(0, 2), y()] }), 300);
    const pinned = plan(snapshot({ workCenters: [wc('A', 2)], orders }), 300);
    expect(opOf(pinned, 'Y', 1).machine).toBe(2);
    expect(opOf(pinned, 'Y', 1).start).not.toBe(MONDAY + 15 * H);
    expect(opOf(unpinned, 'Y', 1).machine).toBe(1);
  });
});
