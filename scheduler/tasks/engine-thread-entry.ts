// Runs inside a worker thread: the engine's search is CPU-bound for its whole budget, and on the
// server's own thread it would stall HTTP and every open stream for that long.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { sampleEtaSpread } from '../engine/eta-spread.ts';
import { schedule } from '../engine/index.ts';
import { quote } from '../engine/quote.ts';
import type { EngineRequest, EngineResponse } from './engine-thread.ts';

// On Linux the nice value is per thread: the search yields the CPU to HTTP, the streams and
// PostgreSQL whenever they have work, and still gets every idle cycle.
try {
  setPriority(typeof workerData?.nice === 'number' ? workerData.nice : 10);
} catch {
  // not permitted here: run at normal priority
}

parentPort!.on('message', (request: EngineRequest) => {
  const started = performance.now();
  let response: EngineResponse;
  try {
    const options = { ...request.options, elapsedMs: () => performance.now() - started };
    if (request.kind === 'spread') {
      const { liveEtas, model, samples } = request.spread;
      const spread = sampleEtaSpread(request.snapshot, request.previousPlan, request.now, new Map(liveEtas), model, {
        samples,
        seed: request.options.seed,
        frozenMinutes: request.options.frozenMinutes,
        timeLimitMs: request.options.timeLimitMs,
        elapsedMs: options.elapsedMs,
      });
      response = { id: request.id, spread, solveMs: performance.now() - started };
    } else if (request.kind === 'quote') {
      const answer = quote(request.snapshot, request.previousPlan, request.now, request.quote, options);
      response = { id: request.id, quote: answer, solveMs: performance.now() - started };
    } else {
      const result = schedule(request.snapshot, request.previousPlan, request.now, options);
      response = { id: request.id, result, solveMs: performance.now() - started };
    }
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
  parentPort!.postMessage(response);
});
