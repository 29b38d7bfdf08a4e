import type { AndonReason } from './andon.ts';

/**
 * What an open alert does to the plan, the one table for it:
 * - `stop`: the work center (or the named machine) is down until the alert's estimated end. A
 *   safety stop is a line stop, so it counts like a breakdown.
 * - `hold`: the operation the alert names may not start until the estimated end (material arrival,
 *   quality release); the rest of the work center keeps working.
 * - `none`: it is shown and escalated, but changes nothing in the plan.
 * `defaultMinutes` is the estimate assumed when the alert was raised without one.
 * The planner (scheduler/tasks/load-snapshot.ts), the TV tiles, order details (which operations are
 * held) and the demo simulator read it.
 */
export const andonEffects = {
  breakdown: { effect: 'stop', defaultMinutes: 60 },
  safety: { effect: 'stop', defaultMinutes: 60 },
  material: { effect: 'hold', defaultMinutes: 240 },
  quality: { effect: 'hold', defaultMinutes: 240 },
  other: { effect: 'none', defaultMinutes: 0 },
} as const satisfies Record<AndonReason, { effect: 'stop' | 'hold' | 'none'; defaultMinutes: number }>;

export type AndonEffect = (typeof andonEffects)[AndonReason]['effect'];

export function andonEffect(reason: AndonReason): AndonEffect {
  return andonEffects[reason].effect;
}

/** Whether an open alert of this reason takes its work center down (the board shows it red). */
export function stopsWorkCenter(reason: AndonReason): boolean {
  return andonEffect(reason) === 'stop';
}
