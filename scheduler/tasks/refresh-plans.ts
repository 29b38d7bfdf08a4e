import type { Task } from 'graphile-worker';
import type { Db } from '../../server/db/connect.ts';
import { requestReschedule } from '../../server/outbox/plan-requests.ts';

/**
 * Runs from the worker's crontab. A plan also ages without any floor event: the clock passes
 * planned starts, and an open breakdown's estimate runs out. Every plant is re-planned regularly.
 */
export function refreshPlansTask(db: Db): Task {
  return async () => {
    const plants = await db.selectFrom('plant').select('id').execute();
    await db.transaction().execute(async (trx) => {
      for (const p of plants) await requestReschedule(trx, p.id, { kind: 'clock', causeId: null });
    });
  };
}
