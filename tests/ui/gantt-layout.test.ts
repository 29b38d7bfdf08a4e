import { describe, expect, it } from 'vitest';
import {
  barBox,
  buildRows,
  endOf,
  instantAt,
  packLanes,
  pan,
  snap,
  snapStepMs,
  tickInterval,
  ticks,
  timeScale,
  totalHeight,
  visibleBars,
  visibleRows,
  xOf,
  zoomAt,
  zoomBounds,
  zoomLevels,
  zoomTo,
  type TimeView,
} from '$console/plan/gantt-layout.ts';

const H = 3_600_000;
const MONDAY = Date.UTC(2026, 0, 5);
const view: TimeView = { start: MONDAY, pixelsPerHour: 60, width: 1200 };

describe('time scale', () => {
  it('maps instants to pixels and back, and agrees with d3-scale', () => {
    expect(xOf(view, MONDAY + 2 * H)).toBe(120);
    expect(instantAt(view, 120)).toBe(MONDAY + 2 * H);
    expect(endOf(view)).toBe(MONDAY + 20 * H);
    expect(timeScale(view)(new Date(MONDAY + 2 * H))).toBeCloseTo(120, 6);
  });

  it('pans by pixels and zooms around the cursor, within bounds', () => {
    expect(pan(view, 60).start).toBe(MONDAY - H);
    const zoomed = zoomAt(view, 300, 2);
    expect(zoomed.pixelsPerHour).toBe(120);
    expect(instantAt(zoomed, 300)).toBe(instantAt(view, 300));
    expect(zoomAt(view, 0, 1e6).pixelsPerHour).toBe(zoomBounds.maxPixelsPerHour);
    const day = zoomTo(view, 'day');
    expect(day.pixelsPerHour).toBe(zoomLevels.day);
    expect(instantAt(day, view.width / 2)).toBe(instantAt(view, view.width / 2));
  });

  it('spaces ticks at least 60 px apart on readable intervals, on local midnight for a plant time zone', () => {
    expect(tickInterval({ ...view, pixelsPerHour: 240 })).toBe(15 * 60_000);
    expect(tickInterval(view)).toBe(H);
    expect(tickInterval({ ...view, pixelsPerHour: 12 })).toBe(8 * H);
    expect(tickInterval({ ...view, pixelsPerHour: 3 })).toBe(24 * H);
    expect(tickInterval({ ...view, pixelsPerHour: 2 })).toBe(7 * 24 * H);
    const dayView = { start: MONDAY, pixelsPerHour: 3, width: 300 };
    const dayTicks = ticks(dayView, 8 * H);
    // Asia/Shanghai (UTC+8): local midnight is 16:00 UTC the day before.
    expect(dayTicks.map((t) => new Date(t + 8 * H).toISOString().slice(11, 16))).toEqual(['00:00', '00:00', '00:00', '00:00']);
    for (let i = 1; i < dayTicks.length; i++) expect(xOf(dayView, dayTicks[i]!) - xOf(dayView, dayTicks[i - 1]!)).toBeGreaterThanOrEqual(60);
  });

  it('snaps to 5, 15 or 60 minutes by zoom, in plant time', () => {
    expect(snapStepMs({ ...view, pixelsPerHour: 240 })).toBe(5 * 60_000);
    expect(snapStepMs(view)).toBe(15 * 60_000);
    expect(snapStepMs({ ...view, pixelsPerHour: 12 })).toBe(H);
    expect(snap(MONDAY + 7 * 60_000, 15 * 60_000)).toBe(MONDAY);
    expect(snap(MONDAY + 8 * 60_000, 15 * 60_000)).toBe(MONDAY + 15 * 60_000);
    // A half-hour zone (India): hours snap to local hours.
    expect(new Date(snap(MONDAY + 20 * 60_000, H, 5.5 * H) + 5.5 * H).toISOString().slice(14, 16)).toBe('00');
  });
});

