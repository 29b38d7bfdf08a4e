/**
 * The simulated worker's look at the rack before starting a job: a real worker cannot cut sheet the
 * plant does not have. Stock already promised to running jobs (the units they still have to make) is
 * not free; a job starts only if what is left covers every BOM line at its step, and starting it
 * promises that stock in turn. So the floor the simulator plays never books the stock below zero,
 * and a job the plan holds for a shortage waits for the goods as the plan says.
 */

export interface GateBomLine {
  product: string;
  component: string;
  seq: number;
  quantityPerUnit: number;
}

export interface GateJob {
  product: string;
  seq: number;
  /** Units still to make (quantity less good and scrap already reported). */
  units: number;
}

// Quantities per unit are decimals; float dust must not refuse a job that exactly fits.
const EPSILON = 1e-6;

export class MaterialGate {
  readonly #free: Map<string, number>;
  readonly #lines: Map<string, GateBomLine[]>;

  constructor(onHand: ReadonlyMap<string, number>, bom: readonly GateBomLine[], running: readonly GateJob[]) {
    this.#free = new Map(onHand);
    this.#lines = new Map();
    for (const line of bom) {
      const key = `${line.product}#${line.seq}`;
      this.#lines.set(key, [...(this.#lines.get(key) ?? []), line]);
    }
    for (const job of running) this.#take(job);
  }

  /** Whether the job's components are free for all its units; if so they are promised to it. */
  tryStart(job: GateJob): boolean {
    const needs = this.#needs(job);
    if (needs.some(([component, need]) => need > (this.#free.get(component) ?? 0) + EPSILON)) return false;
    this.#take(job);
    return true;
  }

  #needs(job: GateJob): [string, number][] {
    return (this.#lines.get(`${job.product}#${job.seq}`) ?? []).map((l) => [l.component, Math.max(0, job.units) * l.quantityPerUnit]);
  }

  #take(job: GateJob): void {
    for (const [component, need] of this.#needs(job)) this.#free.set(component, (this.#free.get(component) ?? 0) - need);
  }
}
