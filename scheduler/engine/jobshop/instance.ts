/**
 * An integer-time job shop: jobs are chains of operations, each on one machine with a duration.
 * Operations are numbered job by job in route order.
 */
export interface JobShop {
  jobs: number;
  machines: number;
  opCount: number;
  jobFirstOp: Int32Array; // jobFirstOp[j]..jobFirstOp[j+1]-1
  opJob: Int32Array;
  opMachine: Int32Array;
  opDuration: Int32Array;
}

export function jobShopFromRoutes(machines: number, routes: Array<Array<[machine: number, duration: number]>>): JobShop {
  const opCount = routes.reduce((s, r) => s + r.length, 0);
  const jobFirstOp = new Int32Array(routes.length + 1);
  const opJob = new Int32Array(opCount);
  const opMachine = new Int32Array(opCount);
  const opDuration = new Int32Array(opCount);
  let i = 0;
  routes.forEach((route, j) => {
    jobFirstOp[j] = i;
    for (const [m, d] of route) {
      if (!Number.isInteger(m) || m < 0 || m >= machines) throw new Error(`job ${j}: machine ${m} is not 0..${machines - 1}`);
      if (!Number.isInteger(d) || d < 0) throw new Error(`job ${j}: duration ${d} is not a non-negative integer`);
      opJob[i] = j;
      opMachine[i] = m;
      opDuration[i] = d;
      i++;
    }
  });
  jobFirstOp[routes.length] = i;
  return { jobs: routes.length, machines, opCount, jobFirstOp, opJob, opMachine, opDuration };
}

/** OR-Library format: "<jobs> <machines>" then one line per job of "<machine> <duration>" pairs. */
export function parseOrLibrary(text: string): JobShop {
  const numbers = text.split(/\s+/).filter((t) => t !== '').map(Number);
  if (numbers.length < 2 || numbers.some((x) => !Number.isFinite(x))) throw new Error('not an OR-Library job-shop instance');
  const [jobs, machines] = numbers as [number, number];
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const routes: Array<Array<[number, number]>> = [];
  // Prefer one job per line; fall back to `machines` pairs per job when lines are wrapped.
  const jobLines = lines.slice(1, 1 + jobs).map((l) => l.split(/\s+/).map(Number));
  if (jobLines.length === jobs && jobLines.every((l) => l.length % 2 === 0)) {
    for (const l of jobLines) {
      const route: Array<[number, number]> = [];
      for (let k = 0; k < l.length; k += 2) route.push([l[k]!, l[k + 1]!]);
      routes.push(route);
    }
  } else {
    let at = 2;
    for (let j = 0; j < jobs; j++) {
      const route: Array<[number, number]> = [];
      for (let k = 0; k < machines; k++, at += 2) route.push([numbers[at]!, numbers[at + 1]!]);
      routes.push(route);
    }
  }
  return jobShopFromRoutes(machines, routes);
}
