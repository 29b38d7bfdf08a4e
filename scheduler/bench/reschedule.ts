/**
 * node scheduler/bench/reschedule.ts [--seed S] [--time-limit-ms N]
 * A generated plant (60 work centers, 120 machines, two-shift calendars, downtime, pins; 2,000
 * orders x 8 operations). Prints construction time, time to the first plan within 1% of the final
 * objective, total time with the budget, and stability after one operation overruns by 20%.
 */
import { construct } from '../engine/construct.ts';
import { schedule } from '../engine/index.ts';
import type { Plan, ScheduleOptions, Snapshot } from '../engine/model.ts';
import { compileProblem } from '../engine/problem.ts';
import { improveSchedule } from '../engine/search/factory-tabu.ts';
import { generatePlant } from './plant.ts';
import { changedOutsideDownstream, downstreamOf } from './stability.ts';

function option(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}

const seed = Number(option('--seed', '1'));
const timeLimitMs = Number(option('--time-limit-ms', '1000'));
const { snapshot, now } = generatePlant({ seed, workCenters: 60, machinesPerWorkCenter: 2, orders: 2000, operationsPerOrder: 8, downtimes: 6, pins: 5 });
const opCount = snapshot.orders.reduce((s, o) => s + o.operations.length, 0);
const baseOptions: ScheduleOptions = { seed, timeLimitMs, frozenMinutes: 120, objective: 'tardiness' };

// 1. Construction alone (compile + dispatch), through the public entry point.
const tc = performance.now();
const constructed = schedule(snapshot, null, now, { ...baseOptions, maxIterations: 0 });
const constructionMs = performance.now() - tc;
if (!constructed.ok) throw new Error(JSON.stringify(constructed.errors.slice(0, 3)));

// 2. Convergence: when did the search first hold a plan within 1% of its final objective?
const problem = compileProblem(snapshot, null, now, baseOptions);
const t0 = performance.now();
const built = construct(problem);
const trace: Array<{ ms: number; wt: number }> = [];
const constructedWt = constructed.plan.figures.weightedTardinessMinutes;
trace.push({ ms: performance.now() - t0, wt: constructedWt });
const improved = improveSchedule(problem, built.schedule, {
  seed, timeLimitMs, elapsedMs: () => performance.now() - t0,
  onImprove: (score) => trace.push({ ms: performance.now() - t0, wt: score.weightedTardinessMinutes }),
});
const finalWt = improved.score.weightedTardinessMinutes;
const within = trace.find((t) => t.wt <= finalWt * 1.01 + 1e-9)!;

// 3. The full solve with the default budget.
const tf = performance.now();
const first = schedule(snapshot, null, now, { ...baseOptions, elapsedMs: () => performance.now() - tf });
const totalMs = performance.now() - tf;
if (!first.ok) throw new Error(JSON.stringify(first.errors.slice(0, 3)));

// 4. Stability: the operation planned to start nearest to now + 8 h (late in the current shifts)
//    runs 20% longer; re-solve with the previous plan.
const plan1: Plan = first.plan;
const pivot = now + 8 * 3_600_000;
const candidates = plan1.operations.filter((o) => !o.pinned && o.end > o.start);
candidates.sort((a, b) => Math.abs(a.start - pivot) - Math.abs(b.start - pivot) || a.order.localeCompare(b.order) || a.seq - b.seq);
const overrun = candidates[0]!;
const snapshot2: Snapshot = structuredClone(snapshot);
const opInput = snapshot2.orders.find((o) => o.code === overrun.order)!.operations.find((o) => o.seq === overrun.seq)!;
opInput.runMinutesPerUnit *= 1.2;
opInput.setupMinutes *= 1.2;
const ts = performance.now();
const second = schedule(snapshot2, { operations: plan1.operations }, now, { ...baseOptions, elapsedMs: () => performance.now() - ts });
const resolveMs = performance.now() - ts;
if (!second.ok) throw new Error(JSON.stringify(second.errors.slice(0, 3)));
const downstream = downstreamOf(plan1, overrun);
const changed = changedOutsideDownstream(plan1, second.plan, downstream);
const outside = opCount - downstream.size;

const f = first.plan.figures;
console.log(`plant: ${snapshot.workCenters.length} work centers, ${snapshot.workCenters.reduce((s, w) => s + w.machines, 0)} machines, ${snapshot.orders.length} orders, ${opCount} operations (seed ${seed})`);
console.log(`construction: ${constructionMs.toFixed(0)} ms (weighted tardiness ${constructedWt.toFixed(0)} min)`);
console.log(`first plan within 1% of final: ${within.ms.toFixed(0)} ms (final weighted tardiness ${finalWt.toFixed(0)} min, ${improved.iterations} iterations)`);
console.log(`total with ${timeLimitMs} ms budget: ${totalMs.toFixed(0)} ms (late orders ${f.lateOrders}, weighted tardiness ${f.weightedTardinessMinutes.toFixed(0)} min, iterations ${f.iterations})`);
console.log(`re-solve after ${overrun.order}/${overrun.seq} runs 20% longer: ${resolveMs.toFixed(0)} ms; downstream ${downstream.size} ops; ` +
  `changed machine or relative order outside downstream: ${changed} of ${outside} (${((100 * changed) / Math.max(1, outside)).toFixed(2)}%)`);
