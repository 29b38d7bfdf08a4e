import { describe, expect, it } from 'vitest';
import type { AndonReasonFigure, ScreenKpi } from '../../server/contract/kpis.ts';
import { latencyOption, onTimeOption, paretoOption, responseOption } from '$console/manager/kpi-charts.ts';
import { periodRange, plantDay } from '$console/manager/kpi-period.ts';

type Series = { name: string; type: string; yAxisIndex?: number; data: (number | null)[] };
const seriesOf = (option: Record<string, unknown>) => option.series as Series[];
const categories = (option: Record<string, unknown>) => (option.xAxis as { data: string[] }).data;

const pareto: AndonReasonFigure[] = [
  { reason: 'material', count: 3, share: 0.5, cumulativeShare: 0.5, meanMinutesToAcknowledge: 4, meanMinutesToResolve: 40 },
  { reason: 'quality', count: 2, share: 2 / 6, cumulativeShare: 5 / 6, meanMinutesToAcknowledge: 10, meanMinutesToResolve: null },
  { reason: 'other', count: 1, share: 1 / 6, cumulativeShare: 1, meanMinutesToAcknowledge: 3.04, meanMinutesToResolve: 9 },
];

describe('the manager charts', () => {
  it('on-time: the share per day in percent (none on an empty day) and the completions on the right axis', () => {
    const option = onTimeOption(
      [
        { day: '2026-03-02', completed: 3, onTime: 1, share: 1 / 3 },
        { day: '2026-03-03', completed: 0, onTime: 0, share: null },
      ],
      { fontSize: 13, share: 'On time', completed: 'Completed', day: (d) => d.slice(5) },
    );
    expect(categories(option)).toEqual(['03-02', '03-03']);
    expect(seriesOf(option)).toMatchObject([
      { name: 'On time', type: 'bar', data: [33.3, null] },
      { name: 'Completed', type: 'line', yAxisIndex: 1, data: [3, 0] },
    ]);
  });

  it('Pareto: counts largest first, the cumulative share as a line in percent', () => {
    const option = paretoOption(pareto, { fontSize: 13, count: 'Alerts', cumulative: 'Cumulative', reason: (r) => r.toUpperCase() });
    expect(categories(option)).toEqual(['MATERIAL', 'QUALITY', 'OTHER']);
    expect(seriesOf(option)).toMatchObject([
      { type: 'bar', data: [3, 2, 1] },
      { type: 'line', yAxisIndex: 1, data: [50, 83.3, 100] },
    ]);
  });

  it('response times: minutes to acknowledge and to resolve per reason, one decimal, none where nothing resolved', () => {
    const text = { fontSize: 13, acknowledge: 'Ack', resolve: 'Resolve', minutes: 'min', seconds: 's', reason: (r: string) => r };
    const option = responseOption(pareto, text);
    expect(seriesOf(option).map((s) => s.data)).toEqual([
      [4, 10, 3],
      [40, null, 9],
    ]);
    expect((option.yAxis as { name: string }).name).toBe('min');
    // A quick floor: every mean under a minute, shown in seconds.
    const quick = responseOption([{ ...pareto[0]!, meanMinutesToAcknowledge: 0.25, meanMinutesToResolve: 0.9 }], text);
    expect(seriesOf(quick).map((s) => s.data)).toEqual([[15], [54]]);
    expect((quick.yAxis as { name: string }).name).toBe('s');
  });

  it('latency: p50 and p95 per screen; more than two screens tilt their names', () => {
    const screen = (name: string, p50: number | null, p95: number | null): ScreenKpi => ({
      screen: name, kind: 'board', samples: p50 === null ? 0 : 10, latencyP50Ms: p50, latencyP95Ms: p95,
      lastHeartbeatAt: '2026-03-02T00:00:00Z', newestMessageAt: null, dataAgeSeconds: null,
    });
    const option = latencyOption([screen('board/A', 40, 90), screen('board/B', null, null)], { fontSize: 13, p50: 'p50', p95: 'p95', ms: 'ms' });
    expect(categories(option)).toEqual(['board/A', 'board/B']);
    expect((option.xAxis as { axisLabel: { rotate: number } }).axisLabel.rotate).toBe(0);
    expect(seriesOf(option).map((s) => s.data)).toEqual([
      [40, null],
      [90, null],
    ]);
    const many = latencyOption(Array.from({ length: 3 }, (_, i) => screen(`s${i}`, 1, 2)), { fontSize: 13, p50: 'p50', p95: 'p95', ms: 'ms' });
    expect((many.xAxis as { axisLabel: { rotate: number } }).axisLabel.rotate).toBe(30);
  });
});

describe('the period picker', () => {
  // 2026-03-04 09:30 in Shanghai (UTC+8) is 01:30 UTC.
  const now = Date.parse('2026-03-04T01:30:00Z');
  const zone = 'Asia/Shanghai';

  it('presets start at a plant midnight and run to now', () => {
    expect(plantDay(now, zone)).toBe('2026-03-04');
    expect(plantDay(Date.parse('2026-03-03T15:59:59Z'), zone)).toBe('2026-03-03');
    const to = '2026-03-04T01:30:00.000Z';
    expect(periodRange({ preset: 'today', fromDay: '', toDay: '' }, now, zone)).toEqual({ from: '2026-03-03T16:00:00.000Z', to });
    expect(periodRange({ preset: '7d', fromDay: '', toDay: '' }, now, zone)).toEqual({ from: '2026-02-25T16:00:00.000Z', to });
    expect(periodRange({ preset: '30d', fromDay: '', toDay: '' }, now, zone)).toEqual({ from: '2026-02-02T16:00:00.000Z', to });
  });

  it('a custom period covers its plant days whole; an unreadable or reversed one is none', () => {
    expect(periodRange({ preset: 'custom', fromDay: '2026-03-01', toDay: '2026-03-02' }, now, zone)).toEqual({
      from: '2026-02-28T16:00:00.000Z',
      to: '2026-03-02T16:00:00.000Z',
    });
    expect(periodRange({ preset: 'custom', fromDay: '2026-03-02', toDay: '2026-03-02' }, now, 'UTC')).toEqual({
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
    });
    expect(periodRange({ preset: 'custom', fromDay: '2026-03-03', toDay: '2026-03-02' }, now, zone)).toBeNull();
    expect(periodRange({ preset: 'custom', fromDay: '', toDay: '2026-03-02' }, now, zone)).toBeNull();
  });
});
