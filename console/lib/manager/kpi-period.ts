import { plantInstant } from '$console/sales/plant-input.ts';
import { zoneOffsetMs } from '$console/plan/plant-offset.ts';

export const periodPresets = ['today', '7d', '30d', 'custom'] as const;
export type PeriodPreset = (typeof periodPresets)[number];

export interface PeriodChoice {
  preset: PeriodPreset;
  /** Custom only: plant dates (YYYY-MM-DD), both days included. */
  fromDay: string;
  toDay: string;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The plant date (YYYY-MM-DD) of an instant. */
export function plantDay(at: number, timeZone: string | undefined): string {
  return new Date(at + zoneOffsetMs(timeZone, at)).toISOString().slice(0, 10);
}

/** The instant a plant date begins (its midnight in the plant's zone). */
function dayStart(day: string, timeZone: string | undefined): string | null {
  return plantInstant(`${day}T00:00`, timeZone);
}

function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The [from, to) the figures are asked for: presets run from a plant midnight (today's, or 6 / 29
 * days before it, so the daily chart has 7 / 30 days) up to now; a custom period covers its plant
 * days whole. Null when a custom date is unreadable or the days are in the wrong order.
 */
export function periodRange(choice: PeriodChoice, now: number, timeZone: string | undefined): { from: string; to: string } | null {
  const today = plantDay(now, timeZone);
  const to = new Date(now).toISOString();
  switch (choice.preset) {
    case 'today':
      return { from: dayStart(today, timeZone)!, to };
    case '7d':
      return { from: dayStart(daysBefore(today, 6), timeZone)!, to };
    case '30d':
      return { from: dayStart(daysBefore(today, 29), timeZone)!, to };
    case 'custom': {
      if (!DAY.test(choice.fromDay) || !DAY.test(choice.toDay) || choice.fromDay > choice.toDay) return null;
      const from = dayStart(choice.fromDay, timeZone);
      const end = dayStart(daysBefore(choice.toDay, -1), timeZone);
      return from && end ? { from, to: end } : null;
    }
  }
}
