import { andonEffects } from '../contract/andon-effects.ts';
import type { PlanCalendarView } from '../contract/plan.ts';
import type { Queryable } from '../db/connect.ts';
import { estimatedAndonEnd, selectOpenAndons } from '../db/repositories/andon.ts';
import { compileCalendar, expandCalendar, subtractIntervals } from '../../scheduler/engine/calendar.ts';
import type { Calendar } from '../../scheduler/engine/model.ts';

/** A Gantt shows weeks, not years: longer windows are refused (400 naming `to`). */

const pairsToSpans = (pairs: number[]) => {
  const spans: { from: string; to: string }[] = [];
  for (let i = 0; i < pairs.length; i += 2) spans.push({ from: new Date(pairs[i]!).toISOString(), to: new Date(pairs[i + 1]!).toISOString() });
  return spans;
};

/**
 * What the Gantt shades per work center within [from, to): closed calendar time (the engine's own
 * calendar expansion, so shading and plan agree) and open breakdown/safety downtime, ending where the
 * planner assumes it ends (the same estimate the worker plans with).
 */
export async function planCalendar(db: Queryable, plantId: number, from: Date, to: Date, now: number): Promise<PlanCalendarView> {
  const [calendarRows, workCenterRows, andonRows] = await Promise.all([
    db.selectFrom('calendar').selectAll().where('plant_id', '=', plantId).execute(),
    db.selectFrom('work_center').select(['code', 'calendar_code']).where('plant_id', '=', plantId).orderBy('code').execute(),
    selectOpenAndons(db, plantId).select(['id', 'work_center_code', 'machine', 'reason', 'raised_at', 'expected_end_at']).where('reason', 'in', ['breakdown', 'safety']).execute(),
  ]);
  const a = from.getTime();
  const b = to.getTime();
  const closedByCalendar = new Map<string, { from: string; to: string }[]>();
  for (const c of calendarRows) {
    const compiled = compileCalendar({ code: c.code, timeZone: c.time_zone, shifts: c.shifts as Calendar['shifts'], exceptions: c.exceptions as Calendar['exceptions'] });
    closedByCalendar.set(c.code, pairsToSpans(subtractIntervals([a, b], expandCalendar(compiled, a, b))));
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    workCenters: workCenterRows.map((wc) => ({
      code: wc.code,
      closed: closedByCalendar.get(wc.calendar_code) ?? [],
      downtime: andonRows
        .filter((d) => d.work_center_code === wc.code && andonEffects[d.reason].effect === 'stop')
        .map((d) => ({ from: d.raised_at.getTime(), to: estimatedAndonEnd(d, now), d }))
        .filter((x) => x.from < b && x.to > a)
        .map(({ from: start, to: end, d }) => ({
          from: new Date(start).toISOString(),
          to: new Date(end).toISOString(),
          reason: d.reason === 'safety' ? ('safety' as const) : ('breakdown' as const),
          machine: d.machine,
          andonId: d.id,
        })),
    })),
  };
}
