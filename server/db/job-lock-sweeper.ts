import { EventEmitter } from 'node:events';
import type { WorkerEvents } from 'graphile-worker';
import type pg from 'pg';

export interface JobLockSweeper {
  /** Pass to graphile-worker's run() as `events`: the sweeper learns its pool id and running jobs from them. */
  events: WorkerEvents;
  /** Releases this process's stale locks now (the timer does it every `everyMs`). */
  sweep: () => Promise<number>;
  stop: () => void;
}

/**
 * graphile-worker records a job's outcome with one query, retried only for a few error codes: when
 * the database drops the connection that query runs on (a restart, a network cut), the outcome is
 * lost and the job stays locked by this process, and with it the job's queue (a plant's plans run
 * in one), until graphile's own 4-hour lock timeout. No plan ran after the database came back.
 *
 * This process knows which jobs it is running, so a lock it holds on any other job is stale: this
 * releases those, once they are older than `staleAfterMs` (a job just fetched and not yet started
 * is not mistaken for a lost one). It touches graphile's private tables, the same columns its own
 * force_unlock_workers() clears, but only for jobs of this process that are not running.
 */
export function startJobLockSweeper(pool: pg.Pool, options: { log: (line: string) => void; everyMs?: number; staleAfterMs?: number }): JobLockSweeper {
  const events = new EventEmitter() as WorkerEvents;
  const running = new Set<string>();
  let poolId: string | null = null;
  events.on('pool:create', ({ workerPool }) => (poolId = workerPool.id));
  events.on('job:start', ({ job }) => running.add(job.id));
  events.on('job:complete', ({ job }) => running.delete(job.id));
  const staleAfter = `${(options.staleAfterMs ?? 5000) / 1000} seconds`;

  const sweep = async (): Promise<number> => {
    if (!poolId) return 0;
    const inFlight = [...running];
    const jobs = await pool.query(
      `update graphile_worker._private_jobs set locked_by = null, locked_at = null
        where locked_by = $1 and locked_at < now() - $3::interval and id <> all($2::bigint[])`,
      [poolId, inFlight, staleAfter],
    );
    const queues = await pool.query(
      `update graphile_worker._private_job_queues q set locked_by = null, locked_at = null
        where q.locked_by = $1 and q.locked_at < now() - $3::interval
          and not exists (select 1 from graphile_worker._private_jobs j where j.job_queue_id = q.id and j.id = any($2::bigint[]))`,
      [poolId, inFlight, staleAfter],
    );
    const released = (jobs.rowCount ?? 0) + (queues.rowCount ?? 0);
    if (released) options.log(`[worker] released ${jobs.rowCount} job and ${queues.rowCount} queue lock(s) whose outcome the database lost`);
    return released;
  };

  // While the database is away the sweep fails like everything else; it is tried again next time.
  const timer = setInterval(() => void sweep().catch(() => {}), options.everyMs ?? 5000);
  timer.unref();
  return { events, sweep, stop: () => clearInterval(timer) };
}
