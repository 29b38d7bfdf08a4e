import { describe, expect, it } from 'vitest';
import { etaFigures, percentile, type OrderRecord } from '../bench/eta/figures.ts';
import { runMonth } from '../bench/eta/month.ts';
import { spreadAt } from '../bench/eta/spread.ts';

const HOUR_MS = 3_600_000;

// bench:eta on a short run: construction only, so the same seed gives the same figures on any
// machine (the live loop's budget is wall-clock time, which no test can repeat).
describe('bench:eta', () => {
  const figuresOf = (seed: number) => {
    const month = runMonth({ seed, days: 5, engine: 'construction', quoteEvery: 4, spread: spreadAt({ seed, samples: 20 }) });
    return { month, figures: etaFigures(month.records, month.end) };
  };
  const { month, figures } = figuresOf(1);

  it('gives the issue shape: errors >= 0, shares in 0..1', () => {
    expect(month.planErrors).toEqual([]);
    expect(figures.orders).toBeGreaterThan(0);
    for (const column of [figures.static, figures.live48, figures.live24]) {
      expect(Object.keys(column).sort()).toEqual(['maeHours', 'p90Hours']);
      // A 5-day run may leave a live column empty (NaN); what it reports is never negative.
      for (const x of [column.maeHours, column.p90Hours]) if (!Number.isNaN(x)) expect(x).toBeGreaterThanOrEqual(0);
    }
    expect(figures.static.maeHours).toBeGreaterThanOrEqual(0);
    for (const x of [figures.p50Met, figures.p90Met, figures.quotesMet]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
    expect(month.quotes.asked).toBeGreaterThan(0);
    expect(month.spreadCalls).toBeGreaterThan(0);
    // A P90 is never before its P50.
    for (const r of month.records) if (r.p50 !== undefined) expect(r.p90!).toBeGreaterThanOrEqual(r.p50);
  });

  it('is seeded: the same seed gives the same figures, another seed others', () => {
    expect(JSON.stringify(figuresOf(1).figures)).toBe(JSON.stringify(figures));
    expect(JSON.stringify(figuresOf(2).figures)).not.toBe(JSON.stringify(figures));
  });
});

describe('ETA figures', () => {
  const at = (hours: number) => Date.UTC(2026, 11, 1) + hours * HOUR_MS;
  const record = (r: Partial<OrderRecord>): OrderRecord => ({ code: 'SO', arrivedAt: at(0), releaseAt: at(0), dueAt: at(100), quoted: false, ...r });

  it('takes absolute errors in hours, the 90th percentile by nearest rank, and compares the static plan on the live column\'s orders', () => {
    const f = etaFigures(
      [
        record({ completedAt: at(50), staticEta: at(40), live48: at(48), p50: at(49) }),
        record({ completedAt: at(50), staticEta: at(54) }),
        record({ completedAt: at(50), staticEta: at(50), live48: at(51), p50: at(53) }),
      ],
      at(200),
    );
    expect(f.static).toEqual({ maeHours: 4.67, p90Hours: 10 });
    expect(f.live48).toEqual({ maeHours: 1.5, p90Hours: 2 });
    expect(f.details.staticOnLive48.maeHours).toBe(5);
    expect(f.details.gain48).toBe(0.7);
    expect(f.details.p50At48.maeHours).toBe(2);
    expect(f.details.gainP50At48).toBe(0.6);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });

  it('counts an open order whose date passed as missed and one whose date is ahead as undecided', () => {
    const f = etaFigures(
      [
        record({ quoted: true, completedAt: at(90) }),
        record({ quoted: true, dueAt: at(150) }),
        record({ quoted: true, dueAt: at(250) }),
      ],
      at(200),
    );
    expect(f.quotesMet).toBe(0.5);
    expect(f.details.shares.quotes).toEqual({ met: 1, decided: 2, undecided: 1 });
    expect(f.details.openAtEnd).toBe(2);
  });
});
