import { describe, expect, it } from 'vitest';
import { schedule } from '../../scheduler/engine/index.ts';
import type { Calendar, ScheduleResult } from '../../scheduler/engine/model.ts';
import { H, MONDAY, op, options, order, snapshot, wc } from './fixtures.ts';

const now = MONDAY + 7 * H;
const errorsOf = (r: ScheduleResult) => {
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('infeasible input is reported, never thrown or skipped', () => {
  it('pin on a machine beyond the work center count', () => {
    const orders = [order('O1', [op(1, 'A', 60, { pin: { machine: 3 } })])];
    expect(errorsOf(schedule(snapshot({ workCenters: [wc('A', 2)], orders }), null, now, options()))).toEqual([
      expect.objectContaining({ code: 'pin_machine_out_of_range', order: 'O1', seq: 1, workCenter: 'A' }),
    ]);
  });

  it('unknown work center and unknown calendar', () => {
    const orders = [order('O1', [op(1, 'X', 60)])];
    const errors = errorsOf(schedule(snapshot({ workCenters: [wc('A', 1, 'nope')], orders }), null, now, options()));
    expect(errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'unknown_calendar', workCenter: 'A' }),
      expect.objectContaining({ code: 'unknown_work_center', order: 'O1', seq: 1, workCenter: 'X' }),
    ]));
  });

  it('an operation that never gets working time', () => {
    const empty: Calendar = { code: 'none', timeZone: 'UTC', shifts: [], exceptions: [{ from: '2026-01-05T08:00', to: '2026-01-05T09:00', working: true }] };
    const orders = [order('O1', [op(1, 'A', 30), op(2, 'A', 120)])];
    const errors = errorsOf(schedule(snapshot({ calendars: [empty], workCenters: [wc('A', 1, 'none')], orders }), null, now, options()));
    expect(errors).toEqual([expect.objectContaining({ code: 'no_working_time', order: 'O1', seq: 2, workCenter: 'A' })]);
  });

  it('invalid numbers', () => {
    const orders = [order('O1', [op(1, 'A', Number.NaN), op(2, 'A', 10, { quantity: -1 })], { priority: 0 })];
    const errors = errorsOf(schedule(snapshot({ orders }), null, now, options()));
    expect(errors.map((e) => [e.code, e.order, e.seq])).toEqual([
      ['invalid_input', 'O1', undefined],
      ['invalid_input', 'O1', 1],
      ['invalid_input', 'O1', 2],
    ]);
  });

  // Pins that cannot be kept (in the past, overlapping, before their predecessor) are reported in
  // the plan instead: see pins.test.ts.
  it('unknown time zone', () => {
    const bad: Calendar = { code: 'day', timeZone: 'Mars/Olympus', shifts: [], exceptions: [] };
    expect(errorsOf(schedule(snapshot({ calendars: [bad] }), null, now, options()))[0]!.code).toBe('invalid_input');
  });
});
