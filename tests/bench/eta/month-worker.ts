/**
 * One measured month on its own thread, so the bench's months run side by side. workerData is the
 * month's MonthJob; the MonthRecord is posted back. Structured clone carries it (plain data only).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runMonth, type EngineMode } from './month.ts';
import { quoteSpreadAt, spreadAt } from './spread.ts';

export interface MonthJob {
  seed: number;
  days: number;
  engine: EngineMode;
  quoteEvery: number;
  repair: boolean;
}

const job = workerData as MonthJob;
const started = performance.now();
const month = runMonth({ ...job, spread: spreadAt({ seed: job.seed }), quoteSpread: quoteSpreadAt({ seed: job.seed }) });
parentPort!.postMessage({ month, wallMs: Math.round(performance.now() - started) });
