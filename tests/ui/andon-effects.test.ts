import { describe, expect, it } from 'vitest';
import { andonEffects } from '$contract/andon-effects.ts';
import type { AndonView } from '$contract/andon.ts';
import { andonReasons } from '$contract/andon.ts';
import { workCenterState } from '$display/board/work-center-tiles.ts';

const alert = (reason: AndonView['reason']): AndonView => ({
  id: `a-${reason}`, workCenter: 'CUT', line: 'L1', reason, state: 'raised', order: null, seq: null, machine: null, note: null,
  expectedMinutes: null, expectedEndAt: null, raisedAt: '2026-01-05T08:00:00.000Z', raisedBy: 'x', acknowledgedAt: null,
  acknowledgedBy: null, resolvedAt: null, resolvedBy: null, rootCause: null, escalationLevel: 1, cancelledAt: null, cancelledBy: null,
});

describe('the board tile follows the andon effects table (server/contract/andon-effects.ts)', () => {
  it('is down exactly for the reasons that stop the work center, blocked for every other open alert', () => {
    for (const reason of andonReasons) {
      const expected = andonEffects[reason].effect === 'stop' ? 'down' : 'blocked';
      expect(workCenterState([], [alert(reason)], Date.now()), reason).toBe(expected);
    }
    expect(workCenterState([], [alert('safety')], Date.now())).toBe('down');
    expect(workCenterState([], [alert('material')], Date.now())).toBe('blocked');
  });
});
