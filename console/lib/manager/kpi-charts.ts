import type { EChartsCoreOption } from 'echarts/core';
import type { AndonReasonFigure, OnTimeDay, ScreenKpi } from '$contract/kpis.ts';

/**
 * The manager page's charts as ECharts options, built without ECharts so they are tested without a
 * DOM (tests/ui/kpi-charts.test.ts). Sized for a wall screen: the text scales with `fontSize`.
 */

export interface ChartText {
  fontSize: number;
}

const BLUE = '#2563eb';
const AMBER = '#d97706';
const RED = '#dc2626';
const GREY = '#64748b';
const percent = (share: number) => Math.round(share * 1000) / 10;

function axisText(text: ChartText) {
  return { fontSize: text.fontSize, color: '#334155' };
}

function frame(text: ChartText, legend: boolean): EChartsCoreOption {
  return {
    animation: false,
    textStyle: { fontSize: text.fontSize },
    grid: { left: 12, right: 20, top: legend ? text.fontSize * 3 : 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', textStyle: { fontSize: text.fontSize } },
    ...(legend ? { legend: { top: 0, textStyle: { fontSize: text.fontSize } } } : {}),
  };
}

/** On-time share per plant day (bars, %) with the completions behind each (line, right axis). */
export function onTimeOption(daily: OnTimeDay[], text: ChartText & { share: string; completed: string; day: (day: string) => string }): EChartsCoreOption {
  return {
    ...frame(text, true),
    xAxis: { type: 'category', data: daily.map((d) => text.day(d.day)), axisLabel: axisText(text) },
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { ...axisText(text), formatter: '{value} %' } },
      { type: 'value', minInterval: 1, axisLabel: axisText(text), splitLine: { show: false } },
    ],
    series: [
      { name: text.share, type: 'bar', data: daily.map((d) => (d.share === null ? null : percent(d.share))), itemStyle: { color: BLUE }, barMaxWidth: 48 },
      { name: text.completed, type: 'line', yAxisIndex: 1, data: daily.map((d) => d.completed), itemStyle: { color: GREY }, symbolSize: 8 },
    ],
  };
}

/** Alerts per reason, largest first (bars), and the cumulative share (line, right axis, %). */
export function paretoOption(pareto: AndonReasonFigure[], text: ChartText & { count: string; cumulative: string; reason: (reason: string) => string }): EChartsCoreOption {
  return {
    ...frame(text, true),
    xAxis: { type: 'category', data: pareto.map((r) => text.reason(r.reason)), axisLabel: axisText(text) },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: axisText(text) },
      { type: 'value', min: 0, max: 100, axisLabel: { ...axisText(text), formatter: '{value} %' }, splitLine: { show: false } },
    ],
    series: [
      { name: text.count, type: 'bar', data: pareto.map((r) => r.count), itemStyle: { color: RED }, barMaxWidth: 64 },
      { name: text.cumulative, type: 'line', yAxisIndex: 1, data: pareto.map((r) => percent(r.cumulativeShare)), itemStyle: { color: GREY }, symbolSize: 8 },
    ],
  };
}

const oneDecimal = (minutes: number | null) => (minutes === null ? null : Math.round(minutes * 10) / 10);

/** Mean minutes to acknowledge and to resolve per reason, side by side. */
export function responseOption(pareto: AndonReasonFigure[], text: ChartText & { acknowledge: string; resolve: string; minutes: string; reason: (reason: string) => string }): EChartsCoreOption {
  return {
    ...frame(text, true),
    xAxis: { type: 'category', data: pareto.map((r) => text.reason(r.reason)), axisLabel: axisText(text) },
    yAxis: { type: 'value', name: text.minutes, nameTextStyle: axisText(text), axisLabel: axisText(text) },
    series: [
      { name: text.acknowledge, type: 'bar', data: pareto.map((r) => oneDecimal(r.meanMinutesToAcknowledge)), itemStyle: { color: AMBER }, barMaxWidth: 40 },
      { name: text.resolve, type: 'bar', data: pareto.map((r) => oneDecimal(r.meanMinutesToResolve)), itemStyle: { color: BLUE }, barMaxWidth: 40 },
    ],
  };
}

/** p50 and p95 sync latency per screen (ms), the screens in the answer's order. */
export function latencyOption(screens: ScreenKpi[], text: ChartText & { p50: string; p95: string; ms: string }): EChartsCoreOption {
  return {
    ...frame(text, true),
    xAxis: { type: 'category', data: screens.map((s) => s.screen), axisLabel: { ...axisText(text), interval: 0, rotate: screens.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name: text.ms, nameTextStyle: axisText(text), axisLabel: axisText(text) },
    series: [
      { name: text.p50, type: 'bar', data: screens.map((s) => s.latencyP50Ms), itemStyle: { color: BLUE }, barMaxWidth: 40 },
      { name: text.p95, type: 'bar', data: screens.map((s) => s.latencyP95Ms), itemStyle: { color: AMBER }, barMaxWidth: 40 },
    ],
  };
}
