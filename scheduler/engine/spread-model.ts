/**
 * How long work really takes, and how often machines fail, learned from history: the model the
 * ETA spread (eta-spread.ts) samples futures from. Pure: the caller reads the history.
 *
 * Durations: per work center, the log of actual / standard minutes of completed operations is taken
 * as normal (a log-normal factor on the routing's standard). Both its mean and its spread are shrunk
 * towards a prior (the routing is honest on average, with a moderate spread) by pseudo-observations,
 * so a work center with three jobs of history gets neither a wild mean nor a spread of zero. A
 * product family gets an entry of its own at a work center once it has enough jobs there.
 *
 * Breakdowns: per work center, failures per machine and working hour (a Poisson process in working
 * time) and the mean repair minutes, from its breakdown andons, shrunk towards a prior of one failure
 * per 200 working hours and an hour's repair.
 *
 * Holds: per work center, the share of jobs held when they were due to start (material missing, a
 * quality stop) and the mean wait, from its material and quality andons, shrunk towards one job in
 * fifty held for two hours.
 *
 * Calibration: the futures know the work on the floor, not what the floor does not know yet (orders
 * still to come that jump the queue, a supplier's week). So the P90s the plant already gave are
 * checked against what happened (a split-conformal check): the factor by which the P90's margin over
 * the ETA must grow for nine in ten of those orders to have finished within it. Never below 1 (the
 * sampling is not narrowed by history), and only once enough orders are known. The P50 is checked the
 * same way and moved, earlier or later, by the median of how far those orders finished from it: the
 * shift that would have put half of them within it.
 */

export interface DurationObservation {
  workCenter: string;
  family?: string;
  /** setup + run per unit x units, from the routing. */
  standardMinutes: number;
  /** Working minutes from start to completion. */
  actualMinutes: number;
}

export interface BreakdownHistory {
  workCenter: string;
  machines: number;
  /** Working hours of the work center's calendar in the observed window. */
  observedHours: number;
  /** Minutes from raise to resolve of each breakdown in the window. */
  repairMinutes: number[];
}

export interface HoldHistory {
  workCenter: string;
  /** Jobs started at the work center in the window. */
  starts: number;
  /** Minutes from raise to resolve of each material or quality hold in the window. */
  delayMinutes: number[];
}

export interface HoldSpread {
  workCenter: string;
  /** Probability that a job is held when it is due to start. */
  perStart: number;
  meanMinutes: number;
  n: number;
}

export interface DurationSpread {
  workCenter: string;
  family?: string;
  /** actual / standard = exp(N(logMean, logSd)). */
  logMean: number;
  logSd: number;
  /** Observations behind it (0: the prior alone). */
  n: number;
}

export interface BreakdownSpread {
  workCenter: string;
  perMachineHour: number;
  repairMinutes: number;
  n: number;
}

/** A P90 the plant gave, with the ETA it was given with and the order's actual completion. */
export interface CalibrationObservation {
  eta: number;
  p90: number;
  completedAt: number;
  /**
   * The calibration factor that P90 was given with (absent: 1). The factor is fitted to the futures'
   * own margin, so a P90 given with a factor is divided back by it: fitting to widened margins would
   * undo the widening on the next run and the coverage would swing.
   */
  scale?: number;
  /** The P50 given with it, and the shift in minutes it was given with (absent: 0), moved back as the scale is divided back. */
  p50?: number;
  p50ShiftMinutes?: number;
}

export interface SpreadModel {
  durations: DurationSpread[];
  breakdowns: BreakdownSpread[];
  /** Absent in models stored before holds were learned: no holds drawn. */
  holds?: HoldSpread[];
  /** The P90's margin over the ETA is multiplied by this (1 with too little history). */
  p90Scale?: { scale: number; n: number };
  /** Minutes every P50 is moved by (0 with too little history). */
  p50Shift?: { minutes: number; n: number };
}

/** With no history: the standard is right on average, give or take about 20 %. */
export const DURATION_PRIOR = { logMean: 0, logSd: 0.2, weight: 5 } as const;
/** With no history: a failure per 200 working hours of a machine, repaired in an hour. */
export const BREAKDOWN_PRIOR = { perMachineHour: 1 / 200, priorHours: 400, repairMinutes: 60, repairWeight: 2 } as const;
/** With no history: one job in fifty finds its material missing or is stopped for quality, for two hours. */
export const HOLD_PRIOR = { perStart: 1 / 50, priorStarts: 50, meanMinutes: 120, meanWeight: 2 } as const;
/** Orders checked before the calibration counts, the smallest margin a ratio is taken over, the largest factor. */
export const CALIBRATION = { minOrders: 20, minMarginMinutes: 30, maxScale: 4, maxShiftMinutes: 24 * 60 } as const;
/** Jobs of one family at one work center before the family gets its own figures. */
export const FAMILY_MIN_OBSERVATIONS = 20;

/** Ratios outside this are bad data (a job left running over a weekend, a mistyped quantity). */
const MIN_RATIO = 0.1;
const MAX_RATIO = 10;

function shrink(logs: number[], prior: { logMean: number; logSd: number; weight: number }): { logMean: number; logSd: number } {
  const n = logs.length;
  const w = prior.weight;
  const logMean = (logs.reduce((a, b) => a + b, 0) + w * prior.logMean) / (n + w);
  // Pooled: the prior's spread counts as w observations' worth of squared deviation.
  const squares = logs.reduce((a, x) => a + (x - logMean) ** 2, 0);
  const logSd = Math.sqrt((squares + w * prior.logSd ** 2) / (n + w));
  return { logMean, logSd };
}

