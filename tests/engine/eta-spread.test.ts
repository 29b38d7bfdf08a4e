import { describe, expect, it } from 'vitest';
import { sampleEtaSpread, quantile } from '../../scheduler/engine/eta-spread.ts';
import { schedule } from '../../scheduler/engine/index.ts';
import type { Snapshot } from '../../scheduler/engine/model.ts';
import {
  BREAKDOWN_PRIOR, CALIBRATION, DURATION_PRIOR, FAMILY_MIN_OBSERVATIONS, HOLD_PRIOR, learnSpreadModel, p50Shift, p90Scale, type SpreadModel,
} from '../../scheduler/engine/spread-model.ts';
import { H, MIN, MONDAY, op, options, order, planOf, snapshot, wc } from './fixtures.ts';

const now = MONDAY + 8 * H;

describe('learning the spread model', () => {
  it('shrinks a work center with little history towards the prior, mean and spread', () => {
    // Five jobs that all took 1.5 times the standard.
    const obs = Array.from({ length: 5 }, () => ({ workCenter: 'MILL', standardMinutes: 100, actualMinutes: 150 }));
    const model = learnSpreadModel(obs, []);
    const mill = model.durations.find((d) => d.workCenter === 'MILL')!;
    // 5 observations of ln 1.5 and 5 pseudo-observations of 0.
    expect(mill.logMean).toBeCloseTo((5 * Math.log(1.5)) / 10, 10);
    const squares = 5 * (Math.log(1.5) - mill.logMean) ** 2;
    expect(mill.logSd).toBeCloseTo(Math.sqrt((squares + 5 * DURATION_PRIOR.logSd ** 2) / 10), 10);
    expect(mill.n).toBe(5);
  });

  it('drops bad data (ratios beyond 10x either way, empty standards)', () => {
    const model = learnSpreadModel(
      [
        { workCenter: 'A', standardMinutes: 10, actualMinutes: 500 },
        { workCenter: 'A', standardMinutes: 10, actualMinutes: 0.5 },
        { workCenter: 'A', standardMinutes: 0, actualMinutes: 5 },
      ],
      [],
    );
    expect(model.durations).toEqual([]);
  });

  it('gives a family its own figures only once it has enough jobs at the work center', () => {
    const few = Array.from({ length: FAMILY_MIN_OBSERVATIONS - 1 }, () => ({ workCenter: 'A', family: 'F', standardMinutes: 10, actualMinutes: 20 }));
    expect(learnSpreadModel(few, []).durations.map((d) => d.family)).toEqual([undefined]);
    const enough = [...few, { workCenter: 'A', family: 'F', standardMinutes: 10, actualMinutes: 20 }];
    const model = learnSpreadModel(enough, []);
    expect(model.durations.map((d) => d.family)).toEqual([undefined, 'F']);
    // Shrunk towards its work center, which has only this family's jobs: close to ln 2.
    expect(model.durations[1]!.logMean).toBeGreaterThan(model.durations[0]!.logMean);
    expect(model.durations[1]!.logMean).toBeLessThan(Math.log(2));
  });

  it('breakdown rate per machine and working hour, and the mean repair, both with the prior', () => {
    const model = learnSpreadModel([], [{ workCenter: 'MILL', machines: 2, observedHours: 100, repairMinutes: [30, 60, 90] }]);
    const p = BREAKDOWN_PRIOR;
    expect(model.breakdowns).toEqual([
      {
        workCenter: 'MILL',
        perMachineHour: (3 + p.perMachineHour * p.priorHours) / (200 + p.priorHours),
        repairMinutes: (180 + p.repairMinutes * p.repairWeight) / (3 + p.repairWeight),
        n: 3,
      },
    ]);
  });

  it('holds: the share of started jobs held and the mean wait, both with the prior', () => {
    const model = learnSpreadModel([], [], [{ workCenter: 'SAW', starts: 100, delayMinutes: [60, 180] }]);
    const p = HOLD_PRIOR;
    expect(model.holds).toEqual([
      {
        workCenter: 'SAW',
        perStart: (2 + p.perStart * p.priorStarts) / (100 + p.priorStarts),
        meanMinutes: (240 + p.meanMinutes * p.meanWeight) / (2 + p.meanWeight),
        n: 2,
      },
    ]);
  });
});

