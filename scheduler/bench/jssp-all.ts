/**
 * node scheduler/bench/jssp-all.ts [--dir DIR] [--time-limit-ms N] [--seed S] [--only PREFIX]
 * Solves every instance in the job-shop folder one after another (single thread) and prints
 * makespan, gap to the best-known upper bound and time per instance and per set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobShopViolations } from '../engine/jobshop/check.ts';
import { parseOrLibrary } from '../engine/jobshop/instance.ts';
import { solveJobShop } from '../engine/jobshop/tabu.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function option(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}

const dir = resolve(option('--dir', join(repoRoot, '../shared/bench/jssp')));
const timeLimitMs = Number(option('--time-limit-ms', '1000'));
const seed = Number(option('--seed', '1'));
const only = option('--only', '');
const bounds = JSON.parse(readFileSync(join(dir, 'bounds.json'), 'utf8')) as Record<string, { ub: number }>;
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.txt') && f.startsWith(only))
  .map((f) => f.slice(0, -4))
  .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

const sets = new Map<string, { gaps: number[]; ms: number }>();
console.log(`instance  size     makespan      ub     gap%   time_ms   (limit ${timeLimitMs} ms, seed ${seed})`);
for (const name of names) {
  const js = parseOrLibrary(readFileSync(join(dir, `${name}.txt`), 'utf8'));
  const t0 = performance.now();
  const result = solveJobShop(js, { seed, timeLimitMs, elapsedMs: () => performance.now() - t0 });
  const ms = performance.now() - t0;
  const violations = jobShopViolations(js, result.starts, result.makespan);
  const ub = bounds[name]?.ub ?? NaN;
  const gap = (100 * (result.makespan - ub)) / ub;
  const set = name.replace(/\d+$/, '');
  const entry = sets.get(set) ?? { gaps: [], ms: 0 };
  entry.gaps.push(gap);
  entry.ms += ms;
  sets.set(set, entry);
  console.log(
    `${name.padEnd(8)}  ${`${js.jobs}x${js.machines}`.padEnd(7)}  ${String(result.makespan).padStart(8)}  ${String(ub).padStart(6)}  ${gap.toFixed(2).padStart(6)}  ${ms.toFixed(0).padStart(8)}` +
      (violations.length ? `  INVALID: ${violations[0]}` : ''),
  );
}
console.log('\nset   instances  mean_gap%  max_gap%  total_ms');
for (const [set, { gaps, ms }] of sets) {
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  console.log(`${set.padEnd(5)} ${String(gaps.length).padStart(9)}  ${mean.toFixed(2).padStart(9)}  ${Math.max(...gaps).toFixed(2).padStart(8)}  ${ms.toFixed(0).padStart(8)}`);
}