/**
 * The shift that would have put half the known completions within their P50: the median of how late
 * (positive) or early each finished against the futures' own P50 (split-conformal's finite-sample
 * rank at one half), at most a day either way.
 */
export function p50Shift(observations: CalibrationObservation[]): { minutes: number; n: number } {
  const known = observations.filter((o) => o.p50 !== undefined);
  const n = known.length;
  if (n < CALIBRATION.minOrders) return { minutes: 0, n };
  const misses = known.map((o) => (o.completedAt - o.p50!) / 60_000 + (o.p50ShiftMinutes ?? 0)).sort((a, b) => a - b);
  const rank = Math.min(n, Math.ceil(0.5 * (n + 1))) - 1;
  const bound = CALIBRATION.maxShiftMinutes;
  return { minutes: Math.round(Math.min(bound, Math.max(-bound, misses[rank]!))), n };
}

/** The factor that would have put nine in ten known completions within their P90. */
export function p90Scale(observations: CalibrationObservation[]): { scale: number; n: number } {
  const n = observations.length;
  if (n < CALIBRATION.minOrders) return { scale: 1, n };
  const ratios = observations
    .map((o) => (o.completedAt - o.eta) / Math.max((o.p90 - o.eta) / (o.scale && o.scale > 0 ? o.scale : 1), CALIBRATION.minMarginMinutes * 60_000))
    .sort((a, b) => a - b);
  // The ceil(0.9 (n + 1))-th smallest ratio: split-conformal's finite-sample quantile.
  const rank = Math.min(n, Math.ceil(0.9 * (n + 1))) - 1;
  return { scale: Math.min(CALIBRATION.maxScale, Math.max(1, ratios[rank]!)), n };
}

export function learnSpreadModel(
  durations: DurationObservation[],
  breakdowns: BreakdownHistory[],
  holds: HoldHistory[] = [],
  calibration: CalibrationObservation[] = [],
): SpreadModel {
  const byWc = new Map<string, number[]>();
  const byFamily = new Map<string, { workCenter: string; family: string; logs: number[] }>();
  for (const o of durations) {
    if (!(o.standardMinutes > 0) || !(o.actualMinutes > 0)) continue;
    const ratio = o.actualMinutes / o.standardMinutes;
    if (ratio < MIN_RATIO || ratio > MAX_RATIO) continue;
    const log = Math.log(ratio);
    (byWc.get(o.workCenter) ?? byWc.set(o.workCenter, []).get(o.workCenter)!).push(log);
    if (o.family !== undefined) {
      const key = `${o.workCenter}\u0000${o.family}`;
      const entry = byFamily.get(key) ?? byFamily.set(key, { workCenter: o.workCenter, family: o.family, logs: [] }).get(key)!;
      entry.logs.push(log);
    }
  }
  const wcSpread = new Map<string, DurationSpread>();
  for (const [workCenter, logs] of byWc) wcSpread.set(workCenter, { workCenter, ...shrink(logs, DURATION_PRIOR), n: logs.length });
  const result: DurationSpread[] = [...wcSpread.values()];
  for (const { workCenter, family, logs } of byFamily.values()) {
    if (logs.length < FAMILY_MIN_OBSERVATIONS) continue;
    // Shrunk towards its work center, not the global prior: the family differs by what its jobs show.
    const base = wcSpread.get(workCenter)!;
    result.push({ workCenter, family, ...shrink(logs, { logMean: base.logMean, logSd: base.logSd, weight: DURATION_PRIOR.weight }), n: logs.length });
  }
  result.sort((a, b) => a.workCenter.localeCompare(b.workCenter) || (a.family ?? '').localeCompare(b.family ?? ''));

  const breakdownSpread: BreakdownSpread[] = breakdowns.map((h) => {
    const n = h.repairMinutes.length;
    const machineHours = Math.max(0, h.observedHours) * Math.max(1, h.machines);
    const p = BREAKDOWN_PRIOR;
    return {
      workCenter: h.workCenter,
      perMachineHour: (n + p.perMachineHour * p.priorHours) / (machineHours + p.priorHours),
      repairMinutes: (h.repairMinutes.reduce((a, b) => a + b, 0) + p.repairMinutes * p.repairWeight) / (n + p.repairWeight),
      n,
    };
  });
  breakdownSpread.sort((a, b) => a.workCenter.localeCompare(b.workCenter));

  const holdSpread: HoldSpread[] = holds.map((h) => {
    const n = h.delayMinutes.length;
    const p = HOLD_PRIOR;
    return {
      workCenter: h.workCenter,
      perStart: Math.min(1, (n + p.perStart * p.priorStarts) / (Math.max(h.starts, n) + p.priorStarts)),
      meanMinutes: (h.delayMinutes.reduce((a, b) => a + b, 0) + p.meanMinutes * p.meanWeight) / (n + p.meanWeight),
      n,
    };
  });
  holdSpread.sort((a, b) => a.workCenter.localeCompare(b.workCenter));
  return { durations: result, breakdowns: breakdownSpread, holds: holdSpread, p90Scale: p90Scale(calibration), p50Shift: p50Shift(calibration) };
}

/** The factor's distribution for one operation: its family's at the work center, else the work center's, else the prior. */
export function durationSpreadFor(model: SpreadModel, workCenter: string, family: string | undefined): { logMean: number; logSd: number } {
  let wc: DurationSpread | undefined;
  for (const d of model.durations) {
    if (d.workCenter !== workCenter) continue;
    if (family !== undefined && d.family === family) return d;
    if (d.family === undefined) wc = d;
  }
  return wc ?? DURATION_PRIOR;
}
