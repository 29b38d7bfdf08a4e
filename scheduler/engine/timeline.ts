/**
 * Working time of one machine (its calendar minus downtime) as prefix sums over intervals, so that
 * "when does W minutes of work started at t finish" is two binary searches. The horizon grows on
 * demand; the intervals come from a pure source function, so growth never changes earlier answers.
 */

export type IntervalSource = (from: number, to: number) => number[];

const INITIAL_SPAN_MS = 28 * 86_400_000;
/** Beyond this, an operation is reported as never getting working time. */
const MAX_HORIZON_MS = 20 * 365 * 86_400_000;

export interface Span {
  start: number;
  end: number;
}

export class WorkingTime {
  readonly origin: number;
  private readonly source: IntervalSource;
  /** When false, no working time exists after `finiteEnd`. */
  private readonly recurring: boolean;
  private readonly finiteEnd: number;
  horizonEnd: number;
  starts: number[] = [];
  ends: number[] = [];
  /** cumEnd[i] = working ms from origin to ends[i]. */
  cumEnd: number[] = [];

  constructor(origin: number, source: IntervalSource, recurring: boolean, finiteEnd: number) {
    this.origin = origin;
    this.source = source;
    this.recurring = recurring;
    this.finiteEnd = finiteEnd;
    this.horizonEnd = origin;
    this.grow();
  }

  /** Extends the horizon; false when no more working time can ever appear. */
  private grow(): boolean {
    const span = this.horizonEnd - this.origin;
    if (span >= MAX_HORIZON_MS) return false;
    if (!this.recurring && this.horizonEnd > this.finiteEnd) return false;
    const from = this.horizonEnd;
    const to = from + Math.max(INITIAL_SPAN_MS, span);
    const pairs = this.source(from, to);
    let cum = this.cumEnd.length ? this.cumEnd[this.cumEnd.length - 1]! : 0;
    for (let i = 0; i < pairs.length; i += 2) {
      const s = pairs[i]!;
      const e = pairs[i + 1]!;
      const last = this.ends.length - 1;
      if (last >= 0 && this.ends[last] === s) {
        cum += e - s;
        this.ends[last] = e;
        this.cumEnd[last] = cum;
      } else {
        cum += e - s;
        this.starts.push(s);
        this.ends.push(e);
        this.cumEnd.push(cum);
      }
    }
    this.horizonEnd = to;
    return true;
  }

  /** Index of the first interval ending after t, growing the horizon as needed; -1 if none ever. */
  private intervalAfter(t: number): number {
    for (;;) {
      const ends = this.ends;
      let lo = 0;
      let hi = ends.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid]! > t) hi = mid;
        else lo = mid + 1;
      }
      if (lo < ends.length) return lo;
      if (!this.grow()) return -1;
    }
  }

  /** First working instant at or after t; NaN when there is none. */
  nextWorking(t: number): number {
    const i = this.intervalAfter(t);
    if (i < 0) return NaN;
    return Math.max(t, this.starts[i]!);
  }

  /** End of the working stretch under way at t (t itself when t is outside working time). */
  stretchEnd(t: number): number {
    const i = this.intervalAfter(t);
    if (i < 0 || this.starts[i]! > t) return t;
    return this.ends[i]!;
  }

  /** Working ms from origin up to t (t at or after origin). */
  workBefore(t: number): number {
    const i = this.intervalAfter(t);
    if (i < 0) return this.cumEnd.length ? this.cumEnd[this.cumEnd.length - 1]! : 0;
    const s = this.starts[i]!;
    const before = this.cumEnd[i]! - (this.ends[i]! - s);
    return t <= s ? before : before + (t - s);
  }

  /**
   * Work of `workMs` that may begin at `earliest`: it starts at the first working instant and
   * pauses outside working time. Zero work takes no time and needs no working time.
   * Returns null when the calendar never provides enough time.
   */
  place(earliest: number, workMs: number): Span | null {
    if (workMs <= 0) return { start: earliest, end: earliest };
    const i = this.intervalAfter(earliest);
    if (i < 0) return null;
    const start = Math.max(earliest, this.starts[i]!);
    const target = this.cumEnd[i]! - (this.ends[i]! - start) + workMs;
    return this.finishAt(start, target, i);
  }

  /** Work that began (by contract) at `start` though it may only progress in working time. */
  placeFrom(start: number, workMs: number): Span | null {
    if (workMs <= 0) return { start, end: start };
    const i = this.intervalAfter(start);
    if (i < 0) return null;
    const s = Math.max(start, this.starts[i]!);
    const target = this.cumEnd[i]! - (this.ends[i]! - s) + workMs;
    const span = this.finishAt(s, target, i);
    return span && { start, end: span.end };
  }

  private finishAt(start: number, target: number, from: number): Span | null {
    while (this.cumEnd[this.cumEnd.length - 1]! < target) {
      if (!this.grow()) return null;
    }
    const cum = this.cumEnd;
    let lo = from;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return { start, end: this.ends[lo]! - (cum[lo]! - target) };
  }

  /** Whether any working time exists in [a, b). */
  worksWithin(a: number, b: number): boolean {
    if (!(b > a)) return false;
    const i = this.intervalAfter(a);
    return i >= 0 && this.starts[i]! < b;
  }
}
