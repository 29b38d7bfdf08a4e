/**
 * Multi-start construction: the dispatching rule's parameters (weight exponent, head start per
 * priority step) and a seeded per-order jitter are varied, and the best schedule is kept. Cheap
 * compared with local search moves on a tightly packed plant, and it moves whole orders at once.
 */
import { construct, defaultWeightBonusMs } from '../construct.ts';
import type { ConstructVariant } from '../construct.ts';
import { compareScores, scoreSchedule } from '../evaluate.ts';
import type { Score } from '../evaluate.ts';
import type { Problem } from '../problem.ts';
import type { Random } from '../random.ts';
import type { Schedule } from '../schedule-state.ts';

export interface MultiStartResult {
  schedule: Schedule;
  score: Score;
  iterations: number;
}

/** Fixed rule variants first, then jittered ones, while `more()` allows. */
export function multiStart(p: Problem, initial: Schedule, random: Random, more: (iterations: number) => boolean, maxStarts: number): MultiStartResult {
  let best = initial;
  let bestScore = scoreSchedule(p, initial);
  const unit = defaultWeightBonusMs(p) / 8; // one average operation
  const variants: Array<Omit<ConstructVariant, 'random'>> = [
    { jitterMs: 0, weightExponent: 0, weightBonusMs: 0 },
    { jitterMs: 0, weightExponent: 0, weightBonusMs: 3 * unit },
    { jitterMs: 0, weightExponent: 0, weightBonusMs: 24 * unit },
    { jitterMs: 0, weightExponent: 0.25, weightBonusMs: 0 },
    { jitterMs: 0, weightExponent: 1, weightBonusMs: 0 },
  ];
  let iterations = 0;
  while (iterations < maxStarts && more(iterations)) {
    const fixed = variants[iterations];
    const variant: ConstructVariant = fixed
      ? { ...fixed, random }
      : { random, jitterMs: random.next() * 8 * unit, weightExponent: random.next() * 0.25, weightBonusMs: (2 + random.next() * 14) * unit };
    iterations++;
    const built = construct(p, variant);
    if (built.errors.length) continue;
    const score = scoreSchedule(p, built.schedule);
    if (compareScores(p, score, bestScore) < 0) { best = built.schedule; bestScore = score; }
  }
  return { schedule: best, score: bestScore, iterations };
}
