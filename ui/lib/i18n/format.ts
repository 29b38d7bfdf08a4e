import { locale, t } from './locale.svelte.ts';

/**
 * Dates and durations as people on the floor read them, in the plant's time zone (locale.timeZone,
 * set when the plant is known; until then the browser's).
 */
interface DayParts {
  year: number;
  month: number;
  day: number;
}

function dayParts(date: Date, timeZone: string | undefined): DayParts {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const sameDay = (a: DayParts, b: DayParts) => a.year === b.year && a.month === b.month && a.day === b.day;
const pad = (n: number) => String(n).padStart(2, '0');

export function formatClock(date: Date, withSeconds = false, timeZone: string | undefined = locale.timeZone): string {
  return date.toLocaleTimeString(locale.current, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hour12: false,
  });
}

/** "14:20" today, "Tue 09:00" within a week, "11-28 09:00" beyond. */
export function formatWhen(iso: string | null, now: Date = new Date()): string {
  if (!iso) return t('common.none');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return t('common.none');
  const zone = locale.timeZone;
  const clock = formatClock(date, false, zone);
  const day = dayParts(date, zone);
  const today = dayParts(now, zone);
  if (sameDay(day, today)) return clock;
  if (Math.abs(date.getTime() - now.getTime()) < 6 * 86_400_000) {
    return `${date.toLocaleDateString(locale.current, { weekday: 'short', timeZone: zone })} ${clock}`;
  }
  const md = `${pad(day.month)}-${pad(day.day)}`;
  return day.year === today.year ? `${md} ${clock}` : `${day.year}-${md} ${clock}`;
}

/** A calendar date with time, for tables: "2026-11-28 09:00" (with seconds for the audit). */
export function formatDateTime(iso: string | null, withSeconds = false): string {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  const day = dayParts(d, locale.timeZone);
  return `${day.year}-${pad(day.month)}-${pad(day.day)} ${formatClock(d, withSeconds)}`;
}

/** "45 min", "3 h 20 min", "2 d 4 h" (and the Chinese forms). */
export function formatMinutes(totalMinutes: number): string {
  const minutes = Math.max(0, Math.round(totalMinutes));
  if (minutes < 60) return t('duration.minutes', { m: minutes });
  if (minutes < 24 * 60) return t('duration.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t('duration.days', { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) });
}

/** A running timer: "4:07" or "1:04:07". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** "12 s", "3 min", for the age of the data on screen. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return locale.current === 'zh-CN' ? `${seconds}秒` : `${seconds} s`;
  return formatMinutes(seconds / 60);
}

export function formatList(items: string[], max = 3): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  const listed =
    locale.current === 'zh-CN'
      ? shown.join('、')
      : shown.length <= 1
        ? shown.join('')
        : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  if (rest <= 0) return listed;
  return locale.current === 'zh-CN' ? `${listed}${t('list.more', { count: rest })}` : `${shown.join(', ')} and ${t('list.more', { count: rest })}`;
}
