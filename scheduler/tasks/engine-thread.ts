import { Worker } from 'node:worker_threads';
import type { Instant, PreviousPlan, ScheduleOptions, ScheduleResult, Snapshot } from '../engine/model.ts';
import type { QuoteRequest, QuoteResult } from '../engine/quote.ts';

interface EngineInput {
  snapshot: Snapshot;
  previousPlan: PreviousPlan | null;
  now: Instant;
  options: Omit<ScheduleOptions, 'elapsedMs'>;
}

/** A plan (schedule()) or a quote (quote()) of one snapshot. */
export type EngineRequest = { id: number } & EngineInput & ({ kind: 'schedule' } | { kind: 'quote'; quote: QuoteRequest });

export type EngineResponse =
  | { id: number; result: ScheduleResult; solveMs: number }
  | { id: number; quote: QuoteResult; solveMs: number }
  | { id: number; error: string };

type Answer = Exclude<EngineResponse, { error: string }>;
/** Omit over each member of a union (plain Omit would merge them). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The engine on its own thread, started once and reused. Calls are answered in order; a crashed
 * thread is replaced on the next call.
 */
export class EngineThread {
  #worker: Worker | null = null;
  #next = 1;
  #pending = new Map<number, { resolve: (r: Answer) => void; reject: (e: Error) => void }>();

  #start(): Worker {
    const worker = new Worker(new URL('./engine-thread-entry.ts', import.meta.url));
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

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }
}
