import { describe, expect, it } from 'vitest';
import { paretoChartOption, percent, periodEnding } from '$console/quality/pareto-chart.ts';
import type { ScrapPareto } from '../../server/contract/quality.ts';

const pareto: ScrapPareto = {
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-03-08T00:00:00.000Z',
  by: 'reason',
  totalQuantity: 30,
  totalReports: 6,
  rows: [
    { key: 'crack', name: null, reports: 3, quantity: 20, share: 2 / 3, cumulativeShare: 2 / 3 },
    { key: 'burr', name: null, reports: 2, quantity: 7, share: 7 / 30, cumulativeShare: 27 / 30 },
    { key: null, name: null, reports: 1, quantity: 3, share: 0.1, cumulativeShare: 1 },
  ],
};

type Series = { type: string; yAxisIndex: number; data: number[] };

describe('the scrap Pareto chart', () => {
  it('bars of quantity, largest first, and the cumulative share as a line on a 0-100 % axis', () => {
    const option = paretoChartOption(pareto, { quantity: 'Scrap', cumulative: 'Cumulative', label: (r) => r.key ?? 'no reason given' });
    expect((option.xAxis as { data: string[] }).data).toEqual(['crack', 'burr', 'no reason given']);
    const [bars, line] = option.series as Series[];
    expect(bars).toMatchObject({ type: 'bar', yAxisIndex: 0, data: [20, 7, 3] });
    expect(line).toMatchObject({ type: 'line', yAxisIndex: 1, data: [66.7, 90, 100] });
    expect((option.yAxis as { min?: number; max?: number }[])[1]).toMatchObject({ min: 0, max: 100 });
  });

  it('percent keeps one decimal; the period ends now', () => {
    expect([percent(1 / 3), percent(0.5), percent(1)]).toEqual([33.3, 50, 100]);
    expect(periodEnding(Date.parse('2026-03-08T00:00:00Z'), 7)).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' });
  });
});
