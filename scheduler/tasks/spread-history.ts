import { sql } from 'kysely';
import type { Queryable } from '../../server/db/connect.ts';
import { compileCalendar, expandCalendar, MINUTE_MS, type CompiledCalendar } from '../engine/calendar.ts';
import type { Snapshot } from '../engine/model.ts';
import type { BreakdownHistory, CalibrationObservation, DurationObservation, HoldHistory } from '../engine/spread-model.ts';

/** History the spread model learns from: recent enough to describe today's floor. */
export const SPREAD_HISTORY_DAYS = 60;
/** The newest completed operations read; more adds little to a per-work-center mean and spread. */
const MAX_OPERATIONS = 3000;
const DAY_MS = 86_400_000;
/** Completed orders whose P90 is checked; the newest describe today's floor best. */
const MAX_CALIBRATION_ORDERS = 500;

/** Working milliseconds of a calendar within [from, to). */
function workingMs(calendar: CompiledCalendar, from: number, to: number): number {
  const intervals = expandCalendar(calendar, from, to);
  let sum = 0;
  for (let k = 0; k < intervals.length; k += 2) sum += intervals[k + 1]! - intervals[k]!;
  return sum;
}

interface Repair { machine: number | null; from: number; to: number }

/** Milliseconds of [from, to) during which the machine was down for a breakdown: not the job's own time. */
function downWithin(repairs: Repair[], machine: number | null, from: number, to: number): number {
  let sum = 0;
  for (const r of repairs) {
    if (r.machine !== null && machine !== null && r.machine !== machine) continue;
    sum += Math.max(0, Math.min(to, r.to) - Math.max(from, r.from));
  }
  return sum;
}

/**
 * Completed operations' actual working minutes against the routing's standard, and each work
 * center's breakdowns, over the last SPREAD_HISTORY_DAYS. A breakdown during a job is the
 * breakdown's time, not the job's: it is taken out of the job's minutes, or the model would count
 * it twice (once as slow work, once as a failure).
 */
