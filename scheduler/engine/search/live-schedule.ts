/**
 * A schedule under local search: machine sequences as linked lists, a topological rank per
 * operation, and incremental re-timing. A move changes one operation's place; only operations
 * reachable from it are re-timed (in rank order, stopping where times no longer change), with the
 * same timing function as everywhere else. Trial moves are undone from a change log.
 */
import { MINUTE_MS } from '../calendar.ts';
import { etaFrom, lastOpOf, tardinessWeight, type Score } from '../evaluate.ts';
import { STATUS_RUNNING } from '../problem.ts';
import type { Problem } from '../problem.ts';
import type { Schedule } from '../schedule-state.ts';
import { earliestStart, timeOperation } from '../timing.ts';

export interface Move {
  op: number;
  toMachine: number;
  /** Insert right before this operation of toMachine; -1 appends. */
  before: number;
}

export class LiveSchedule {
  readonly p: Problem;
  readonly machine: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly setup: Float64Array;
  readonly prev: Int32Array;
  readonly next: Int32Array;
  readonly head: Int32Array;
  readonly tail: Int32Array;
  private rank: Float64Array;
  private spareRank: Float64Array;
  private readonly heap: Int32Array;
  private heapSize = 0;
  private readonly inHeap: Uint8Array;
  // Change log of re-timed operations for undo.
  private readonly logOp: Int32Array;
  private readonly logStart: Float64Array;
  private readonly logEnd: Float64Array;
  private readonly logSetup: Float64Array;
  private logSize = 0;
  private readonly kahnWaiting: Int32Array;
  private readonly kahnQueue: Int32Array;
  /** Running totals for the score. */
  private wt = 0;
  private flow = 0;
  private moved = 0;
  private readonly lastOpOfOrder: Uint8Array;

  constructor(p: Problem, s: Schedule) {
    const n = p.opCount;
    this.p = p;
    this.machine = s.machine.slice();
    this.start = s.start.slice();
    this.end = s.end.slice();
    this.setup = s.setup.slice();
    this.prev = new Int32Array(n).fill(-1);
    this.next = new Int32Array(n).fill(-1);
    this.head = new Int32Array(p.machineCount).fill(-1);
    this.tail = new Int32Array(p.machineCount).fill(-1);
    s.sequence.forEach((seq, m) => {
      for (let k = 0; k < seq.length; k++) {
        const op = seq[k]!;
        this.prev[op] = k > 0 ? seq[k - 1]! : -1;
        this.next[op] = k + 1 < seq.length ? seq[k + 1]! : -1;
      }
      if (seq.length) { this.head[m] = seq[0]!; this.tail[m] = seq[seq.length - 1]!; }
    });
    this.rank = new Float64Array(n);
    this.spareRank = new Float64Array(n);
    this.heap = new Int32Array(n);
    this.inHeap = new Uint8Array(n);
    this.logOp = new Int32Array(n);
    this.logStart = new Float64Array(n);
    this.logEnd = new Float64Array(n);
    this.logSetup = new Float64Array(n);
    this.kahnWaiting = new Int32Array(n);
    this.kahnQueue = new Int32Array(n);
    this.lastOpOfOrder = new Uint8Array(n);
    for (let o = 0; o < p.orders.length; o++) if (lastOpOf(p, o) >= 0) this.lastOpOfOrder[lastOpOf(p, o)] = 1;
    this.computeRanks(this.rank);
    for (let o = 0; o < p.orders.length; o++) {
      const last = lastOpOf(p, o);
      if (last >= 0) this.addOrder(last, etaFrom(p, this.end, o), 1);
    }
    for (let i = 0; i < n; i++) if (this.isMoved(i)) this.moved++;
  }

  private addOrder(lastOp: number, end: number, sign: number): void {
    const o = this.p.orders[this.p.opOrder[lastOp]!]!;
    if (end > o.dueAt) this.wt += sign * tardinessWeight(o) * (end - o.dueAt);
    this.flow += sign * (end - Math.max(this.p.now, o.releaseAt ?? this.p.now));
  }

  private isMoved(op: number): boolean {
    const prev = this.p.opPrevMachine[op]!;
    return prev >= 0 && (prev !== this.machine[op] || this.p.opPrevStart[op] !== this.start[op]);
  }

