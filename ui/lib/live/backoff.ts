/**
 * Reconnect delays for the live stream: exponential from `baseMs`, capped at `maxMs`, with "full
 * jitter" (a random point in [cap/2, cap]) so that fifty TVs that lost the server together do not
 * all knock at the same instant when it comes back.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const streamBackoff: BackoffOptions = { baseMs: 1000, maxMs: 30_000 };

/** Delay before reconnect attempt number `attempt` (0 = first retry). `random` in [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions = streamBackoff, random: number = Math.random()): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(cap / 2 + (cap / 2) * random);
}

/** How long without any sign of life (message or heartbeat) before a screen says its data is stale. */
export const STALE_AFTER_MS = 20_000;

export function isStale(lastSignalAt: number | null, openedAt: number, now: number, staleAfterMs = STALE_AFTER_MS): boolean {
  return now - (lastSignalAt ?? openedAt) > staleAfterMs;
}