export async function readSpreadHistory(
  db: Queryable,
  plantId: number,
  plant: Pick<Snapshot, 'calendars' | 'workCenters'>,
  now: number,
): Promise<{ durations: DurationObservation[]; breakdowns: BreakdownHistory[]; holds: HoldHistory[]; calibration: CalibrationObservation[] }> {
  const since = new Date(now - SPREAD_HISTORY_DAYS * DAY_MS);
  const [operations, andons, holdAndons, starts, given] = await Promise.all([
    db
      .selectFrom('operation as op')
      .innerJoin('customer_order as o', 'o.id', 'op.order_id')
      .innerJoin('product as p', (j) => j.onRef('p.plant_id', '=', 'o.plant_id').onRef('p.code', '=', 'o.product_code'))
      .select(['op.work_center_code', 'p.family', 'op.machine', 'op.setup_minutes', 'op.run_minutes_per_unit', 'op.quantity_good', 'op.quantity_scrap', 'op.started_at', 'op.completed_at'])
      .where('op.plant_id', '=', plantId)
      .where('op.status', '=', 'completed')
      .where('op.completed_at', '>', since)
      .where('op.started_at', 'is not', null)
      .orderBy('op.completed_at', 'desc')
      .limit(MAX_OPERATIONS)
      .execute(),
    db
      .selectFrom('andon')
      .select(['work_center_code', 'machine', 'raised_at', 'resolved_at'])
      .where('plant_id', '=', plantId)
      .where('reason', '=', 'breakdown')
      .where('state', '=', 'resolved')
      .where('raised_at', '>', since)
      .execute(),
    db
      .selectFrom('andon')
      .select(['work_center_code', 'raised_at', 'resolved_at'])
      .where('plant_id', '=', plantId)
      .where('reason', 'in', ['material', 'quality'])
      .where('order_id', 'is not', null)
      .where('state', '=', 'resolved')
      .where('raised_at', '>', since)
      .execute(),
    db
      .selectFrom('operation')
      .select(['work_center_code', (eb) => eb.fn.countAll<string>().as('n')])
      .where('plant_id', '=', plantId)
      .where('started_at', '>', since)
      .groupBy('work_center_code')
      .execute(),
    // Per order completed in the window, the P50 and P90 it was given a day or more before it finished (the
    // first one it was given when it finished sooner).
    sql<{ completed_at: Date; eta: Date; eta_p90: Date; p90_scale: number | null; eta_p50: Date | null; p50_shift: number | null }>`
      select o.completed_at, h.eta, h.eta_p90, h.p90_scale, h.eta_p50, h.p50_shift from customer_order o
      join lateral (
        select h.eta, h.eta_p90, h.p90_scale, h.eta_p50, h.p50_shift from order_eta_history h
        where h.order_id = o.id and h.eta is not null and h.eta_p90 is not null and h.at < o.completed_at
        order by (h.at <= o.completed_at - interval '24 hours') desc,
                 case when h.at <= o.completed_at - interval '24 hours' then h.at end desc nulls last, h.at
        limit 1) h on true
      where o.plant_id = ${plantId} and o.status = 'completed' and o.completed_at > ${since}
      order by o.completed_at desc limit ${MAX_CALIBRATION_ORDERS}`.execute(db),
  ]);
  const calendars = new Map(plant.calendars.map((c) => [c.code, compileCalendar(c)]));
  const calendarOf = new Map(plant.workCenters.map((w) => [w.code, calendars.get(w.calendar)]));
  const repairs = new Map<string, Repair[]>();
  for (const a of andons) {
    if (!a.resolved_at) continue;
    const list = repairs.get(a.work_center_code) ?? repairs.set(a.work_center_code, []).get(a.work_center_code)!;
    list.push({ machine: a.machine, from: a.raised_at.getTime(), to: a.resolved_at.getTime() });
  }

  // The history starts with its oldest record: a plant live for a week has a week of observations.
  let start = now;
  const durations: DurationObservation[] = [];
  for (const op of operations) {
    const calendar = calendarOf.get(op.work_center_code);
    if (!calendar || !op.started_at || !op.completed_at) continue;
    const from = op.started_at.getTime();
    const to = op.completed_at.getTime();
    start = Math.min(start, from);
    const units = op.quantity_good + op.quantity_scrap;
    const actual = workingMs(calendar, from, to) - downWithin(repairs.get(op.work_center_code) ?? [], op.machine, from, to);
    durations.push({
      workCenter: op.work_center_code,
      ...(op.family ? { family: op.family } : {}),
      standardMinutes: op.setup_minutes + op.run_minutes_per_unit * units,
      actualMinutes: actual / MINUTE_MS,
    });
  }
  for (const a of andons) start = Math.min(start, a.raised_at.getTime());

  const breakdowns: BreakdownHistory[] = plant.workCenters.map((w) => {
    const calendar = calendarOf.get(w.code);
    const list = repairs.get(w.code) ?? [];
    return {
      workCenter: w.code,
      machines: w.machines,
      observedHours: calendar ? workingMs(calendar, start, now) / 3_600_000 : 0,
      repairMinutes: list.map((r) => (r.to - r.from) / MINUTE_MS),
    };
  });
  const startsAt = new Map(starts.map((r) => [r.work_center_code, Number(r.n)]));
  const delays = new Map<string, number[]>();
  for (const a of holdAndons) {
    if (!a.resolved_at) continue;
    const list = delays.get(a.work_center_code) ?? delays.set(a.work_center_code, []).get(a.work_center_code)!;
    list.push((a.resolved_at.getTime() - a.raised_at.getTime()) / MINUTE_MS);
  }
  const holds: HoldHistory[] = plant.workCenters.map((w) => ({ workCenter: w.code, starts: startsAt.get(w.code) ?? 0, delayMinutes: delays.get(w.code) ?? [] }));
  const calibration = given.rows.map((r) => ({
    eta: r.eta.getTime(),
    p90: r.eta_p90.getTime(),
    completedAt: r.completed_at.getTime(),
    ...(r.p90_scale !== null ? { scale: r.p90_scale } : {}),
    ...(r.eta_p50 !== null ? { p50: r.eta_p50.getTime(), ...(r.p50_shift !== null ? { p50ShiftMinutes: r.p50_shift } : {}) } : {}),
  }));
  return { durations, breakdowns, holds, calibration };
}
