import { Worker } from 'node:worker_threads';
import type { Instant, PreviousPlan, ScheduleOptions, ScheduleResult, Snapshot } from '../engine/model.ts';
import type { OrderSpread } from '../engine/eta-spread.ts';
import type { QuoteRequest, QuoteResult } from '../engine/quote.ts';
import type { SpreadModel } from '../engine/spread-model.ts';

interface EngineInput {
  snapshot: Snapshot;
  previousPlan: PreviousPlan | null;
  now: Instant;
  options: Omit<ScheduleOptions, 'elapsedMs'>;
}

/** What the ETA spread asks besides the snapshot: the live ETAs it spreads around and the learned model. */
export interface SpreadRequest {
  liveEtas: [string, number][];
  model: SpreadModel;
  samples: number;
}

/** A plan (schedule()), a quote (quote()) or an ETA spread (sampleEtaSpread()) of one snapshot. */
export type EngineRequest = { id: number } & EngineInput &
  ({ kind: 'schedule' } | { kind: 'quote'; quote: QuoteRequest } | { kind: 'spread'; spread: SpreadRequest });

export type EngineResponse =
  | { id: number; result: ScheduleResult; solveMs: number }
  | { id: number; quote: QuoteResult; solveMs: number }
  | { id: number; spread: { orders: OrderSpread[]; samples: number }; solveMs: number }
  | { id: number; error: string };

type Answer = Exclude<EngineResponse, { error: string }>;
/** Omit over each member of a union (plain Omit would merge them). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The engine on its own thread, started once and reused. Calls are answered in order; a crashed
 * thread is replaced on the next call.
 */
export class EngineThread {
  /** The thread's nice value (Linux: per thread): background work yields to the live loop's plans. */
  readonly #nice: number;
  #worker: Worker | null = null;
  #next = 1;
  #pending = new Map<number, { resolve: (r: Answer) => void; reject: (e: Error) => void }>();

  constructor(options: { nice?: number } = {}) {
    this.#nice = options.nice ?? 10;
  }

  #start(): Worker {
    const worker = new Worker(new URL('./engine-thread-entry.ts', import.meta.url), { workerData: { nice: this.#nice } });
    worker.on('message', (response: EngineResponse) => {
      const waiter = this.#pending.get(response.id);
      if (!waiter) return;
      this.#pending.delete(response.id);
      if ('error' in response) waiter.reject(new Error(`engine thread: ${response.error}`));
      else waiter.resolve(response);
    });
    const failAll = (error: Error) => {
      this.#worker = null;
      for (const waiter of this.#pending.values()) waiter.reject(error);
      this.#pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`engine thread exited (${code})`)));
    worker.unref();
    return worker;
  }

  #call(request: WithoutId<EngineRequest>): Promise<Answer> {
    this.#worker ??= this.#start();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker!.postMessage({ id, ...request });
    });
  }

  async solve(input: EngineInput): Promise<{ result: ScheduleResult; solveMs: number }> {
    const answer = await this.#call({ kind: 'schedule', ...input });
    if (!('result' in answer)) throw new Error('engine thread: a plan was asked, a quote answered');
    return answer;
  }

  async quote(input: EngineInput, quote: QuoteRequest): Promise<{ quote: QuoteResult; solveMs: number }> {
    const answer = await this.#call({ kind: 'quote', ...input, quote });
    if (!('quote' in answer)) throw new Error('engine thread: a quote was asked, a plan answered');
    return answer;
  }

  async spread(input: EngineInput, spread: SpreadRequest): Promise<{ spread: { orders: OrderSpread[]; samples: number }; solveMs: number }> {
    const answer = await this.#call({ kind: 'spread', ...input, spread });
    if (!('spread' in answer)) throw new Error('engine thread: a spread was asked, something else answered');
    return answer;
  }

  /** The thread's V8 heap in use, in MiB (null while it is not started): for the health figures. */
  async heapUsedMiB(): Promise<number | null> {
    const worker = this.#worker;
    if (!worker) return null;
    const heap = await worker.getHeapStatistics().catch(() => null);
    return heap ? Math.round((heap.used_heap_size / 1048576) * 10) / 10 : null;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }
}
