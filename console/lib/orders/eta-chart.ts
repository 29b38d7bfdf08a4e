import type { EChartsCoreOption } from 'echarts/core';
import type { OrderDetail } from '$contract/orders.ts';
import { ticks } from '$console/plan/gantt-layout.ts';

/**
 * The order page's ETA history chart as an ECharts option, built without ECharts so it is tested
 * without a DOM (tests/ui/eta-chart.test.ts). Both axes are plain value axes over epoch ms: ECharts
 * neither stacks time axes (the P50–P90 band is a stack: P50, then P90 − P50 filled) nor puts time
 * ticks on the plant's hours, so the ticks come from the Gantt's plant-aligned tick rule.
 */

export interface EtaChartText {
  eta: string;
  band: string;
  due: string;
  /** An instant as the page shows it (plant time): the ETA axis and the tooltip. */
  time: (ms: number) => string;
  /** The when-axis: the plant's date at its midnights, its clock time between them. */
  day: (ms: number) => string;
  clock: (ms: number) => string;
}

const DAY_MS = 86_400_000;

/** A tick on the when-axis: "12-03" at plant midnight (where the day changes), "14:00" otherwise. */
export function whenTickLabel(ms: number, offsetMs: number, text: Pick<EtaChartText, 'day' | 'clock'>): string {
  return (((ms + offsetMs) % DAY_MS) + DAY_MS) % DAY_MS === 0 ? text.day(ms) : text.clock(ms);
}

export interface EtaPoint {
  at: number;
  eta: number;
  p50: number | null;
  p90: number | null;
}

type History = OrderDetail['etaHistory'];

/** Oldest first, with the latest ETA carried to `now` so the step line reaches the present. */
export function etaPoints(history: History, now: number): EtaPoint[] {
  const points = history
    .map((h) => ({ at: Date.parse(h.at), eta: Date.parse(h.eta), p50: h.p50 ? Date.parse(h.p50) : null, p90: h.p90 ? Date.parse(h.p90) : null }))
    .filter((p) => !Number.isNaN(p.at) && !Number.isNaN(p.eta))
    .sort((a, b) => a.at - b.at);
  const last = points.at(-1);
  if (last && now > last.at) points.push({ ...last, at: now });
  return points;
}

/** An axis over [lo, hi] with plant-aligned ticks about `minGapPx` apart over `lengthPx`. */
export function timeAxisRange(lo: number, hi: number, lengthPx: number, offsetMs: number): { min: number; max: number; interval: number } {
  const span = Math.max(hi - lo, 30 * 60_000);
  const pixelsPerHour = lengthPx / (span / 3_600_000);
  const inside = ticks({ start: lo, pixelsPerHour, width: lengthPx }, offsetMs);
  const interval = inside.length > 1 ? inside[1]! - inside[0]! : 3_600_000;
  const min = Math.floor((lo + offsetMs) / interval) * interval - offsetMs;
  const max = Math.ceil((Math.max(hi, lo + span) + offsetMs) / interval) * interval - offsetMs;
  return { min, max: max === min ? min + interval : max, interval };
}

export interface EtaChartInput {
  history: History;
  dueAt: string;
  now: number;
  /** The plant's offset from UTC (ms), so ticks fall on its hours and midnights. */
  offsetMs: number;
  width: number;
  height: number;
  text: EtaChartText;
}

export function etaChartOption({ history, dueAt, now, offsetMs, width, height, text }: EtaChartInput): EChartsCoreOption {
  const points = etaPoints(history, now);
  const due = Date.parse(dueAt);
  const ys = [due, ...points.flatMap((p) => [p.eta, p.p50, p.p90].filter((v): v is number => v !== null))];
  const first = points[0]?.at ?? now;
  const compact = width < 500;
  // A history shorter than an hour (a new order) sits in the middle of an hour, not squeezed to an edge.
  const pad = Math.max(0, 3_600_000 - (now - first)) / 2;
  const x = timeAxisRange(first - pad, now + pad, width - (compact ? 70 : 110), offsetMs);
  const hasBand = points.some((p) => p.p50 !== null && p.p90 !== null);
  const y = timeAxisRange(Math.min(...ys), Math.max(...ys), height - 90, offsetMs);
  const label = (value: number) => text.time(value);
  const xy = (pick: (p: EtaPoint) => number | null) => points.map((p) => [p.at, pick(p)]);
  return {
    animation: false,
    grid: { left: compact ? 62 : 96, right: compact ? 12 : 24, top: 36, bottom: 40 },
    legend: { top: 0, left: 'center', itemGap: 16, data: hasBand ? [text.eta, text.band] : [text.eta] },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const at = (params as { value: [number, number | null] }[])[0]?.value[0];
        const p = points.find((pt) => pt.at === at);
        if (!p) return '';
        const band = p.p50 !== null && p.p90 !== null ? `<br>${text.band}: ${label(p.p50)} – ${label(p.p90)}` : '';
        return `${label(p.at)}<br><b>${text.eta}: ${label(p.eta)}</b>${band}`;
      },
    },
    xAxis: {
      type: 'value',
      ...x,
      axisLabel: { formatter: (value: number) => whenTickLabel(value, offsetMs, text), hideOverlap: true, fontSize: compact ? 10 : 12 },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      ...y,
      axisLabel: { formatter: label, fontSize: compact ? 10 : 12 },
      splitLine: { lineStyle: { color: '#e2e8f0' } },
    },
    series: [
      { name: text.band, type: 'line', stack: 'band', step: 'end', symbol: 'none', silent: true, color: '#93c5fd', lineStyle: { opacity: 0 }, data: xy((p) => p.p50), tooltip: { show: false } },
      {
        name: text.band,
        type: 'line',
        stack: 'band',
        step: 'end',
        symbol: 'none',
        silent: true,
        color: '#93c5fd',
        lineStyle: { opacity: 0 },
        areaStyle: { color: 'rgba(59, 130, 246, 0.22)' },
        data: xy((p) => (p.p50 !== null && p.p90 !== null ? p.p90 - p.p50 : null)),
      },
      {
        name: text.eta,
        type: 'line',
        step: 'end',
        color: '#1d4ed8',
        symbolSize: 5,
        lineStyle: { width: 2 },
        data: xy((p) => p.eta),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#dc2626', type: 'dashed', width: 1.5 },
          label: { formatter: `${text.due} ${label(due)}`, position: 'insideEndTop', color: '#b91c1c', fontSize: compact ? 10 : 12 },
          data: [{ yAxis: due }],
        },
      },
    ],
  };
}
