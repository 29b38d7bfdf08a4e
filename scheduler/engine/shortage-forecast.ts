/**
 * Material shortage forecast: the plan's demand against stock. Pure (no I/O, no clock), so the worker
 * (holds in the snapshot, shortage notices after a plan) and the API (GET /shortages) forecast alike.
 *
 * Terms:
 * - demand: each planned operation, in planned-start order, consumes `remaining quantity x
 *   quantityPerUnit` of every BOM line of its product at its seq, at its planned start.
 * - short: an operation whose demand the stock left after every earlier operation cannot cover.
 *   Only on-hand counts as supply: an arrival estimate has a date but no quantity, so it tells when
 *   the shortage ends (the hold's lift), not whether there is one. Counting it as supply would make
 *   an operation held until the arrival stop being short, lose its hold on the next plan, move back
 *   before the arrival and be short again: the plan would flip on every re-plan.
 */

export interface DemandOperation {
  order: string;
  seq: number;
  product: string;
  workCenter: string;
  /** Planned start (epoch ms). */
  start: number;
  /** Units still to process on this operation. */
  remaining: number;
}

export interface BomLine {
  component: string;
  quantityPerUnit: number;
  seq: number;
}

export interface ComponentStock {
  onHand: number;
  /** Purchasing's arrival estimate (epoch ms), if any. */
  arrivalAt: number | null;
}

export interface ShortOperation {
  order: string;
  seq: number;
  workCenter: string;
  at: number;
  /** What this operation lacks of the component. */
  shortBy: number;
}

export interface Shortage {
  component: string;
  /** The first instant the component goes short (the first short operation's planned start). */
  neededAt: number;
  /** Total lacking over the whole plan. */
  shortBy: number;
  /** Orders with a short operation, in the order they go short. */
  orders: string[];
  workCenters: string[];
  arrivalAt: number | null;
  operations: ShortOperation[];
}

// Quantities per unit are decimals (metres of bar stock): round away float dust like 0.30000000000000004.
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Shortages by component, earliest first (ties by component code). Components without stock rows are ignored. */
export function forecastShortages(
  demand: readonly DemandOperation[],
  bomOf: ReadonlyMap<string, readonly BomLine[]>,
  stock: ReadonlyMap<string, ComponentStock>,
): Shortage[] {
  const ordered = [...demand].sort((a, b) => a.start - b.start || (a.order < b.order ? -1 : a.order > b.order ? 1 : a.seq - b.seq));
  const left = new Map<string, number>();
  for (const [code, s] of stock) left.set(code, Math.max(0, s.onHand));
  const found = new Map<string, Shortage>();
  for (const op of ordered) {
    if (op.remaining <= 0) continue;
    for (const line of bomOf.get(op.product) ?? []) {
      if (line.seq !== op.seq) continue;
      const available = left.get(line.component);
      const s = stock.get(line.component);
      if (available === undefined || !s) continue;
      const need = round(op.remaining * line.quantityPerUnit);
      if (need <= available) {
        left.set(line.component, round(available - need));
        continue;
      }
      left.set(line.component, 0);
      const lacking = round(need - available);
      let shortage = found.get(line.component);
      if (!shortage) {
        shortage = { component: line.component, neededAt: op.start, shortBy: 0, orders: [], workCenters: [], arrivalAt: s.arrivalAt, operations: [] };
        found.set(line.component, shortage);
      }
      shortage.shortBy = round(shortage.shortBy + lacking);
      if (!shortage.orders.includes(op.order)) shortage.orders.push(op.order);
      if (!shortage.workCenters.includes(op.workCenter)) shortage.workCenters.push(op.workCenter);
      shortage.operations.push({ order: op.order, seq: op.seq, workCenter: op.workCenter, at: op.start, shortBy: lacking });
    }
  }
  return [...found.values()].sort((a, b) => a.neededAt - b.neededAt || (a.component < b.component ? -1 : 1));
}

/** The same material andon default the floor's alerts use, passed in so the engine imports no contract. */
export interface ShortageHoldOptions {
  now: number;
  /** How long a material hold lasts without an estimate (andon-effects' material default). */
  defaultMs: number;
  /** An overdue estimate still holds at least this long past now. */
  overdueMs: number;
}

/**
 * When each short operation may start: the arrival estimate if entered, else the first-seen
 * instant of the shortage (`anchorOf`, stable across re-plans) plus the default material hold, and
 * never before now + the overdue margin. Keys are `order/seq`.
 */
export function shortageHolds(shortages: readonly Shortage[], anchorOf: ReadonlyMap<string, number>, options: ShortageHoldOptions): Map<string, { until: number; component: string }> {
  const holds = new Map<string, { until: number; component: string }>();
  for (const s of shortages) {
    const anchor = Math.min(anchorOf.get(s.component) ?? s.neededAt, s.neededAt);
    const estimate = s.arrivalAt ?? anchor + options.defaultMs;
    const until = Math.max(estimate, options.now + options.overdueMs);
    for (const op of s.operations) {
      const key = `${op.order}/${op.seq}`;
      const existing = holds.get(key);
      if (!existing || existing.until < until) holds.set(key, { until, component: s.component });
    }
  }
  return holds;
}
