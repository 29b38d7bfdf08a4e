import { describe, expect, it } from 'vitest';
import { backoffDelay, isStale, STALE_AFTER_MS } from '../../ui/lib/live/backoff.ts';

describe('reconnect back-off', () => {
  it('doubles from 1 s and never exceeds 30 s, jittered within [cap/2, cap]', () => {
    expect(backoffDelay(0, undefined, 0)).toBe(500);
    expect(backoffDelay(0, undefined, 0.999999)).toBe(1000);
    expect(backoffDelay(3, undefined, 0)).toBe(4000);
    for (let attempt = 0; attempt < 40; attempt++) {
      for (const r of [0, 0.5, 0.99]) {
        const d = backoffDelay(attempt, undefined, r);
        expect(d).toBeGreaterThanOrEqual(500);
        expect(d).toBeLessThanOrEqual(30_000);
      }
    }
    expect(backoffDelay(10, undefined, 0)).toBe(15_000);
  });

  it('calls data stale after 20 s without a message or heartbeat', () => {
    expect(isStale(1000, 0, 1000 + STALE_AFTER_MS)).toBe(false);
    expect(isStale(1000, 0, 1001 + STALE_AFTER_MS)).toBe(true);
    // Never heard anything: counted from when the page started listening.
    expect(isStale(null, 5000, 5000 + STALE_AFTER_MS + 1)).toBe(true);
  });
});
