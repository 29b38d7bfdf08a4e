import { describe, expect, it } from 'vitest';
import { schedule } from '../../scheduler/engine/index.ts';
import { quote, QUOTE_RELEASE_STEP_MS, type QuoteResult } from '../../scheduler/engine/quote.ts';
import type { Snapshot } from '../../scheduler/engine/model.ts';
import { H, MIN, MONDAY, op, options, order, planOf, snapshot, wc } from './fixtures.ts';
import { planViolations } from './plan-check.ts';

// Monday 08:00 UTC; machine A runs around the clock (calendar 'all').
const now = MONDAY + 8 * H;
const candidate = order('Q', [op(1, 'A', 60)]);

/** X: two hours on A, due at `dueHours` from now. */
const withX = (dueHours: number): Snapshot =>
  snapshot({ workCenters: [wc('A', 1, 'all')], orders: [order('X', [op(1, 'A', 120)], { dueAt: now + dueHours * H })] });

/** The order as created from the quote: its release, its priority, due at the quoted date, promised. */
const asOrdered = (o: typeof candidate, q: Extract<QuoteResult, { ok: true }>) => ({ ...o, releaseAt: q.releaseAt, dueAt: q.eta, priority: q.priority, promised: true });

function quoted(input: Snapshot, mode: 'keep-promises' | 'earliest') {
  const result: QuoteResult = quote(input, null, now, { order: candidate, mode }, options());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  expect(planViolations({ ...input, orders: [...input.orders, asOrdered(candidate, result)] }, result.plan, now)).toEqual([]);
  return result;
}

describe('quotes (capable-to-promise)', () => {
  it('earliest: the candidate goes first and the order it pushes past its due is named', () => {
    const q = quoted(withX(2), 'earliest');
    expect(q.eta).toBe(now + 60 * MIN);
    expect(q.releaseAt).toBe(now);
    expect(q.priority).toBe(2); // expedited: one above X
    expect(q.impacts).toEqual([{ order: 'X', etaBefore: now + 2 * H, etaAfter: now + 3 * H, lateBefore: false, lateAfter: true }]);
  });

  it('keep-promises: released once X no longer needs the machine, so X stays on time', () => {
    const q = quoted(withX(2), 'keep-promises');
    // X runs 08:00-10:00 and the candidate after it: released early enough that it never goes first.
    expect(q.releaseAt).toBeGreaterThan(now);
    expect(q.releaseAt).toBeLessThanOrEqual(now + 2 * H);
    expect(q.eta).toBe(now + 3 * H);
    expect(q.priority).toBe(1);
    expect(q.impacts).toEqual([]);
    expect(q.plan.orders.find((o) => o.order === 'X')).toMatchObject({ eta: now + 2 * H, late: false });
  });

  it('keep-promises: where the others have slack the candidate goes first, and the delay is named but breaks no promise', () => {
    const q = quoted(withX(5), 'keep-promises');
    expect(q.releaseAt).toBe(now);
    expect(q.eta).toBe(now + 60 * MIN);
    expect(q.impacts).toEqual([{ order: 'X', etaBefore: now + 2 * H, etaAfter: now + 3 * H, lateBefore: false, lateAfter: false }]);
  });

  it('an already late order may not be made later still, even where its due is long past', () => {
    const late = withX(-1); // due an hour ago: late whatever happens
    const q = quoted(late, 'keep-promises');
    expect(q.impacts).toEqual([]);
    expect(q.eta).toBe(now + 3 * H);
  });

  it('is honest: the order created with the quoted date as its due and the quoted release is planned to end by it', () => {
    const input = snapshot({
      workCenters: [wc('A', 1, 'all'), wc('B', 2, 'all')],
      orders: [
        order('X', [op(1, 'A', 90), op(2, 'B', 120)], { dueAt: now + 4 * H }),
        order('Y', [op(1, 'B', 200), op(2, 'A', 30)], { dueAt: now + 5 * H, priority: 2 }),
        order('Z', [op(1, 'A', 45)], { dueAt: now + 3 * H }),
      ],
    });
    const twoSteps = order('Q', [op(1, 'A', 60), op(2, 'B', 30)]);
    for (const mode of ['keep-promises', 'earliest'] as const) {
      const result = quote(input, null, now, { order: twoSteps, mode }, options());
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const q = result;
      const live = planOf(schedule({ ...input, orders: [...input.orders, asOrdered(twoSteps, q)] }, null, now, options({ maxIterations: 300 })));
      // The search (which the quote did not run) may only do better for it, never worse.
      expect(live.orders.find((o) => o.order === 'Q')!.eta, mode).toBeLessThanOrEqual(q.eta);
    }
  });

  it('bisects the release to the step, and the same input gives the same quote', () => {
    const busy = snapshot({
      workCenters: [wc('A', 1, 'all')],
      orders: Array.from({ length: 12 }, (_, i) => order(`O${i}`, [op(1, 'A', 50 + i * 7)], { dueAt: now + (i + 1) * 70 * MIN })),
    });
    const a = quoted(busy, 'keep-promises');
    const b = quoted(busy, 'keep-promises');
    expect(a).toEqual(b);
    expect((a.releaseAt - now) % QUOTE_RELEASE_STEP_MS).toBe(0);
    expect(a.impacts.filter((i) => i.lateAfter && !i.lateBefore)).toEqual([]);
    // One step earlier would have broken a promise (or it is now).
    if (a.releaseAt > now) {
      const earlier = planOf(schedule({ ...busy, orders: [...busy.orders, { ...candidate, releaseAt: a.releaseAt - QUOTE_RELEASE_STEP_MS, dueAt: a.releaseAt - QUOTE_RELEASE_STEP_MS }] }, null, now, options()));
      const base = planOf(schedule(busy, null, now, options()));
      const broken = earlier.orders.some((o) => {
        const b0 = base.orders.find((x) => x.order === o.order);
        return b0 && o.eta > Math.max(o.dueAt, b0.eta) + MIN;
      });
      expect(broken).toBe(true);
    }
  });
});
