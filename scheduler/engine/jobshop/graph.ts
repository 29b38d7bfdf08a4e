/**
 * A job-shop solution as a disjunctive graph: machine sequences (one flat array, machine by
 * machine), heads (earliest starts), tails (longest path after completion), a critical path, and
 * insertion moves with Balas-Vazacopoulos feasibility and fast approximate evaluation.
 */
import type { Random } from '../random.ts';
import type { JobShop } from './instance.ts';

export class JobShopGraph {
  readonly js: JobShop;
  readonly n: number;
  /** Flat machine sequences: machine m holds seq[machineStart[m] .. machineStart[m+1]). */
  readonly seq: Int32Array;
  readonly machineStart: Int32Array;
  readonly pos: Int32Array;
  readonly head: Int32Array;
  readonly tail: Int32Array;
  makespan = 0;
  private readonly indeg: Int32Array;
  private readonly order: Int32Array;
  private readonly segmentHeads: Int32Array;
  readonly path: Int32Array;
  pathLength = 0;

  constructor(js: JobShop) {
    this.js = js;
    const n = js.opCount;
    this.n = n;
    this.machineStart = new Int32Array(js.machines + 1);
    for (let i = 0; i < n; i++) this.machineStart[js.opMachine[i]! + 1]!++;
    for (let m = 0; m < js.machines; m++) this.machineStart[m + 1]! += this.machineStart[m]!;
    this.seq = new Int32Array(n);
    this.pos = new Int32Array(n);
    this.head = new Int32Array(n);
    this.tail = new Int32Array(n);
    this.indeg = new Int32Array(n);
    this.order = new Int32Array(n);
    this.segmentHeads = new Int32Array(n);
    this.path = new Int32Array(n);
  }

  /** Loads machine sequences (flat, as produced by `seq`) and evaluates; false if cyclic. */
  load(flat: Int32Array): boolean {
    this.seq.set(flat);
    for (let k = 0; k < this.n; k++) this.pos[this.seq[k]!] = k;
    return this.evaluate();
  }

  loadSequences(sequences: Int32Array[]): boolean {
    const flat = new Int32Array(this.n);
    sequences.forEach((s, m) => flat.set(s, this.machineStart[m]));
    return this.load(flat);
  }

  jobPred(x: number): number {
    return x > this.js.jobFirstOp[this.js.opJob[x]!]! ? x - 1 : -1;
  }
  jobSucc(x: number): number {
    return x + 1 < this.js.jobFirstOp[this.js.opJob[x]! + 1]! ? x + 1 : -1;
  }
  machinePred(x: number): number {
    const p = this.pos[x]!;
    return p > this.machineStart[this.js.opMachine[x]!]! ? this.seq[p - 1]! : -1;
  }
  machineSucc(x: number): number {
    const p = this.pos[x]!;
    return p + 1 < this.machineStart[this.js.opMachine[x]! + 1]! ? this.seq[p + 1]! : -1;
  }

  /** Heads and tails by topological order (Kahn); false when the sequences contain a cycle. */
  evaluate(): boolean {
    const { n, head, tail, indeg, order } = this;
    const dur = this.js.opDuration;
    for (let x = 0; x < n; x++) indeg[x] = (this.jobPred(x) >= 0 ? 1 : 0) + (this.machinePred(x) >= 0 ? 1 : 0);
    let qh = 0;
    let qt = 0;
    for (let x = 0; x < n; x++) if (indeg[x] === 0) order[qt++] = x;
    while (qh < qt) {
      const x = order[qh++]!;
      const jp = this.jobPred(x);
      const mp = this.machinePred(x);
      head[x] = Math.max(jp >= 0 ? head[jp]! + dur[jp]! : 0, mp >= 0 ? head[mp]! + dur[mp]! : 0);
      const js = this.jobSucc(x);
      if (js >= 0 && --indeg[js]! === 0) order[qt++] = js;
      const ms = this.machineSucc(x);
      if (ms >= 0 && --indeg[ms]! === 0) order[qt++] = ms;
    }
    if (qt < n) return false;
    let makespan = 0;
    for (let k = n - 1; k >= 0; k--) {
      const x = order[k]!;
      const js = this.jobSucc(x);
      const ms = this.machineSucc(x);
      tail[x] = Math.max(js >= 0 ? tail[js]! + dur[js]! : 0, ms >= 0 ? tail[ms]! + dur[ms]! : 0);
      const len = head[x]! + dur[x]! + tail[x];
      if (len > makespan) makespan = len;
    }
    this.makespan = makespan;
    return true;
  }