describe('rows', () => {
  const centers = [
    { code: 'SAW', name: 'Saw', line: 'L1', machines: 1 },
    { code: 'LATHE', name: 'Lathe', line: 'L1', machines: 3 },
    { code: 'WELD', name: 'Weld', line: 'L2', machines: 2 },
  ];

  it('stacks lines, work centers and one row per machine; collapsing hides what is under a header', () => {
    const rows = buildRows(centers);
    expect(rows.map((r) => r.key)).toEqual(['line:L1', 'wc:SAW', 'SAW#1', 'wc:LATHE', 'LATHE#1', 'LATHE#2', 'LATHE#3', 'line:L2', 'wc:WELD', 'WELD#1', 'WELD#2']);
    expect(totalHeight(rows)).toBe(5 * 28 + 6 * 32);
    const folded = buildRows(centers, { collapsed: new Set(['wc:LATHE', 'line:L2']) });
    expect(folded.map((r) => r.key)).toEqual(['line:L1', 'wc:SAW', 'SAW#1', 'wc:LATHE', 'line:L2']);
  });

  it('gives a machine with overlapping bars one lane per overlap', () => {
    const rows = buildRows(centers, { lanes: new Map([['LATHE#2', 3]]) });
    const lathe2 = rows.find((r) => r.key === 'LATHE#2');
    expect(lathe2).toMatchObject({ kind: 'machine', lanes: 3, height: 96 });
    expect(rows.find((r) => r.key === 'LATHE#3')!.y).toBe(lathe2!.y + 96);
  });

  it('puts only the rows in the viewport (plus overscan) in the DOM, at 120 machines', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ code: `WC${i}`, name: `WC${i}`, line: `L${i % 3}`, machines: 3 }));
    const rows = buildRows(many);
    expect(rows.filter((r) => r.kind === 'machine')).toHaveLength(120);
    const shown = visibleRows(rows, 1000, 600, 2);
    expect(shown.length).toBeLessThan(30);
    expect(shown[0]!.y).toBeLessThanOrEqual(1000);
    expect(shown.at(-1)!.y + shown.at(-1)!.height).toBeGreaterThanOrEqual(1600);
    expect(visibleRows(rows, 0, 600, 0)[0]!.key).toBe(rows[0]!.key);
    expect(visibleRows(rows, totalHeight(rows) + 100, 600, 0)).toEqual([]);
  });
});

describe('bars', () => {
  const bar = (key: string, startH: number, endH: number) => ({ key, start: MONDAY + startH * H, end: MONDAY + endH * H });

  it('keeps a machine one lane when jobs follow each other, and shows a conflict in a lane of its own', () => {
    expect(packLanes([bar('a', 0, 2), bar('b', 2, 3), bar('c', 3, 5)]).lanes).toBe(1);
    const { placed, lanes } = packLanes([bar('b', 1, 3), bar('a', 0, 2), bar('c', 2.5, 4)]);
    expect(lanes).toBe(2);
    expect(placed.map((p) => [p.bar.key, p.lane])).toEqual([['a', 0], ['b', 1], ['c', 0]]);
  });

  it('finds the bars of a row that reach into the window without scanning the row from the start', () => {
    const bars = Array.from({ length: 2000 }, (_, i) => bar(`op${i}`, i, i + 1));
    const { placed } = packLanes(bars);
    const shown = visibleBars(placed, MONDAY + 100.5 * H, MONDAY + 110 * H, H);
    expect(shown.map((p) => p.bar.key)).toEqual(Array.from({ length: 11 }, (_, i) => `op${100 + i}`));
    const long = packLanes([bar('long', 0, 500), ...bars.slice(600, 700)]).placed;
    expect(visibleBars(long, MONDAY + 400 * H, MONDAY + 401 * H, 500 * H).map((p) => p.bar.key)).toEqual(['long']);
  });

  it('clips a long bar to the view and keeps a short one visible', () => {
    expect(barBox(view, bar('x', -100, 100), 0)).toMatchObject({ x: -1, width: view.width + 2 });
    expect(barBox(view, { key: 'y', start: MONDAY + H, end: MONDAY + H + 1000 }, 1)).toMatchObject({ x: 60, width: 2, y: 35 });
  });
});
