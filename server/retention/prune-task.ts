import type { Task } from 'graphile-worker';
import type { Db } from '../db/connect.ts';
import { pruneHistory } from './prune.ts';

export const PRUNE_TASK = 'prune_history';

/** Hourly from the worker's crontab: keeps the stream and notification tables to the retention rule. */
export function pruneHistoryTask(db: Db, log: (line: string) => void): Task {
  return async () => {
    const pruned = await pruneHistory(db, new Date());
    if (pruned.streamMessages || pruned.notifications || pruned.screenLatencyMinutes || pruned.deliveries)
      log(`[retention] pruned ${pruned.streamMessages} stream messages, ${pruned.notifications} notifications, ${pruned.screenLatencyMinutes} screen latency minutes, ${pruned.deliveries} deliveries`);
  };
}
