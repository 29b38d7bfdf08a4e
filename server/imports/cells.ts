import { wallToUtc } from '../../scheduler/engine/calendar.ts';
import type { Cell } from './read-table.ts';

/**
 * Cell values turned into what the API's bodies hold. A cell that cannot be read says why; the
 * field's own rules (ranges, lengths) are the contract schema's, applied after.
 */
export type Read<T> = { value: T } | { problem: string };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Day 0 of Excel's 1900 date system, as a Unix epoch offset in days (its 1900 leap-year bug included). */
const EXCEL_EPOCH_DAYS = 25_569;

export function isBlank(cell: Cell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** Text; a number typed into a code column (order 10023) is its digits. */
export function text(cell: Cell): string {
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function number(cell: Cell): Read<number> {
  if (typeof cell === 'number') return { value: cell };
  const raw = text(cell);
  // A decimal comma (1,5) is what half of Europe types; a thousands separator is refused rather than guessed.
  const normalised = /^-?\d+,\d+$/.test(raw) ? raw.replace(',', '.') : raw;
  // Number() would also read 0x10, 0b101 and 0o7: not what anyone means by a quantity.
  if (!DECIMAL.test(normalised)) return { problem: `'${raw}' is not a number` };
  const value = Number(normalised);
  if (!Number.isFinite(value)) return { problem: `'${raw}' is not a number` };
  return { value };
}

const DATE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/u;

/**
 * An instant from a plant-time date. `2026-12-24` alone (or an Excel date cell at midnight) is a day:
 * a due date means the end of it (23:59), a release its start. A text with an offset or Z is taken as is.
 */
export function plantInstant(cell: Cell, timeZone: string, dayMeans: 'end' | 'start'): Read<string> {
  let wall: number;
  let dayOnly: boolean;
  if (cell instanceof Date) {
    // Excel stores wall clock without a zone; the reader hands it over as that wall clock in UTC,
    // a fraction of a millisecond off: round to the minute.
    wall = Math.round(cell.getTime() / MINUTE_MS) * MINUTE_MS;
    dayOnly = wall % DAY_MS === 0;
  } else if (typeof cell === 'number' && cell > 1 && cell < 2_958_466) {
    // A date cell whose format the reader did not know as a date arrives as Excel's day serial.
    wall = Math.round(((cell - EXCEL_EPOCH_DAYS) * DAY_MS) / MINUTE_MS) * MINUTE_MS;
    dayOnly = wall % DAY_MS === 0;
  } else {
    const raw = text(cell);
    if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(raw) && raw.includes('T')) {
      const at = Date.parse(raw);
      return Number.isNaN(at) ? { problem: `'${raw}' is not a date` } : { value: new Date(at).toISOString() };
    }
    const m = DATE.exec(raw);
    if (!m) return { problem: `'${raw}' is not a date (write 2026-12-24 or 2026-12-24 17:00)` };
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((p) => (p === undefined ? undefined : Number(p)));
    if (h !== undefined && (h > 23 || mi! > 59 || (s ?? 0) > 59)) return { problem: `'${raw}' is not a time of day` };
    wall = Date.UTC(y!, mo! - 1, d, h ?? 0, mi ?? 0, s ?? 0);
    const back = new Date(wall);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d) return { problem: `'${raw}' is not a date in the calendar` };
    dayOnly = h === undefined;
  }
  if (dayOnly && dayMeans === 'end') wall += DAY_MS - MINUTE_MS;
  return { value: new Date(wallToUtc(timeZone, wall)).toISOString() };
}
