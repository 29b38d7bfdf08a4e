/** Independent check of a job-shop schedule: routing precedence and no machine overlap. */
import type { JobShop } from './instance.ts';

/** Problems found (empty when the schedule is valid); `starts` is indexed job by job. */
export function jobShopViolations(js: JobShop, starts: ArrayLike<number>, makespan: number): string[] {
  const problems: string[] = [];
  let latest = 0;
  for (let j = 0; j < js.jobs; j++) {
    for (let i = js.jobFirstOp[j]!; i < js.jobFirstOp[j + 1]!; i++) {
      if (!(starts[i]! >= 0)) problems.push(`job ${j} op ${i - js.jobFirstOp[j]!} starts at ${starts[i]}`);
      if (i > js.jobFirstOp[j]! && starts[i]! < starts[i - 1]! + js.opDuration[i - 1]!) {
        problems.push(`job ${j} op ${i - js.jobFirstOp[j]!} starts before its predecessor ends`);
      }
      latest = Math.max(latest, starts[i]! + js.opDuration[i]!);
    }
  }
  const byMachine: number[][] = Array.from({ length: js.machines }, () => []);
  for (let i = 0; i < js.opCount; i++) if (js.opDuration[i]! > 0) byMachine[js.opMachine[i]!]!.push(i);
  byMachine.forEach((ops, m) => {
    ops.sort((a, b) => starts[a]! - starts[b]!);
    for (let k = 1; k < ops.length; k++) {
      if (starts[ops[k]!]! < starts[ops[k - 1]!]! + js.opDuration[ops[k - 1]!]!) problems.push(`machine ${m}: operations ${ops[k - 1]} and ${ops[k]} overlap`);
    }
  });
  if (latest !== makespan) problems.push(`makespan ${makespan} but the last operation ends at ${latest}`);
  return problems;
}
