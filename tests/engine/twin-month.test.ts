import { describe, expect, it } from 'vitest';
import { demoWorkCenters } from '../../server/demo/factory.ts';
import { demoCapacity } from '../../server/demo/twin/model.ts';
import { runTwin } from '../../server/demo/twin/run.ts';

const DAY_MS = 86_400_000;
const SEED = 1;

// The demo factory's digital twin, 30 simulated days on a simulated clock with the real engine
// re-planning on every event. The first simulated day is warm-up: the twin opens with 40 orders all
// released at once, a queue the steady state does not have. Only in-shift hours count for "busy"
// (the plant works two shifts Mon-Sat; at night and on Sundays every machine stands by design).
describe('the digital twin holds a believable steady state for a month', () => {
  const wallStart = performance.now();
  const run = runTwin({ seed: SEED, days: 30 });
  const wallMs = Math.round(performance.now() - wallStart);
  const start = run.hours[0]!.at;
  const steady = run.hours.filter((h) => h.at >= start + DAY_MS);
  const inShift = steady.filter((h) => h.inShift);
  const halfBusy = inShift.filter((h) => h.busyWorkCenters >= demoWorkCenters.length / 2).length / inShift.length;
  const summary = {
    wallMs,
    plans: run.plans,
    bottleneck: demoCapacity.bottleneck,
    openOrders: [Math.min(...steady.map((h) => h.openOrders)), Math.max(...steady.map((h) => h.openOrders))],
    halfBusyShare: Math.round(halfBusy * 1000) / 1000,
    lateMax: Math.max(...steady.map((h) => h.lateOrders)),
    samplesWithLate: steady.filter((h) => h.lateOrders > 0).length,
    samples: steady.length,
    completed: run.orders.filter((o) => o.completedAt !== undefined).length,
    completedLate: run.orders.filter((o) => o.completedAt !== undefined && o.completedAt > o.dueAt).length,
    andons: run.andons.length,
  };
  console.log('[twin-month]', JSON.stringify(summary));

  it('runs a month in under 60 s without a refused plan', () => {
    expect(run.planErrors).toEqual([]);
    expect(wallMs).toBeLessThan(60_000);
  });

  it('keeps 20-90 open orders in every hourly sample after the first day', () => {
    for (const h of steady) {
      expect(h.openOrders, new Date(h.at).toISOString()).toBeGreaterThanOrEqual(20);
      expect(h.openOrders, new Date(h.at).toISOString()).toBeLessThanOrEqual(90);
    }
  });

  it('has at least half the work centers running a job in >= 85 % of in-shift hourly samples after the first day', () => {
    expect(inShift.length).toBeGreaterThan(300);
    expect(halfBusy).toBeGreaterThanOrEqual(0.85);
  });

  it('has late orders, with reasons, at some times but never most of the open ones', () => {
    expect(summary.samplesWithLate).toBeGreaterThan(0);
    expect(steady.reduce((sum, h) => sum + h.lateWithReasons, 0)).toBeGreaterThan(0);
    for (const h of steady) expect(h.lateOrders, new Date(h.at).toISOString()).toBeLessThan(h.openOrders / 2);
    expect(summary.completedLate).toBeGreaterThan(0);
    expect(summary.completedLate).toBeLessThan(summary.completed / 2);
  });

  it('raises breakdowns, material shortages and quality stops; leads acknowledge and resolve each within a day', () => {
    for (const reason of ['breakdown', 'material', 'quality'] as const) expect(run.andons.filter((a) => a.reason === reason).length, reason).toBeGreaterThan(0);
    const end = start + 30 * DAY_MS;
    for (const a of run.andons) {
      const closedAt = a.resolved ? a.resolveAt : end;
      expect(closedAt - a.raisedAt, a.id).toBeLessThan(DAY_MS);
      if (a.resolved) expect(a.acknowledged, a.id).toBe(true);
    }
  });

  it('keeps per order its due date, the ETA of each plan and its completion', () => {
    const done = run.orders.filter((o) => o.completedAt !== undefined);
    expect(done.length).toBeGreaterThan(200);
    for (const o of done) expect(o.etas.length, o.code).toBeGreaterThan(0);
  });
});

describe('the digital twin is seeded', () => {
  it('repeats the same history for the same seed', () => {
    const a = runTwin({ seed: 7, days: 2 });
    const b = runTwin({ seed: 7, days: 2 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(runTwin({ seed: 8, days: 2 }).hours)).not.toBe(JSON.stringify(a.hours));
  });
});