  score(): Score {
    let makespan = this.p.now;
    const end = this.end;
    for (let i = 0; i < end.length; i++) if (end[i]! > makespan) makespan = end[i]!;
    let lateOrders = 0;
    for (let o = 0; o < this.p.orders.length; o++) {
      if (lastOpOf(this.p, o) >= 0 && etaFrom(this.p, end, o) > this.p.orders[o]!.dueAt) lateOrders++;
    }
    return {
      weightedTardinessMinutes: Math.round(this.wt) / MINUTE_MS,
      lateOrders,
      makespan,
      totalFlowMinutes: Math.round(this.flow) / MINUTE_MS,
      movedOperations: this.moved,
    };
  }

  /** Topological ranks of the current graph into `out`; false on a cycle. */
  private computeRanks(out: Float64Array): boolean {
    const { p, prev, next } = this;
    const n = p.opCount;
    const waiting = this.kahnWaiting;
    const queue = this.kahnQueue;
    let qt = 0;
    for (let op = 0; op < n; op++) {
      waiting[op] = (p.opPred[op]! >= 0 && p.opStatus[op] !== STATUS_RUNNING ? 1 : 0) + (prev[op]! >= 0 ? 1 : 0);
      if (waiting[op] === 0) queue[qt++] = op;
    }
    for (let qh = 0; qh < qt; qh++) {
      const op = queue[qh]!;
      out[op] = qh;
      const succ = p.opSucc[op]!;
      if (succ >= 0 && p.opStatus[succ] !== STATUS_RUNNING && --waiting[succ]! === 0) queue[qt++] = succ;
      const ms = next[op]!;
      if (ms >= 0 && --waiting[ms]! === 0) queue[qt++] = ms;
    }
    return qt === n;
  }

  private unlink(op: number): void {
    const m = this.machine[op]!;
    const a = this.prev[op]!;
    const b = this.next[op]!;
    if (a >= 0) this.next[a] = b;
    else this.head[m] = b;
    if (b >= 0) this.prev[b] = a;
    else this.tail[m] = a;
    this.prev[op] = this.next[op] = -1;
  }

  private link(op: number, m: number, before: number): void {
    const after = before >= 0 ? this.prev[before]! : this.tail[m]!;
    this.prev[op] = after;
    this.next[op] = before;
    if (after >= 0) this.next[after] = op;
    else this.head[m] = op;
    if (before >= 0) this.prev[before] = op;
    else this.tail[m] = op;
    this.machine[op] = m;
  }

  private push(op: number): void {
    if (op < 0 || this.inHeap[op]) return;
    this.inHeap[op] = 1;
    const h = this.heap;
    const r = this.rank;
    let i = this.heapSize++;
    h[i] = op;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (r[h[parent]!]! <= r[op]!) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = op;
  }

