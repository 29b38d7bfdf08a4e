/**
 * The Gantt's backdrop for the rows on screen: time a work center's calendar does not work (one band
 * over all its visible machine rows, fewer nodes than one per row) and open downtime, hatched over the
 * machine it stopped or, for a whole work center, over all of it. Pure, tested without a DOM.
 */
import type { PlanCalendarView } from '$contract/plan.ts';
import { endOf, xOf, type GanttRow, type TimeView } from './gantt-layout.ts';

export interface ShadeBand {
  key: string;
  x: number;
  width: number;
  y: number;
  height: number;
  down: boolean;
}

export function shadeBands(calendar: PlanCalendarView | null, rows: readonly GanttRow[], view: TimeView): ShadeBand[] {
  if (!calendar) return [];
  const from = view.start;
  const to = endOf(view);
  const spans = new Map<string, { y: number; bottom: number }>();
  const machineRows = new Map<string, GanttRow>();
  for (const row of rows) {
    if (row.kind !== 'machine') continue;
    machineRows.set(`${row.workCenter}#${row.machine}`, row);
    const span = spans.get(row.workCenter);
    spans.set(row.workCenter, { y: Math.min(span?.y ?? row.y, row.y), bottom: Math.max(span?.bottom ?? 0, row.y + row.height) });
  }
  const bands: ShadeBand[] = [];
  const band = (key: string, startIso: string, endIso: string, y: number, height: number, down: boolean) => {
    const start = Date.parse(startIso);
    const end = Date.parse(endIso);
    if (end < from || start > to) return;
    const x = Math.max(-1, xOf(view, start));
    bands.push({ key, x, width: Math.max(1, Math.min(view.width + 1, xOf(view, end)) - x), y, height, down });
  };
  for (const wc of calendar.workCenters) {
    const span = spans.get(wc.code);
    if (!span) continue;
    for (const c of wc.closed) band(`c:${wc.code}:${c.from}`, c.from, c.to, span.y, span.bottom - span.y, false);
    for (const d of wc.downtime) {
      const row = d.machine === null ? null : machineRows.get(`${wc.code}#${d.machine}`);
      // A machine scrolled out of view has nothing to hatch; a whole work center hatches its span.
      if (d.machine !== null && !row) continue;
      band(`d:${d.andonId}`, d.from, d.to, row ? row.y : span.y, row ? row.height : span.bottom - span.y, true);
    }
  }
  return bands;
}
