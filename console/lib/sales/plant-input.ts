import { zoneOffsetMs } from '$console/plan/plant-offset.ts';

/**
 * `<input type="datetime-local">` speaks wall-clock time without a zone; the console means plant
 * time. "2026-12-03T14:00" in the plant's zone -> the instant (ISO), or null when unreadable. The
 * offset is looked up at the guess and again at the result, which settles across a DST change.
 */
export function plantInstant(local: string, timeZone: string | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(wall)) return null;
  let instant = wall - zoneOffsetMs(timeZone, wall);
  instant = wall - zoneOffsetMs(timeZone, instant);
  return new Date(instant).toISOString();
}
