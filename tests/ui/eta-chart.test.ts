import { describe, expect, it } from 'vitest';
import { etaChartOption, etaPoints, timeAxisRange } from '$console/orders/eta-chart.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-03-04T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
// Newest first, as the API sends it.
const history = [
  { eta: iso(T0 + 30 * H), p50: iso(T0 + 31 * H), p90: iso(T0 + 34 * H), at: iso(T0 + 6 * H), version: 3 },
  { eta: iso(T0 + 26 * H), p50: null, p90: null, at: iso(T0 + 2 * H), version: 2 },
];
const text = { eta: 'ETA', band: 'P50–P90', due: 'Due', time: (ms: number) => `t${(ms - T0) / H}`, day: (ms: number) => `d${(ms - T0) / H}`, clock: (ms: number) => `c${(ms - T0) / H}` };

type Series = { name: string; stack?: string; data: [number, number | null][]; markLine?: { data: { yAxis: number }[] } };

describe('the ETA history chart', () => {
  it('plots oldest first and carries the latest ETA to now', () => {
    const points = etaPoints(history, T0 + 9 * H);
    expect(points.map((p) => p.at)).toEqual([T0 + 2 * H, T0 + 6 * H, T0 + 9 * H]);
    expect(points[2]).toMatchObject({ eta: T0 + 30 * H, p90: T0 + 34 * H });
    expect(points[0]).toMatchObject({ p50: null, p90: null });
  });

  it('draws the band as P50 plus (P90 − P50) stacked, the ETA as a step line and the due date as a line', () => {
    const option = etaChartOption({ history, dueAt: iso(T0 + 28 * H), now: T0 + 9 * H, offsetMs: 0, width: 800, height: 300, text });
    const series = option.series as Series[];
    expect(series.map((s) => s.stack ?? null)).toEqual(['band', 'band', null]);
    expect(series[0]!.data.map(([, y]) => y)).toEqual([null, T0 + 31 * H, T0 + 31 * H]);
    expect(series[1]!.data.map(([, y]) => y)).toEqual([null, 3 * H, 3 * H]);
    expect(series[2]!.data.map(([, y]) => y)).toEqual([T0 + 26 * H, T0 + 30 * H, T0 + 30 * H]);
    expect(series[2]!.markLine!.data).toEqual([{ yAxis: T0 + 28 * H }]);
  });

  it('keeps the due date, the ETAs and the band inside the y axis, with ticks on plant hours', () => {
    const option = etaChartOption({ history, dueAt: iso(T0 + 20 * H), now: T0 + 9 * H, offsetMs: 8 * H, width: 800, height: 300, text });
    const y = option.yAxis as { min: number; max: number; interval: number };
    expect(y.min).toBeLessThanOrEqual(T0 + 20 * H);
    expect(y.max).toBeGreaterThanOrEqual(T0 + 34 * H);
    expect((y.min + 8 * H) % y.interval).toBe(0);
    // The when-axis names the day at plant midnight (16:00 UTC in Shanghai) and the hour elsewhere.
    const tick = (option.xAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter;
    expect(tick(T0 + 4 * H)).toBe('c4');
    expect(tick(T0 + 16 * H)).toBe('d16');
    expect((option.yAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter(T0 + 16 * H)).toBe('t16');
  });

  it('spaces ticks by the room the axis has', () => {
    const wide = timeAxisRange(T0, T0 + 24 * H, 1200, 0);
    const narrow = timeAxisRange(T0, T0 + 24 * H, 300, 0);
    expect(narrow.interval).toBeGreaterThan(wide.interval);
    expect(wide.min).toBeLessThanOrEqual(T0);
    expect(wide.max).toBeGreaterThanOrEqual(T0 + 24 * H);
  });
});