  private pop(): number {
    const h = this.heap;
    const r = this.rank;
    const top = h[0]!;
    const last = h[--this.heapSize]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.heapSize) break;
      const c = l + 1 < this.heapSize && r[h[l + 1]!]! < r[h[l]!]! ? l + 1 : l;
      if (r[h[c]!]! >= r[last]!) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    this.inHeap[top] = 0;
    return top;
  }

  private movedOp = -1;
  private movedFromMachine = -1;
  private movedFromBefore = -1;
  private movedOldRank = 0;
  private ranksSwapped = false;
  /** Whether the moved operation's own "moved" flag is currently counted in `moved`. */
  private movedOpCounted = false;

  /**
   * Applies the move and re-times what it affects. Returns false (having undone everything) when
   * the result is infeasible. Until the next `apply`, `undo` reverts it from the change log.
   */
  apply(move: Move): boolean {
    const { p } = this;
    const op = move.op;
    this.movedOp = op;
    this.movedFromMachine = this.machine[op]!;
    this.movedFromBefore = this.next[op]!;
    this.movedOldRank = this.rank[op]!;
    this.ranksSwapped = false;
    this.logSize = 0;
    if (this.isMoved(op)) this.moved--;
    this.movedOpCounted = false;
    const oldNext = this.next[op]!;
    this.unlink(op);
    this.link(op, move.toMachine, move.before);
    // Fit the operation's rank between its new predecessors and successors, else re-rank all.
    const jp = p.opStatus[op] !== STATUS_RUNNING ? p.opPred[op]! : -1;
    const js = p.opSucc[op]! >= 0 && p.opStatus[p.opSucc[op]!] !== STATUS_RUNNING ? p.opSucc[op]! : -1;
    const mp = this.prev[op]!;
    const ms = this.next[op]!;
    const lo = Math.max(jp >= 0 ? this.rank[jp]! : -1, mp >= 0 ? this.rank[mp]! : -1);
    const hi = Math.min(js >= 0 ? this.rank[js]! : Infinity, ms >= 0 ? this.rank[ms]! : Infinity);
    if (lo < hi && (hi === Infinity || (hi - lo) > 1e-9 * Math.max(1, Math.abs(hi)))) {
      this.rank[op] = hi === Infinity ? lo + 1 : (lo + hi) / 2;
    } else {
      if (!this.computeRanks(this.spareRank)) {
        this.restoreLinks();
        if (this.isMoved(op)) this.moved++;
        return false;
      }
      [this.rank, this.spareRank] = [this.spareRank, this.rank];
      this.ranksSwapped = true;
    }
    this.logRetime(op);
    this.push(op);
    this.push(oldNext);
    this.push(ms);
    const feasible = this.propagate();
    if (!feasible) {
      this.undo();
      return false;
    }
    if (this.isMoved(op)) this.moved++;
    this.movedOpCounted = true;
    return true;
  }

  private logRetime(op: number): void {
    const k = this.logSize++;
    this.logOp[k] = op;
    this.logStart[k] = this.start[op]!;
    this.logEnd[k] = this.end[op]!;
    this.logSetup[k] = this.setup[op]!;
  }

  private propagate(): boolean {
    const { p } = this;
    let ok = true;
    while (this.heapSize > 0) {
      const op = this.pop();
      if (!ok) continue; // drain the heap
      const pred = p.opPred[op]!;
      const mp = this.prev[op]!;
      const running = p.opStatus[op] === STATUS_RUNNING;
      if (running && mp >= 0) {
        ok = false;
        continue;
      }
      const jobReady = earliestStart(p, op, pred >= 0 ? this.end[pred]! : -Infinity);
      const ready = mp >= 0 ? Math.max(jobReady, this.end[mp]!) : jobReady;
      const timing = timeOperation(p, this.machine[op]!, mp, ready, op);
      if (!timing || (!running && timing.start < ready)) {
        ok = false;
        continue;
      }
      if (timing.start === this.start[op] && timing.end === this.end[op] && timing.setup === this.setup[op] && op !== this.movedOp) continue;
      if (op !== this.movedOp) this.logRetime(op);
      const wasMoved = this.isMoved(op);
      if (this.lastOpOfOrder[op]) {
        this.addOrder(op, this.end[op]!, -1);
        this.addOrder(op, timing.end, 1);
      }
      this.start[op] = timing.start;
      this.end[op] = timing.end;
      this.setup[op] = timing.setup;
      if (op !== this.movedOp && wasMoved !== this.isMoved(op)) this.moved += wasMoved ? -1 : 1;
      const succ = p.opSucc[op]!;
      if (succ >= 0 && p.opStatus[succ] !== STATUS_RUNNING) this.push(succ);
      this.push(this.next[op]!);
    }
    return ok;
  }

  private restoreLinks(): void {
    const op = this.movedOp;
    this.unlink(op);
    this.link(op, this.movedFromMachine, this.movedFromBefore);
  }

  /** Reverts the last `apply`. */
  undo(): void {
    const op = this.movedOp;
    if (this.movedOpCounted && this.isMoved(op)) this.moved--;
    this.movedOpCounted = false;
    for (let k = this.logSize - 1; k >= 0; k--) {
      const x = this.logOp[k]!;
      const was = x !== op && this.isMoved(x);
      if (this.lastOpOfOrder[x]) {
        this.addOrder(x, this.end[x]!, -1);
        this.addOrder(x, this.logEnd[k]!, 1);
      }
      this.start[x] = this.logStart[k]!;
      this.end[x] = this.logEnd[k]!;
      this.setup[x] = this.logSetup[k]!;
      if (x !== op && was !== this.isMoved(x)) this.moved += was ? -1 : 1;
    }
    this.restoreLinks();
    if (this.isMoved(op)) this.moved++;
    if (this.ranksSwapped) [this.rank, this.spareRank] = [this.spareRank, this.rank];
    else this.rank[op] = this.movedOldRank;
    this.logSize = 0;
  }

  /** Machine sequences, times and setups as a plain Schedule. */
  toSchedule(): Schedule {
    const sequence: number[][] = [];
    for (let m = 0; m < this.p.machineCount; m++) {
      const seq: number[] = [];
      for (let op = this.head[m]!; op >= 0; op = this.next[op]!) seq.push(op);
      sequence.push(seq);
    }
    return { machine: this.machine.slice(), start: this.start.slice(), end: this.end.slice(), setup: this.setup.slice(), sequence };
  }
}
