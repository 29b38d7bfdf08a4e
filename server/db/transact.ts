import type { Db, Trx } from './connect.ts';

/** Deadlock detected, serialization failure: PostgreSQL aborted the transaction, not the request. */
const RETRYABLE = new Set(['40P01', '40001']);

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * One transaction, run again (at most `attempts` times in all) when PostgreSQL aborted it to break a
 * deadlock or a serialization conflict with another transaction. A station treats a 409 as a press
 * that failed, and under load two presses (or a press and a plan being saved) can meet on the same
 * rows in different orders; the aborted attempt left nothing behind, so trying again is the answer
 * the client would otherwise have to find. `run` must touch only the database (stream messages go
 * through the outbox, inside it), so running it twice is safe.
 */
export async function transact<T>(db: Db, run: (trx: Trx) => Promise<T>, options: { attempts?: number; log?: (line: string) => void; what?: string } = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(run);
    } catch (error) {
      const code = pgCode(error);
      if (attempt >= attempts || code === undefined || !RETRYABLE.has(code)) throw error;
      options.log?.(`[api] ${options.what ?? 'transaction'}: ${code === '40P01' ? 'deadlock' : 'serialization conflict'}, attempt ${attempt} rolled back; trying again`);
      // A little apart, so the two that met do not meet again at once.
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}
