import { ApiError } from '../../server/contract/errors.ts';
import type { Db } from '../../server/db/connect.ts';
import type { Snapshot } from '../engine/model.ts';
import type { QuoteCandidate, QuoteMode } from '../engine/quote.ts';
import { liveSearchBudget } from './budget.ts';
import { EngineThread } from './engine-thread.ts';
import { latestSpreadModel } from './eta-spread.ts';
import { loadSnapshot } from './load-snapshot.ts';

/**
 * A preview answers while the planner holds the mouse: the live loop's budget (the same iterations,
 * so it shows the plan the loop will make), but never more time than this, so the demo plant answers
 * well within 1.5 s and 2,000 orders within 3 s (loading the snapshot and comparing 16,000 operations
 * take about as long again as the search).
 */
const PREVIEW_BUDGET_CAP_MS = 500;
/**
 * A quote's P90: futures of the plan with the new order. Fewer than the background sampling's, and
 * bounded in time, because the sales person waits for it (a quote answers within 1 s on the demo plant).
 */
const QUOTE_SPREAD_SAMPLES = 24;
const QUOTE_SPREAD_LIMIT_MS = 400;
/** Previews waiting per plant beyond the running one; more means a client is dragging faster than we plan. */
const MAX_WAITING = 4;

export interface PreviewMove {
  order: string;
  seq: number;
  machine: number;
  start: number | null;
  mode: 'queue' | 'exact';
}

/** The moves as pins over the plant's live ones (a move replaces an operation's pin; running work ignores it). */
function applyMoves(snapshot: Snapshot, moves: PreviewMove[]): void {
  const orders = new Map(snapshot.orders.map((o) => [o.code, o]));
  for (const m of moves) {
    const op = orders.get(m.order)?.operations.find((o) => o.seq === m.seq);
    if (!op || op.status === 'running') continue;
    op.pin = m.mode === 'exact' && m.start !== null ? { machine: m.machine, start: m.start } : { machine: m.machine, ...(m.start !== null ? { queueAt: m.start } : {}) };
  }
}

/**
 * What-if planning for the API: previews (server/plan/preview.ts's PlanPreviewer) and quotes
 * (server/quotes/service.ts). The snapshot the worker would load, the moves or the new order laid
 * over it, and the engine on a thread of its own (not the live loop's, so a what-if never delays the
 * floor's re-plan, and never on the HTTP thread). One at a time per plant; the thread takes one at a time.
 */
export class PreviewPlanner {
  readonly #engine = new EngineThread();
  readonly #db: Db;
  readonly #frozenMinutes: number;
  readonly #queues = new Map<number, { tail: Promise<unknown>; waiting: number }>();

  constructor(options: { db: Db; frozenMinutes: number }) {
    this.#db = options.db;
    this.#frozenMinutes = options.frozenMinutes;
    // Start the thread and load the engine now, not while the first planner waits on a drag.
    const empty = { calendars: [], workCenters: [], downtimes: [], orders: [] };
    void this.#engine.solve({ snapshot: empty, previousPlan: null, now: Date.now(), options: { seed: 1, timeLimitMs: 0, frozenMinutes: 0, objective: 'tardiness' } }).catch(() => undefined);
  }

  preview(plantId: number, moves: PreviewMove[]) {
    return this.#queued(plantId, () => this.#run(plantId, moves));
  }

  /**
   * Plans with the candidate added, construction only: a quote is many plans (the release is
   * bisected), and the same input must give the same date. The live plan's search only improves on
   * construction, and a promised order's lateness weighs heavily in it (OrderInput.promised).
   */
  quote(plantId: number, candidate: QuoteCandidate, mode: QuoteMode) {
    return this.#queued(plantId, async () => {
      const now = Date.now();
      const [loaded, model] = await Promise.all([loadSnapshot(this.#db, plantId, now), latestSpreadModel(this.#db, plantId)]);
      const input = {
        snapshot: loaded.snapshot,
        previousPlan: loaded.previousPlan,
        now,
        options: { seed: 1, timeLimitMs: 0, maxIterations: 0, frozenMinutes: this.#frozenMinutes, objective: 'tardiness' as const },
      };
      const quoted = await this.#engine.quote(input, { order: candidate, mode });
      if (!quoted.quote.ok) return { ...quoted, etaP90: null };
      // The P90 of the plan the quote promises: the candidate as it would be ordered, its futures sampled.
      const q = quoted.quote;
      const ordered = { ...candidate, releaseAt: q.releaseAt, dueAt: q.eta, priority: q.priority, promised: true };
      const spread = await this.#engine.spread(
        { ...input, snapshot: { ...loaded.snapshot, orders: [...loaded.snapshot.orders, ordered] }, options: { ...input.options, timeLimitMs: QUOTE_SPREAD_LIMIT_MS } },
        { liveEtas: [[candidate.code, q.eta]], model, samples: QUOTE_SPREAD_SAMPLES },
      );
      const p90 = spread.spread.orders.find((o) => o.order === candidate.code)?.p90 ?? null;
      return { quote: q, solveMs: quoted.solveMs + spread.solveMs, etaP90: p90 };
    });
  }

  #queued<T>(plantId: number, work: () => Promise<T>): Promise<T> {
    const queue = this.#queues.get(plantId) ?? { tail: Promise.resolve(), waiting: 0 };
    if (queue.waiting >= MAX_WAITING) throw new ApiError(429, 'rate_limited', 'previews and quotes are arriving faster than they can be planned: try again');
    queue.waiting += 1;
    this.#queues.set(plantId, queue);
    const run = queue.tail.catch(() => undefined).then(work);
    queue.tail = run;
    void run.catch(() => undefined).finally(() => {
      queue.waiting -= 1;
      if (queue.waiting === 0 && this.#queues.get(plantId) === queue) this.#queues.delete(plantId);
    });
    return run;
  }

  async #run(plantId: number, moves: PreviewMove[]) {
    const now = Date.now();
    const loaded = await loadSnapshot(this.#db, plantId, now);
    applyMoves(loaded.snapshot, moves);
    return this.#engine.solve({
      snapshot: loaded.snapshot,
      previousPlan: loaded.previousPlan,
      now,
      options: { seed: 1, ...liveSearchBudget(loaded.snapshot, null, PREVIEW_BUDGET_CAP_MS), frozenMinutes: this.#frozenMinutes, objective: 'tardiness' },
    });
  }

  /** The preview thread's heap in use (MiB), for the health figures. */
  heapUsedMiB(): Promise<number | null> {
    return this.#engine.heapUsedMiB();
  }

  close(): Promise<void> {
    return this.#engine.close();
  }
}
