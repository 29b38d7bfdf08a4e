import { describe, expect, it } from 'vitest';
import { compileCalendar, expandCalendar } from '../../scheduler/engine/calendar.ts';
import type { Calendar } from '../../scheduler/engine/model.ts';
import { at, weekdays } from './fixtures.ts';

const iso = (pairs: number[]): string[] => pairs.map((t) => new Date(t).toISOString());

describe('calendar expansion', () => {
  it('maps Asia/Shanghai local shifts to UTC (UTC+8)', () => {
    const cal: Calendar = { code: 'sh', timeZone: 'Asia/Shanghai', shifts: weekdays('08:00', '17:00'), exceptions: [] };
    const out = expandCalendar(compileCalendar(cal), at('2026-01-05T00:00:00Z'), at('2026-01-07T00:00:00Z'));
    expect(iso(out)).toEqual([
      '2026-01-05T00:00:00.000Z', '2026-01-05T09:00:00.000Z',
      '2026-01-06T00:00:00.000Z', '2026-01-06T09:00:00.000Z',
    ]);
  });

  it('runs overnight shifts (end <= start) into the next day', () => {
    const cal: Calendar = { code: 'n', timeZone: 'UTC', shifts: [{ weekday: 5, start: '22:00', end: '06:00' }], exceptions: [] };
    const out = expandCalendar(compileCalendar(cal), at('2026-01-09T00:00:00Z'), at('2026-01-12T00:00:00Z'));
    expect(iso(out)).toEqual(['2026-01-09T22:00:00.000Z', '2026-01-10T06:00:00.000Z']);
  });

  it('clips to the window and keeps a shift that began before it', () => {
    const cal: Calendar = { code: 'n', timeZone: 'UTC', shifts: [{ weekday: 5, start: '22:00', end: '06:00' }], exceptions: [] };
    const out = expandCalendar(compileCalendar(cal), at('2026-01-10T02:00:00Z'), at('2026-01-10T04:00:00Z'));
    expect(iso(out)).toEqual(['2026-01-10T02:00:00.000Z', '2026-01-10T04:00:00.000Z']);
  });

  it('applies dated closures and openings in local time', () => {
    const cal: Calendar = {
      code: 'sh', timeZone: 'Asia/Shanghai', shifts: weekdays('08:00', '17:00'),
      exceptions: [
        { from: '2026-01-05T00:00', to: '2026-01-06T00:00', working: false, note: 'holiday' },
        { from: '2026-01-10T09:00', to: '2026-01-10T12:00', working: true, note: 'Saturday overtime' },
        { from: '2026-01-06T12:00', to: '2026-01-06T13:00', working: false, note: 'lunch' },
      ],
    };
    const out = expandCalendar(compileCalendar(cal), at('2026-01-04T16:00:00Z'), at('2026-01-07T16:00:00Z'));
    expect(iso(out)).toEqual([
      '2026-01-06T00:00:00.000Z', '2026-01-06T04:00:00.000Z',
      '2026-01-06T05:00:00.000Z', '2026-01-06T09:00:00.000Z',
      '2026-01-07T00:00:00.000Z', '2026-01-07T09:00:00.000Z',
    ]);
    const sat = expandCalendar(compileCalendar(cal), at('2026-01-10T00:00:00Z'), at('2026-01-11T00:00:00Z'));
    expect(iso(sat)).toEqual(['2026-01-10T01:00:00.000Z', '2026-01-10T04:00:00.000Z']);
  });

  it('follows daylight saving time (Europe/Berlin, 2026-03-29)', () => {
    const cal: Calendar = { code: 'b', timeZone: 'Europe/Berlin', shifts: [{ weekday: 5, start: '08:00', end: '16:00' }, { weekday: 1, start: '08:00', end: '16:00' }], exceptions: [] };
    const out = expandCalendar(compileCalendar(cal), at('2026-03-27T00:00:00Z'), at('2026-03-31T00:00:00Z'));
    expect(iso(out)).toEqual([
      '2026-03-27T07:00:00.000Z', '2026-03-27T15:00:00.000Z', // CET
      '2026-03-30T06:00:00.000Z', '2026-03-30T14:00:00.000Z', // CEST
    ]);
  });
});