  /** One critical path (source to sink) into `path`; ties broken by `random`. */
  criticalPath(random: Random): void {
    const { head, tail, n } = this;
    const dur = this.js.opDuration;
    // Pick a random critical operation without critical successor, then walk back.
    let x = -1;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      if (head[i]! + dur[i]! === this.makespan && tail[i] === 0 && random.int(++seen) === 0) x = i;
    }
    let len = 0;
    const reversed = this.path;
    while (x >= 0) {
      reversed[len++] = x;
      const jp = this.jobPred(x);
      const mp = this.machinePred(x);
      const jpTight = jp >= 0 && head[jp]! + dur[jp]! === head[x];
      const mpTight = mp >= 0 && head[mp]! + dur[mp]! === head[x];
      x = jpTight && mpTight ? (random.int(2) === 0 ? jp : mp) : jpTight ? jp : mpTight ? mp : -1;
    }
    reversed.subarray(0, len).reverse();
    this.pathLength = len;
  }

  sameMachineAdjacent = (a: number, b: number): boolean => this.js.opMachine[a] === this.js.opMachine[b] && this.pos[b] === this.pos[a]! + 1;

  /** Moving u forward to right after v (same machine, u before v) keeps the graph acyclic. */
  forwardFeasible(u: number, v: number): boolean {
    const js = this.jobSucc(u);
    return js < 0 || this.tail[v]! + this.js.opDuration[v]! >= this.tail[js]! + this.js.opDuration[js]!;
  }

  /** Moving u backward to right before v (v before u) keeps the graph acyclic. */
  backwardFeasible(u: number, v: number): boolean {
    const jp = this.jobPred(u);
    return jp < 0 || this.head[v]! + this.js.opDuration[v]! >= this.head[jp]! + this.js.opDuration[jp]!;
  }

  /**
   * Approximate makespan after moving the operation at flat position `from` to position `to` on
   * the same machine: heads and tails are recomputed only inside the moved segment.
   */
  estimateMove(from: number, to: number): number {
    const { seq, head, tail } = this;
    const dur = this.js.opDuration;
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    const m = this.js.opMachine[seq[from]!]!;
    const u = seq[from]!;
    const at = (k: number): number => (from < to ? (k === hi ? u : seq[k + 1]!) : k === lo ? u : seq[k - 1]!);
    let prevEnd = lo > this.machineStart[m]! ? head[seq[lo - 1]!]! + dur[seq[lo - 1]!]! : 0;
    const newHead = this.segmentHeads;
    for (let k = lo; k <= hi; k++) {
      const x = at(k);
      const jp = this.jobPred(x);
      const h = Math.max(prevEnd, jp >= 0 ? head[jp]! + dur[jp]! : 0);
      newHead[k - lo] = h;
      prevEnd = h + dur[x]!;
    }
    let nextTail = hi + 1 < this.machineStart[m + 1]! ? tail[seq[hi + 1]!]! + dur[seq[hi + 1]!]! : 0;
    let best = 0;
    for (let k = hi; k >= lo; k--) {
      const x = at(k);
      const js = this.jobSucc(x);
      const t = Math.max(nextTail, js >= 0 ? tail[js]! + dur[js]! : 0);
      const len = newHead[k - lo]! + dur[x]! + t;
      if (len > best) best = len;
      nextTail = t + dur[x]!;
    }
    return best;
  }

  /** Moves the operation at flat position `from` to `to` (same machine) and re-evaluates. */
  applyMove(from: number, to: number): boolean {
    const { seq, pos } = this;
    const u = seq[from]!;
    if (from < to) for (let k = from; k < to; k++) { seq[k] = seq[k + 1]!; pos[seq[k]!] = k; }
    else for (let k = from; k > to; k--) { seq[k] = seq[k - 1]!; pos[seq[k]!] = k; }
    seq[to] = u;
    pos[u] = to;
    return this.evaluate();
  }

  /** Start times of a loaded, evaluated solution (heads). */
  starts(): Int32Array {
    return this.head.slice();
  }
}

