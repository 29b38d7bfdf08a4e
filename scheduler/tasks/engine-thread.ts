import { Worker } from 'node:worker_threads';
import type { Instant, PreviousPlan, ScheduleOptions, ScheduleResult, Snapshot } from '../engine/model.ts';

export interface EngineRequest {
  id: number;
  snapshot: Snapshot;
  previousPlan: PreviousPlan | null;
  now: Instant;
  options: Omit<ScheduleOptions, 'elapsedMs'>;
}

export type EngineResponse = { id: number; result: ScheduleResult; solveMs: number } | { id: number; error: string };

/**
 * The engine on its own thread, started once and reused. Calls are answered in order; a crashed
 * thread is replaced on the next call.
 */
export class EngineThread {
  #worker: Worker | null = null;
  #next = 1;
  #pending = new Map<number, { resolve: (r: { result: ScheduleResult; solveMs: number }) => void; reject: (e: Error) => void }>();

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

  solve(request: Omit<EngineRequest, 'id'>): Promise<{ result: ScheduleResult; solveMs: number }> {
    this.#worker ??= this.#start();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker!.postMessage({ id, ...request } satisfies EngineRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }
}
