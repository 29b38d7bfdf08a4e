/**
 * node scheduler/bench/jssp.ts FILE --time-limit-ms N --seed S
 * Solves an OR-Library job-shop instance; prints one JSON line {"makespan", "starts"} on stdout.
 */
import { readFileSync } from 'node:fs';
import { parseOrLibrary } from '../engine/jobshop/instance.ts';
import { solveJobShop } from '../engine/jobshop/tabu.ts';

export function parseArgs(argv: string[]): { file: string; timeLimitMs: number; seed: number } {
  let file = '';
  let timeLimitMs = 1000;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--time-limit-ms') timeLimitMs = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a.startsWith('--time-limit-ms=')) timeLimitMs = Number(a.split('=')[1]);
    else if (a.startsWith('--seed=')) seed = Number(a.split('=')[1]);
    else file = a;
  }
  if (!file || !Number.isFinite(timeLimitMs) || !Number.isFinite(seed)) {
    throw new Error('usage: jssp.ts FILE --time-limit-ms N --seed S');
  }
  return { file, timeLimitMs, seed };
}

function main(): void {
  const started = performance.now();
  const { file, timeLimitMs, seed } = parseArgs(process.argv.slice(2));
  const js = parseOrLibrary(readFileSync(file, 'utf8'));
  // Leave a little of the limit for start-up and printing.
  const budget = Math.max(0, timeLimitMs - (performance.now() - started) - 30);
  const t0 = performance.now();
  const result = solveJobShop(js, { seed, timeLimitMs: budget, elapsedMs: () => performance.now() - t0 });
  const starts: number[][] = [];
  for (let j = 0; j < js.jobs; j++) starts.push(Array.from(result.starts.subarray(js.jobFirstOp[j], js.jobFirstOp[j + 1])));
  process.stdout.write(`${JSON.stringify({ makespan: result.makespan, starts })}\n`);
}

if (import.meta.main) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
