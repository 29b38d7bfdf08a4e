import type { LateReason } from '$contract/schedule.ts';

/**
 * What would make a late order on time, where the engine's reasons let us say it honestly: when the
 * order's only reason is one stoppage with a known end (a machine down, an operation held), the
 * order finishes later by as much as that end moves, so the stoppage would have to end `lateness`
 * minutes earlier. Several reasons share the blame in ways a subtraction cannot split, a shift
 * boundary cannot move, and an end already past cannot be met: then there is nothing to say.
 */
export type OnTimeIf =
  | { kind: 'down'; workCenter: string; by: string }
  | { kind: 'held'; seq: number; reason: 'material' | 'quality'; by: string };

export function onTimeIf(order: { late: boolean; latenessMinutes: number | null; reasons: readonly LateReason[] }, now: Date): OnTimeIf | null {
  if (!order.late || order.latenessMinutes === null || order.latenessMinutes <= 0 || order.reasons.length !== 1) return null;
  const [reason] = order.reasons;
  if (reason?.kind !== 'down' && reason?.kind !== 'held') return null;
  const by = Date.parse(reason.until) - order.latenessMinutes * 60_000;
  if (Number.isNaN(by) || by <= now.getTime()) return null;
  const iso = new Date(by).toISOString();
  return reason.kind === 'down' ? { kind: 'down', workCenter: reason.workCenter, by: iso } : { kind: 'held', seq: reason.seq, reason: reason.reason, by: iso };
}
