import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schedule } from '../../scheduler/engine/index.ts';
import type { Calendar, OperationInput, OrderInput, Snapshot } from '../../scheduler/engine/model.ts';
import { H, MONDAY } from './fixtures.ts';
import { planViolations } from './plan-check.ts';

const now = MONDAY + 7.5 * H;
const calendars: Calendar[] = [
  { code: 'day', timeZone: 'UTC', shifts: ([1, 2, 3, 4, 5] as const).map((weekday) => ({ weekday, start: '08:00', end: '16:00' })), exceptions: [{ from: '2026-01-06T12:00', to: '2026-01-06T13:00', working: false }] },
  { code: 'night', timeZone: 'Asia/Shanghai', shifts: ([1, 2, 3, 4, 5, 6] as const).map((weekday) => ({ weekday, start: '22:00', end: '06:00' })), exceptions: [] },
  { code: 'all', timeZone: 'UTC', shifts: ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, start: '00:00', end: '00:00' })), exceptions: [] },
];

const operationArb = (wcCount: number) =>
  fc.record({
    wc: fc.nat(wcCount - 1),
    setup: fc.integer({ min: 0, max: 30 }),
    run: fc.integer({ min: 0, max: 240 }),
    transfer: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
    kind: fc.constantFrom('pending', 'pending', 'pending', 'held', 'running', 'pinMachine', 'pinStart'),
    holdHours: fc.integer({ min: 0, max: 40 }),
    machinePick: fc.nat(2),
    pinHours: fc.integer({ min: 0, max: 60 }),
    remaining: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  });

const inputArb = fc
  .record({
    wcs: fc.array(fc.record({ machines: fc.integer({ min: 1, max: 3 }), calendar: fc.constantFrom('day', 'night', 'all') }), { minLength: 1, maxLength: 3 }),
    downtimes: fc.array(fc.record({ wc: fc.nat(2), machine: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), fromHours: fc.integer({ min: -5, max: 60 }), hours: fc.integer({ min: 0, max: 20 }) }), { maxLength: 3 }),
    seed: fc.nat(1000),
  })
  .chain((base) =>
    fc.record({
      base: fc.constant(base),
      orders: fc.array(
        fc.record({
          ops: fc.array(operationArb(base.wcs.length), { minLength: 1, maxLength: 4 }),
          dueHours: fc.integer({ min: -10, max: 120 }),
          priority: fc.integer({ min: 1, max: 3 }),
          releaseHours: fc.option(fc.integer({ min: -10, max: 30 }), { nil: undefined }),
          family: fc.constantFrom(undefined, 'red', 'blue'),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  );

function toSnapshot(input: fc.Arbitrary<unknown> extends never ? never : any): Snapshot {
  const { base, orders } = input;
  const workCenters = base.wcs.map((w: { machines: number; calendar: string }, i: number) => ({
    code: `W${i}`, machines: w.machines, calendar: w.calendar,
    ...(i === 0 ? { setupMatrix: [{ from: 'red', to: 'blue', minutes: 25 }, { from: 'blue', to: 'red', minutes: 5 }] } : {}),
  }));
  const usedRunning = new Set<string>();
  const orderInputs: OrderInput[] = orders.map((o: any, k: number) => ({
    code: `O${k}`, product: 'P', quantity: 1, priority: o.priority, dueAt: now + o.dueHours * H,
    ...(o.releaseHours !== undefined ? { releaseAt: now + o.releaseHours * H } : {}),
    ...(o.family ? { family: o.family } : {}),
    operations: o.ops.map((op: any, seq: number): OperationInput => {
      const wc = workCenters[op.wc]!;
      const machine = 1 + (op.machinePick % wc.machines);
      const input: OperationInput = {
        seq: seq + 1, workCenter: wc.code, setupMinutes: op.setup, runMinutesPerUnit: op.run, quantity: 1, status: 'pending',
        ...(op.transfer !== undefined ? { minTransferMinutes: op.transfer } : {}),
      };
      if (op.kind === 'held') return { ...input, status: 'held', hold: { until: now + op.holdHours * H, reason: 'material' } };
      if (op.kind === 'running' && !usedRunning.has(`${wc.code}/${machine}`)) {
        usedRunning.add(`${wc.code}/${machine}`);
        return { ...input, status: 'running', running: { machine, startedAt: now - H, ...(op.remaining !== undefined ? { remainingMinutes: op.remaining } : {}) } };
      }
      if (op.kind === 'pinMachine') return { ...input, pin: { machine } };
      if (op.kind === 'pinStart') return { ...input, pin: { start: now + op.pinHours * H } };
      return input;
    }),
  }));
  const downtimes = base.downtimes
    .filter((d: any) => d.wc < workCenters.length)
    .map((d: any, k: number) => ({
      id: `d${k}`, workCenter: workCenters[d.wc]!.code,
      ...(d.machine !== undefined && d.machine <= workCenters[d.wc]!.machines ? { machine: d.machine } : {}),
      from: now + d.fromHours * H, to: now + (d.fromHours + d.hours) * H, reason: 'breakdown' as const,
    }));
  return { calendars, workCenters, downtimes, orders: orderInputs };
}

describe('every plan from random small inputs is feasible', () => {
  it('precedence, capacity, calendars, downtime, holds, pins, running work', () => {
    let planned = 0;
    fc.assert(
      fc.property(inputArb, (input) => {
        const snapshot = toSnapshot(input);
        const result = schedule(snapshot, null, now, { seed: input.base.seed, timeLimitMs: 0, maxIterations: 30, frozenMinutes: 0, objective: 'tardiness' });
        if (!result.ok) {
          // Only pins may make a random input infeasible, and errors must name what failed.
          for (const e of result.errors) {
            expect(e.message).not.toMatch(/engine failure/);
            expect(e.order).toBeDefined();
          }
          return;
        }
        planned++;
        expect(planViolations(snapshot, result.plan, now)).toEqual([]);
        for (const eta of result.plan.orders) expect(eta.reasons.length > 0).toBe(eta.late);
      }),
      { numRuns: 300, seed: 20260105 },
    );
    expect(planned).toBeGreaterThan(100);
  });

  it('a re-solve with the previous plan and a frozen horizon stays feasible and keeps frozen order', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const snapshot = toSnapshot(input);
        const options = { seed: 1, timeLimitMs: 0, maxIterations: 20, frozenMinutes: 600, objective: 'tardiness' as const };
        const first = schedule(snapshot, null, now, options);
        if (!first.ok) return;
        const later = now + H;
        const second = schedule(snapshot, first.plan, later, options);
        if (!second.ok) return; // pins may now be in the past
        expect(planViolations(snapshot, second.plan, later).filter((v) => !/running but moved|running work/.test(v))).toEqual([]);
        const frozen = second.plan.operations.filter((o) => o.frozen && !snapshot.orders.find((x) => x.code === o.order)!.operations.find((x) => x.seq === o.seq)!.running);
        for (const o of frozen) {
          const before = first.plan.operations.find((x) => x.order === o.order && x.seq === o.seq)!;
          expect(o.machine).toBe(before.machine);
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