describe('calibrating the P90 on the plant\'s record', () => {
  // P90s with a two-hour margin over their ETA; the orders finished `over` hours after the ETA.
  const record = (overs: number[]) => overs.map((over) => ({ eta: 0, p90: 2 * H, completedAt: over * H }));

  it('is 1 until enough orders are known', () => {
    expect(p90Scale(record(Array(CALIBRATION.minOrders - 1).fill(10)))).toEqual({ scale: 1, n: CALIBRATION.minOrders - 1 });
  });

  it('widens the margin so nine in ten known orders would have finished within it', () => {
    // 30 orders: 20 within their P90, 10 finishing 4 h late (twice the margin): the 28th smallest
    // ratio of 30 (ceil(0.9 x 31)) is 2.
    const scale = p90Scale(record([...Array(20).fill(1), ...Array(10).fill(4)]));
    expect(scale).toEqual({ scale: 2, n: 30 });
    const model = learnSpreadModel([], [], [], record([...Array(20).fill(1), ...Array(10).fill(4)]));
    expect(model.p90Scale).toEqual(scale);
  });

  it('divides a P90 given with a factor back by it: a calibrated record keeps its factor instead of swinging back to 1', () => {
    // The same orders as above, but their P90s were already given with factor 2 (a four-hour margin):
    // the futures' own margin was two hours, so the factor the record asks for is still 2.
    const given = [...Array(20).fill(1), ...Array(10).fill(4)].map((over) => ({ eta: 0, p90: 4 * H, completedAt: over * H, scale: 2 }));
    expect(p90Scale(given)).toEqual({ scale: 2, n: 30 });
    // Without the factor the widened margins look wide enough, and the next P90s would narrow again.
    expect(p90Scale(given.map(({ scale: _scale, ...o }) => o))).toEqual({ scale: 1, n: 30 });
  });

  it('never narrows what the futures say, and never widens past the cap', () => {
    expect(p90Scale(record(Array(30).fill(0.5))).scale).toBe(1);
    expect(p90Scale(record(Array(30).fill(100))).scale).toBe(CALIBRATION.maxScale);
  });
});

describe('calibrating the P50 on the plant\'s record', () => {
  // P50s one hour after their ETA; the orders finished `at` hours after the ETA.
  const record = (ats: number[], shiftMinutes?: number) =>
    ats.map((at) => ({ eta: 0, p90: 3 * H, completedAt: at * H, p50: 1 * H, ...(shiftMinutes !== undefined ? { p50ShiftMinutes: shiftMinutes } : {}) }));

  it('is 0 until enough orders are known', () => {
    expect(p50Shift(record(Array(CALIBRATION.minOrders - 1).fill(-5)))).toEqual({ minutes: 0, n: CALIBRATION.minOrders - 1 });
  });

  it('moves the P50 by the median miss, earlier or later, so half the known orders would have finished within it', () => {
    // 21 orders against a P50 at +1 h: 11 finished at -1 h, 10 at +3 h. The 11th smallest miss of 21
    // (ceil(0.5 x 22)) is -2 h: half finish by a P50 two hours earlier.
    const early = [...Array(11).fill(-1), ...Array(10).fill(3)];
    expect(p50Shift(record(early))).toEqual({ minutes: -120, n: 21 });
    expect(learnSpreadModel([], [], [], record(early)).p50Shift).toEqual({ minutes: -120, n: 21 });
    const late = [...Array(10).fill(-1), ...Array(11).fill(3)];
    expect(p50Shift(record(late))).toEqual({ minutes: 120, n: 21 });
  });

  it('moves a P50 given with a shift back by it, so a calibrated record keeps its shift', () => {
    // Given already two hours earlier (shift -120): the futures' own P50 was at +1 h, so the record still asks for -120.
    const given = [...Array(11).fill(-1), ...Array(10).fill(3)].map((at) => ({ eta: 0, p90: 3 * H, completedAt: at * H, p50: -1 * H, p50ShiftMinutes: -120 }));
    expect(p50Shift(given)).toEqual({ minutes: -120, n: 21 });
  });

  it('never moves further than a day, and leaves out P90s given without a P50', () => {
    expect(p50Shift(record(Array(30).fill(-100))).minutes).toBe(-CALIBRATION.maxShiftMinutes);
    expect(p50Shift(record(Array(30).fill(-100)).map(({ p50: _p50, ...o }) => o))).toEqual({ minutes: 0, n: 0 });
  });
});

