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
/** Every reason named (there are five at most): ECharts would otherwise skip some to avoid overlap. */
const EVERY_LABEL = { interval: 0 } as const;
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
    xAxis: { type: 'category', data: pareto.map((r) => text.reason(r.reason)), axisLabel: { ...axisText(text), ...EVERY_LABEL } },
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

const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/**
 * Mean time to acknowledge and to resolve per reason, side by side: in minutes, or in seconds when
 * every mean is under a minute (a quick floor would otherwise show empty bars).
 */
export function responseOption(
  pareto: AndonReasonFigure[],
  text: ChartText & { acknowledge: string; resolve: string; minutes: string; seconds: string; reason: (reason: string) => string },
): EChartsCoreOption {
  const longest = Math.max(0, ...pareto.flatMap((r) => [r.meanMinutesToAcknowledge ?? 0, r.meanMinutesToResolve ?? 0]));
  const scale = longest > 0 && longest < 1 ? 60 : 1;
  const value = (minutes: number | null) => oneDecimal(minutes === null ? null : minutes * scale);
  const unit = scale === 60 ? text.seconds : text.minutes;
  return {
    ...frame(text, true),
    xAxis: { type: 'category', data: pareto.map((r) => text.reason(r.reason)), axisLabel: { ...axisText(text), ...EVERY_LABEL } },
    yAxis: { type: 'value', name: unit, nameTextStyle: axisText(text), axisLabel: axisText(text) },
    series: [
      { name: text.acknowledge, type: 'bar', data: pareto.map((r) => value(r.meanMinutesToAcknowledge)), itemStyle: { color: AMBER }, barMaxWidth: 40 },
      { name: text.resolve, type: 'bar', data: pareto.map((r) => value(r.meanMinutesToResolve)), itemStyle: { color: BLUE }, barMaxWidth: 40 },
    ],
  };
}

/** p50 and p95 sync latency per screen (ms), in the answer's order; screen names are long, so past two they tilt. */
export function latencyOption(screens: ScreenKpi[], text: ChartText & { p50: string; p95: string; ms: string }): EChartsCoreOption {
  return {
    ...frame(text, true),
    xAxis: { type: 'category', data: screens.map((s) => s.screen), axisLabel: { ...axisText(text), interval: 0, rotate: screens.length > 2 ? 30 : 0 } },
    yAxis: { type: 'value', name: text.ms, nameTextStyle: axisText(text), axisLabel: axisText(text) },
    series: [
      { name: text.p50, type: 'bar', data: screens.map((s) => s.latencyP50Ms), itemStyle: { color: BLUE }, barMaxWidth: 40 },
      { name: text.p95, type: 'bar', data: screens.map((s) => s.latencyP95Ms), itemStyle: { color: AMBER }, barMaxWidth: 40 },
    ],
  };
}
