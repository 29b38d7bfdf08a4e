import { describe, expect, it } from 'vitest';
import { generatePlant } from '../../scheduler/bench/plant.ts';
import { construct } from '../../scheduler/engine/construct.ts';
import { dispatchAsFloor } from '../../scheduler/engine/floor-dispatch.ts';
import { schedule } from '../../scheduler/engine/index.ts';
import type { Snapshot } from '../../scheduler/engine/model.ts';
import { compileProblem } from '../../scheduler/engine/problem.ts';
import type { Schedule } from '../../scheduler/engine/schedule-state.ts';
import { earliestStart } from '../../scheduler/engine/timing.ts';
import { H, MONDAY, op, options, order, planOf, snapshot, wc } from './fixtures.ts';
import { planViolations } from './plan-check.ts';

// Two machines, always open. W's second step waits on A for its first step on B (2 h); X is ready now.
const plant = (xMinutes: number, pin: Partial<{ start: number; queueAt: number }> = {}): Snapshot =>
  snapshot({
    workCenters: [wc('A', 1, 'all'), wc('B', 1, 'all')],
    orders: [
      order('W', [op(1, 'B', 120), op(2, 'A', 60, Object.keys(pin).length ? { pin: { machine: 1, ...pin } } : {})]),
      order('X', [op(1, 'A', xMinutes)]),
    ],
  });

/** The searched shape: A's queue is W/2 then X/1, timed strictly, so A idles until W/1 is done. */
function strictQueue(snap: Snapshot) {
  const p = compileProblem(snap, null, MONDAY, options());
  // Operations in order: W/1, W/2, X/1. Machines: A = 0, B = 1.
  const x = 2;
  const runX = p.opRunMs[x]!;
  const strict: Schedule = {
    machine: Int32Array.from([1, 0, 0]),
    start: Float64Array.from([MONDAY, MONDAY + 2 * H, MONDAY + 3 * H]),
    end: Float64Array.from([MONDAY + 2 * H, MONDAY + 3 * H, MONDAY + 3 * H + runX]),
    setup: new Float64Array(3),
    sequence: [[1, 2], [0]],
  };
  return { p, strict };
}

const iso = (t: number) => new Date(t).toISOString();

describe('the plan as the floor works it', () => {
  it('a machine that would wait for the next job in its queue starts the ready job behind it', () => {
    const { p, strict } = strictQueue(plant(60));
    const worked = dispatchAsFloor(p, strict);
    expect(worked.sequence[0]).toEqual([2, 1]);
    expect([iso(worked.start[2]!), iso(worked.end[2]!)]).toEqual(['2026-01-05T00:00:00.000Z', '2026-01-05T01:00:00.000Z']);
    // W/2 still starts the moment W/1 is done: the gap was long enough.
    expect([iso(worked.start[1]!), iso(worked.end[1]!)]).toEqual(['2026-01-05T02:00:00.000Z', '2026-01-05T03:00:00.000Z']);
  });

  it('the floor takes the ready job even when it runs past the moment the queued one is ready', () => {
    const { p, strict } = strictQueue(plant(150));
    const worked = dispatchAsFloor(p, strict);
    expect(iso(worked.end[2]!)).toBe('2026-01-05T02:30:00.000Z');
    expect([iso(worked.start[1]!), iso(worked.end[1]!)]).toEqual(['2026-01-05T02:30:00.000Z', '2026-01-05T03:30:00.000Z']);
  });

  it('no job overtakes one the planner pinned, exactly or in the queue', () => {
    for (const pin of [{ start: MONDAY + 2 * H }, { queueAt: MONDAY + 2 * H }]) {
      const { p, strict } = strictQueue(plant(60, pin));
      const worked = dispatchAsFloor(p, strict);
      expect(worked.sequence[0]).toEqual([1, 2]);
      expect(iso(worked.start[2]!)).toBe('2026-01-05T03:00:00.000Z');
    }
  });

  it('plans of a loaded plant leave no machine idle while a job queued on it could start, and break no rule', () => {
    const generated = generatePlant({ seed: 5, workCenters: 6, machinesPerWorkCenter: 2, orders: 150, operationsPerOrder: 5, downtimes: 3 });
    const opts = options({ maxIterations: 300 });
    const plan = planOf(schedule(generated.snapshot, null, generated.now, opts));
    expect(planViolations(generated.snapshot, plan, generated.now)).toEqual([]);

    const p = compileProblem(generated.snapshot, null, generated.now, opts);
    const worked = dispatchAsFloor(p, construct(p).schedule);
    let checked = 0;
    for (let m = 0; m < p.machineCount; m++) {
      const queue = worked.sequence[m]!;
      let free = p.now;
      for (let k = 0; k < queue.length; k++) {
        const idleFrom = p.machineTime[m]!.nextWorking(free);
        const next = queue[k]!;
        if (worked.start[next]! > idleFrom) {
          // Every job behind it: not ready to start before the one the machine waits for.
          for (const later of queue.slice(k + 1)) {
            const pred = p.opPred[later]!;
            const ready = earliestStart(p, later, pred >= 0 ? worked.end[pred]! : -Infinity);
            expect(p.machineTime[m]!.nextWorking(Math.max(ready, idleFrom))).toBeGreaterThanOrEqual(worked.start[next]!);
            checked++;
          }
        }
        free = worked.end[next]!;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