describe('sampling the ETA spread', () => {
  // Two machines' worth of work on one machine around the clock: a queue where noise adds up.
  const plant: Snapshot = snapshot({
    workCenters: [wc('A', 1, 'all'), wc('B', 1, 'all')],
    orders: Array.from({ length: 6 }, (_, k) => order(`O${k + 1}`, [op(1, 'A', 60), op(2, 'B', 30)], { dueAt: now + (k + 2) * 2 * H })),
  });
  const live = planOf(schedule(plant, null, now, options()));
  const etas = new Map(live.orders.map((o) => [o.order, o.eta]));
  const noisy: SpreadModel = {
    durations: [{ workCenter: 'A', logMean: 0, logSd: 0.3, n: 50 }, { workCenter: 'B', logMean: 0, logSd: 0.3, n: 50 }],
    breakdowns: [{ workCenter: 'A', perMachineHour: 1 / 20, repairMinutes: 60, n: 10 }],
  };
  const spreadOptions = { samples: 64, seed: 7, frozenMinutes: 0 };

  it('is seeded: the same seed gives the same dates, another seed others', () => {
    const a = sampleEtaSpread(plant, null, now, etas, noisy, spreadOptions);
    const b = sampleEtaSpread(plant, null, now, etas, noisy, spreadOptions);
    const c = sampleEtaSpread(plant, null, now, etas, noisy, { ...spreadOptions, seed: 8 });
    expect(a).toEqual(b);
    expect(a.samples).toBe(64);
    expect(c.orders).not.toEqual(a.orders);
  });

  it('orders P50 <= P90, with the ETA inside a plausible band', () => {
    const { orders } = sampleEtaSpread(plant, null, now, etas, noisy, spreadOptions);
    expect(orders).toHaveLength(6);
    for (const o of orders) {
      const eta = etas.get(o.order)!;
      expect(o.p50).toBeLessThanOrEqual(o.p90);
      // Breakdowns only delay, and the noise is centred on the standard: the P90 lies after the ETA,
      // and the median within an hour of it.
      expect(o.p90).toBeGreaterThan(eta);
      expect(Math.abs(o.p50 - eta)).toBeLessThan(60 * MIN);
      expect(o.p50 % MIN).toBe(0);
    }
    // Later in the queue, more work ahead: the last order's band is wider than the first's.
    const width = (code: string) => orders.find((o) => o.order === code)!.p90 - etas.get(code)!;
    expect(width('O6')).toBeGreaterThan(width('O1'));
  });

  it('with no spread at all, P50 and P90 are the ETA', () => {
    const none: SpreadModel = {
      durations: [{ workCenter: 'A', logMean: 0, logSd: 0, n: 50 }, { workCenter: 'B', logMean: 0, logSd: 0, n: 50 }],
      breakdowns: [],
    };
    const { orders } = sampleEtaSpread(plant, null, now, etas, none, spreadOptions);
    for (const o of orders) expect([o.p50, o.p90]).toEqual([etas.get(o.order), etas.get(o.order)]);
  });

  it('work that runs slow moves the P50 after the ETA', () => {
    const slow: SpreadModel = { durations: [{ workCenter: 'A', logMean: Math.log(1.5), logSd: 0, n: 50 }], breakdowns: [] };
    const { orders } = sampleEtaSpread(plant, null, now, etas, slow, spreadOptions);
    // O1 is A for 60 min then B (with the prior's spread): 90 minutes on A puts it 30 minutes later.
    const o1 = orders.find((o) => o.order === 'O1')!;
    expect(o1.p50 - etas.get('O1')!).toBeGreaterThanOrEqual(20 * MIN);
  });

  it('a job held at its planned start waits, its machine does not: only its own order moves', () => {
    // Every job of A is held (share 1) for exactly... an exponential wait: with a mean of 8 hours the
    // held orders' P50 lies hours after the ETA.
    const held: SpreadModel = { durations: [], breakdowns: [], holds: [{ workCenter: 'B', perStart: 1, meanMinutes: 480, n: 50 }] };
    const { orders } = sampleEtaSpread(plant, { operations: live.operations }, now, etas, held, spreadOptions);
    for (const o of orders) expect(o.p50 - etas.get(o.order)!).toBeGreaterThan(2 * H);
    const none = sampleEtaSpread(plant, { operations: live.operations }, now, etas, { ...held, holds: [{ workCenter: 'B', perStart: 0, meanMinutes: 480, n: 50 }] }, spreadOptions);
    for (const o of none.orders) expect(Math.abs(o.p50 - etas.get(o.order)!)).toBeLessThan(30 * MIN);
  });

  it('the calibration factor multiplies the P90\'s margin, not the P50', () => {
    const plain = sampleEtaSpread(plant, null, now, etas, noisy, spreadOptions);
    const wide = sampleEtaSpread(plant, null, now, etas, { ...noisy, p90Scale: { scale: 2, n: 40 } }, spreadOptions);
    for (const o of wide.orders) {
      const p = plain.orders.find((x) => x.order === o.order)!;
      const eta = etas.get(o.order)!;
      expect(o.p50).toBe(p.p50);
      expect(Math.abs(o.p90 - eta - 2 * (p.p90 - eta))).toBeLessThanOrEqual(MIN);
    }
  });

  it('stops at the time limit, but never below the minimum of futures', () => {
    let clock = 0;
    const { samples } = sampleEtaSpread(plant, null, now, etas, noisy, { ...spreadOptions, timeLimitMs: 5, elapsedMs: () => (clock += 10) });
    expect(samples).toBe(8);
  });

  it('quantiles interpolate between neighbours', () => {
    expect(quantile([0, 10], 0.5)).toBe(5);
    expect(quantile([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(90);
    expect(quantile([], 0.9)).toBe(0);
  });
});
