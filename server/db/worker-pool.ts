import pg from 'pg';

/** Errors of a database that is away (down, restarting, unreachable), not of a wrong query. */
const AWAY = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

function isAway(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error ? String(error.code) : '';
  if (AWAY.has(code) || code.startsWith('08')) return true;
  return error instanceof Error && /Connection terminated|timeout expired/i.test(error.message);
}

export interface WorkerPool {
  pool: pg.Pool;
  /** Stops waiting for the database: a stopping process must not wait for it to come back. */
  giveUp: () => void;
}

/**
 * The node-postgres pool graphile-worker runs on, whose connect waits out a database outage instead
 * of failing. graphile-worker retries only a few error codes when it writes a job's outcome, and not
 * a refused connection: a job that failed because the database went away could not record its
 * failure, stayed locked by this worker, and held its plant's queue for graphile's 4 h lock timeout,
 * so no plan ran after the database came back. Waiting here makes that write land once it is back.
 * Polls and the LISTEN connection wait the same way, which is what they would do anyway.
 */
export function createWorkerPool(connectionString: string, options: { max: number; log: (line: string) => void; maxWaitMs?: number }): WorkerPool {
  const pool = new pg.Pool({ connectionString, max: options.max });
  pool.on('error', (e) => options.log(`[worker pool] ${e.message}`));
  pool.on('connect', (client) => client.on('error', (e) => options.log(`[worker pool] ${e.message}`)));
  const maxWaitMs = options.maxWaitMs ?? 30 * 60_000;
  let givenUp = false;
  const connectNow = pool.connect.bind(pool);
  const connectPatiently = async (): Promise<pg.PoolClient> => {
    const since = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await connectNow();
      } catch (error) {
        if (givenUp || pool.ending || !isAway(error) || Date.now() - since > maxWaitMs) throw error;
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  };
  pool.connect = ((callback?: Parameters<typeof connectNow>[0]) => (callback ? connectNow(callback) : connectPatiently())) as typeof pool.connect;
  return { pool, giveUp: () => (givenUp = true) };
}
