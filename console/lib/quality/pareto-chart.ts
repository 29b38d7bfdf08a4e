import type { EChartsCoreOption } from 'echarts/core';
import type { ScrapPareto, ScrapParetoRow } from '$contract/quality.ts';

/**
 * The scrap Pareto as an ECharts option, built without ECharts so it is tested without a DOM
 * (tests/ui/pareto-chart.test.ts): bars of scrap quantity, largest first, on the left axis, and the
 * cumulative share as a line on a 0–100 % right axis.
 */

export interface ParetoChartText {
  quantity: string;
  cumulative: string;
  /** The row's label: its name or code, or "no reason given". */
  label: (row: ScrapParetoRow) => string;
}

const BAR = '#b45309';
const LINE = '#1d4ed8';

const DAY_MS = 86_400_000;

/** The Pareto's period: the last `days` days up to `now`, as the API takes it. */
export function periodEnding(now: number, days: number): { from: string; to: string } {
  return { from: new Date(now - days * DAY_MS).toISOString(), to: new Date(now).toISOString() };
}

/** Percent with one decimal at most: 0.9 -> 90, 1/3 -> 33.3. */
export const percent = (share: number) => Math.round(share * 1000) / 10;

export function paretoChartOption(pareto: ScrapPareto, text: ParetoChartText): EChartsCoreOption {
  const labels = pareto.rows.map(text.label);
  return {
    animation: false,
    grid: { left: 56, right: 56, top: 36, bottom: 64 },
    legend: { top: 0, data: [text.quantity, text.cumulative] },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0, width: 120, overflow: 'truncate' } },
    yAxis: [
      { type: 'value', name: text.quantity, minInterval: 1 },
      { type: 'value', name: text.cumulative, min: 0, max: 100, interval: 25, axisLabel: { formatter: '{value} %' }, splitLine: { show: false } },
    ],
    series: [
      { name: text.quantity, type: 'bar', yAxisIndex: 0, data: pareto.rows.map((r) => r.quantity), itemStyle: { color: BAR }, barMaxWidth: 56 },
      {
        name: text.cumulative,
        type: 'line',
        yAxisIndex: 1,
        data: pareto.rows.map((r) => percent(r.cumulativeShare)),
        itemStyle: { color: LINE },
        lineStyle: { color: LINE, width: 2 },
        symbolSize: 7,
        // A light backing keeps the figure readable where the line crosses a bar.
        label: { show: true, position: 'top', formatter: '{c} %', color: LINE, backgroundColor: 'rgba(255,255,255,0.85)', padding: [1, 3], borderRadius: 2 },
      },
    ],
  };
}
