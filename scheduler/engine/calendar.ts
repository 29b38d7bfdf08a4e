/**
 * Calendars to UTC working intervals. Pure: time-zone offsets come from Intl, never from the clock.
 * Intervals are flat arrays of [start, end) pairs in epoch milliseconds, sorted and disjoint.
 */
import type { Calendar } from './model.ts';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** "HH:MM" -> minutes after midnight; null when malformed. "24:00" is accepted as end of day. */
export function parseClock(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/** "YYYY-MM-DDTHH:MM" local wall time -> the same wall time read as if it were UTC (ms). */
export function parseLocalDateTime(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Reject dates that roll over (e.g. Feb 30).
  if (new Date(wall - h * 3_600_000 - mi * MINUTE_MS).getUTCDate() !== d) return null;
  return wall;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// Offsets change only at transitions, which fall on quarter hours; memoising per quarter hour keeps
// calendar expansion cheap without changing any result.
const QUARTER_MS = 900_000;
const offsetMemo = new Map<string, Map<number, number>>();
/** A long-running server keeps planning new weeks: bound the memo (about ten years per zone). */
const MEMO_LIMIT = 400_000;

/** Offset of local wall time from UTC at instant `utc` (wall = utc + offset). */
export function zoneOffsetMs(timeZone: string, utc: number): number {
  let memo = offsetMemo.get(timeZone);
  if (!memo || memo.size > MEMO_LIMIT) {
    memo = new Map();
    offsetMemo.set(timeZone, memo);
  }
  const bucket = Math.floor(utc / QUARTER_MS);
  const hit = memo.get(bucket);
  if (hit !== undefined) return hit;
  const at = bucket * QUARTER_MS;
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  const offset = wall - at;
  memo.set(bucket, offset);
  return offset;
}

/**
 * Local wall time (expressed as ms "as if UTC") -> UTC instant. In a spring-forward gap the wall
 * time does not exist; it maps to the instant just after the gap.
 */
export function wallToUtc(timeZone: string, wall: number): number {
  const first = zoneOffsetMs(timeZone, wall);
  let utc = wall - first;
  const second = zoneOffsetMs(timeZone, utc);
  if (second !== first) {
    const retry = wall - second;
    if (zoneOffsetMs(timeZone, retry) === second) utc = retry;
  }
  return utc;
}

/** Merge possibly overlapping [start, end) pairs into sorted disjoint pairs; drops empty ones. */
export function normalizeIntervals(pairs: number[]): number[] {
  const n = pairs.length / 2;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (pairs[2 * i + 1]! > pairs[2 * i]!) idx.push(i);
  idx.sort((a, b) => pairs[2 * a]! - pairs[2 * b]! || pairs[2 * a + 1]! - pairs[2 * b + 1]!);
  const out: number[] = [];
  for (const i of idx) {
    const s = pairs[2 * i]!;
    const e = pairs[2 * i + 1]!;
    const last = out.length - 1;
    if (last > 0 && s <= out[last]!) {
      if (e > out[last]!) out[last] = e;
    } else out.push(s, e);
  }
  return out;
}

/** `base` minus `holes`; both sorted disjoint pair arrays. */
export function subtractIntervals(base: number[], holes: number[]): number[] {
  if (holes.length === 0) return base;
  const out: number[] = [];
  let h = 0;
  for (let i = 0; i < base.length; i += 2) {
    let s = base[i]!;
    const e = base[i + 1]!;
    while (h < holes.length && holes[h + 1]! <= s) h += 2;
    let k = h;
    while (k < holes.length && holes[k]! < e) {
      if (holes[k]! > s) out.push(s, holes[k]!);
      s = Math.max(s, holes[k + 1]!);
      if (s >= e) break;
      k += 2;
    }
    if (s < e) out.push(s, e);
  }
  return out;
}

function clip(pairs: number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const s = Math.max(pairs[i]!, from);
    const e = Math.min(pairs[i + 1]!, to);
    if (e > s) out.push(s, e);
  }
  return out;
}

/** A calendar checked and parsed once, so expansion does no string work. */
export interface CompiledCalendar {
  code: string;
  timeZone: string;
  /** Per ISO weekday (index 1..7): [startMinute, endMinute] pairs; end <= start crosses midnight. */
  shiftsByWeekday: number[][];
  /** Extra working windows and closures as UTC pairs. */
  openings: number[];
  closures: number[];
  /** True when weekly shifts exist, so working time never runs out. */
  recurring: boolean;
  /** Last instant at which a dated opening ends (bounds the search for finite calendars). */
  lastOpeningEnd: number;
}

export function compileCalendar(cal: Calendar): CompiledCalendar {
  const shiftsByWeekday: number[][] = [[], [], [], [], [], [], [], []];
  for (const s of cal.shifts) {
    const a = parseClock(s.start);
    const b = parseClock(s.end);
    if (a === null || b === null) continue; // validation reports these before compilation
    shiftsByWeekday[s.weekday]!.push(a, b);
  }
  const openingPairs: number[] = [];
  const closurePairs: number[] = [];
  for (const ex of cal.exceptions) {
    const a = parseLocalDateTime(ex.from);
    const b = parseLocalDateTime(ex.to);
    if (a === null || b === null) continue;
    const pair = [wallToUtc(cal.timeZone, a), wallToUtc(cal.timeZone, b)];
    (ex.working ? openingPairs : closurePairs).push(...pair);
  }
  const openings = normalizeIntervals(openingPairs);
  return {
    code: cal.code,
    timeZone: cal.timeZone,
    shiftsByWeekday,
    openings,
    closures: normalizeIntervals(closurePairs),
    recurring: cal.shifts.length > 0,
    lastOpeningEnd: openings.length ? openings[openings.length - 1]! : -Infinity,
  };
}

/**
 * Working time of a calendar within [from, to): weekly shifts plus dated openings, minus dated
 * closures (a closure wins over a shift or an opening that overlaps it).
 */
export function expandCalendar(cal: CompiledCalendar, from: number, to: number): number[] {
  if (!(to > from)) return [];
  const pairs: number[] = [];
  if (cal.recurring) {
    // Local day numbers (days since 1970-01-01 in wall time); a shift may start the day before
    // `from` and run past midnight, so start one day early.
    const firstDay = Math.floor((from + zoneOffsetMs(cal.timeZone, from)) / DAY_MS) - 1;
    const lastDay = Math.floor((to + zoneOffsetMs(cal.timeZone, to)) / DAY_MS);
    for (let day = firstDay; day <= lastDay; day++) {
      const weekday = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (ISO 4)
      const shifts = cal.shiftsByWeekday[weekday]!;
      for (let k = 0; k < shifts.length; k += 2) {
        const a = shifts[k]!;
        const b = shifts[k + 1]!;
        const startWall = day * DAY_MS + a * MINUTE_MS;
        const endWall = (b <= a ? day + 1 : day) * DAY_MS + b * MINUTE_MS;
        pairs.push(wallToUtc(cal.timeZone, startWall), wallToUtc(cal.timeZone, endWall));
      }
    }
  }
  pairs.push(...cal.openings);
  const working = subtractIntervals(normalizeIntervals(pairs), cal.closures);
  return clip(working, from, to);
}
