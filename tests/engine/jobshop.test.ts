import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobShopViolations } from '../../scheduler/engine/jobshop/check.ts';
import { jobShopFromRoutes, parseOrLibrary } from '../../scheduler/engine/jobshop/instance.ts';
import { jobShopLowerBound, solveJobShop } from '../../scheduler/engine/jobshop/tabu.ts';

const root = resolve(import.meta.dirname, '../..');
// Copies of a few instances live beside the tests, so they run without ../shared.
const benchDir = resolve(root, 'tests/engine/jssp');
const load = (name: string) => parseOrLibrary(readFileSync(resolve(benchDir, `${name}.txt`), 'utf8'));

describe('job-shop core', () => {
  it('the jssp command prints one JSON line whose schedule validates', () => {
    for (const name of ['ft06', 'la01', 'abz5']) {
      const out = execFileSync(process.execPath, [resolve(root, 'scheduler/bench/jssp.ts'), resolve(benchDir, `${name}.txt`), '--time-limit-ms', '150', '--seed', '3'], { encoding: 'utf8' });
      const lines = out.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      const { makespan, starts } = JSON.parse(lines[0]!) as { makespan: number; starts: number[][] };
      const js = load(name);
      expect(starts).toHaveLength(js.jobs);
      expect(jobShopViolations(js, starts.flat(), makespan)).toEqual([]);
    }
  });

  it('solves ft06 to its optimum (55) and never reports below the lower bound', () => {
    const js = load('ft06');
    const result = solveJobShop(js, { seed: 1, timeLimitMs: 0, maxIterations: 5000 });
    expect(result.makespan).toBe(55);
    expect(result.makespan).toBeGreaterThanOrEqual(jobShopLowerBound(js));
    expect(jobShopViolations(js, result.starts, result.makespan)).toEqual([]);
  });

  it('is deterministic for a seed and an iteration budget', () => {
    const js = load('la16');
    const a = solveJobShop(js, { seed: 9, timeLimitMs: 0, maxIterations: 3000 });
    const b = solveJobShop(js, { seed: 9, timeLimitMs: 0, maxIterations: 3000 });
    expect(Array.from(b.starts)).toEqual(Array.from(a.starts));
    expect(jobShopViolations(js, a.starts, a.makespan)).toEqual([]);
  });

  it('accepts zero-length operations', () => {
    const js = jobShopFromRoutes(2, [[[0, 0], [1, 3]], [[1, 2], [0, 0]], [[0, 4], [1, 0]]]);
    const result = solveJobShop(js, { seed: 1, timeLimitMs: 0, maxIterations: 100 });
    expect(jobShopViolations(js, result.starts, result.makespan)).toEqual([]);
    expect(result.makespan).toBe(5);
  });
});
