/**
 * From what the month recorded per order to the figures the issue asks for. Pure: records in,
 * figures out, so the test can check the arithmetic without running a month.
 */

const HOUR_MS = 3_600_000;

/** One order that arrived during the run, as the bench saw it. Instants in epoch milliseconds. */
export interface OrderRecord {
  code: string;
  arrivedAt: number;
  releaseAt: number;
  dueAt: number;
  /** Set when its due date is a keep-promises quote the customer accepted (its promise date, the quote's P90). */
  quoted: boolean;
  /** The quote's planned date (its eta), which the promise (dueAt) is never before. */
  quotedEta?: number;
  completedAt?: number;
  /** ETA of the first plan at or after its release: the static plan, never re-planned. */
  staticEta?: number;
  /** ETA of the latest plan at or before due - 48 h / due - 24 h (absent: not in that column). */
  live48?: number;
  live24?: number;
  /** P50 / P90 sampled at due - 48 h. */
  p50?: number;
  p90?: number;
  /** The calibration factor that P90 was given with. */
  p90Scale?: number;
  /** The calibration shift that P50 was given with, minutes. */
  p50ShiftMinutes?: number;
}

export interface ErrorFigures {
  /** Orders in the column: completed, with an ETA at that instant. */
  n: number;
  maeHours: number;
  p90Hours: number;
}

export interface EtaFigures {
  orders: number;
  static: { maeHours: number; p90Hours: number };
  live48: { maeHours: number; p90Hours: number };
  live24: { maeHours: number; p90Hours: number };
  p50Met: number;
  p90Met: number;
  quotesMet: number;
  details: EtaDetails;
}

export interface EtaDetails {
  arrived: number;
  openAtEnd: number;
  columns: { static: ErrorFigures; live48: ErrorFigures; live24: ErrorFigures };
  /** The static plan on exactly the orders of the live columns: the like-for-like baseline. */
  staticOnLive48: ErrorFigures;
  staticOnLive24: ErrorFigures;
  /** The P50 sampled at due - 48 h as the estimate, and the static plan on exactly those orders. */
  p50At48: ErrorFigures;
  staticOnP50At48: ErrorFigures;
  /** 1 - live MAE / static MAE on the same orders: the gain in delivery-date accuracy. */
  gain48: number;
  /** The same gain had the date told at due - 48 h been the P50 of the futures rather than the plan's. */
  gainP50At48: number;
  gain24: number;
  /** Orders each share counts (decided: finished, or their date passed before the end) and how many stayed undecided. */
  shares: { p50: Share; p90: Share; quotes: Share; quotesByEta: Share };
  /** Mean signed error (ETA - actual) in hours: positive means the ETA was late (pessimistic). */
  biasHours: { static: number; live48: number; live24: number };
}

export interface Share {
  met: number;
  decided: number;
  undecided: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

type EtaKey = 'staticEta' | 'live48' | 'live24' | 'p50';

function errors(records: readonly OrderRecord[], key: EtaKey): ErrorFigures & { bias: number } {
  const absolute: number[] = [];
  let signed = 0;
  for (const r of records) {
    const eta = r[key];
    if (eta === undefined || r.completedAt === undefined) continue;
    absolute.push(Math.abs(eta - r.completedAt) / HOUR_MS);
    signed += (eta - r.completedAt) / HOUR_MS;
  }
  absolute.sort((a, b) => a - b);
  const n = absolute.length;
  return {
    n,
    maeHours: n ? round2(absolute.reduce((s, x) => s + x, 0) / n) : NaN,
    p90Hours: round2(percentile(absolute, 90)),
    bias: n ? round2(signed / n) : NaN,
  };
}

/**
 * Met: finished by the date. An order still open at the end whose date had passed is decided (missed);
 * one whose date is still ahead is undecided and left out of the share, counted apart.
 */
function share(records: readonly OrderRecord[], dateOf: (r: OrderRecord) => number | undefined, end: number): Share {
  const s: Share = { met: 0, decided: 0, undecided: 0 };
  for (const r of records) {
    const date = dateOf(r);
    if (date === undefined) continue;
    if (r.completedAt !== undefined) {
      s.decided++;
      if (r.completedAt <= date) s.met++;
    } else if (date < end) s.decided++;
    else s.undecided++;
  }
  return s;
}

const fraction = (s: Share): number => (s.decided ? round3(s.met / s.decided) : NaN);

export function etaFigures(records: readonly OrderRecord[], end: number): EtaFigures {
  const staticAll = errors(records, 'staticEta');
  const live48 = errors(records, 'live48');
  const live24 = errors(records, 'live24');
  const staticOn48 = errors(records.filter((r) => r.live48 !== undefined), 'staticEta');
  const staticOn24 = errors(records.filter((r) => r.live24 !== undefined), 'staticEta');
  const p50At48 = errors(records, 'p50');
  const staticOnP50 = errors(records.filter((r) => r.p50 !== undefined), 'staticEta');
  const shares = {
    p50: share(records, (r) => r.p50, end),
    p90: share(records, (r) => r.p90, end),
    quotes: share(records, (r) => (r.quoted ? r.dueAt : undefined), end),
    quotesByEta: share(records, (r) => (r.quoted ? r.quotedEta : undefined), end),
  };
  const strip = ({ bias: _bias, ...f }: ErrorFigures & { bias: number }): ErrorFigures => f;
  const pair = (f: ErrorFigures) => ({ maeHours: f.maeHours, p90Hours: f.p90Hours });
  return {
    orders: staticAll.n,
    static: pair(staticAll),
    live48: pair(live48),
    live24: pair(live24),
    p50Met: fraction(shares.p50),
    p90Met: fraction(shares.p90),
    quotesMet: fraction(shares.quotes),
    details: {
      arrived: records.length,
      openAtEnd: records.filter((r) => r.completedAt === undefined).length,
      columns: { static: strip(staticAll), live48: strip(live48), live24: strip(live24) },
      staticOnLive48: strip(staticOn48),
      staticOnLive24: strip(staticOn24),
      p50At48: strip(p50At48),
      staticOnP50At48: strip(staticOnP50),
      gain48: round3(1 - live48.maeHours / staticOn48.maeHours),
      gainP50At48: round3(1 - p50At48.maeHours / staticOnP50.maeHours),
      gain24: round3(1 - live24.maeHours / staticOn24.maeHours),
      shares,
      biasHours: { static: staticAll.bias, live48: live48.bias, live24: live24.bias },
    },
  };
}
