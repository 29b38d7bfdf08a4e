import type { Task } from 'graphile-worker';
import * as z from 'zod/mini';
import type { Db } from '../db/connect.ts';
import { attemptDelivery, DELIVER_TASK, flushChannel, FLUSH_TASK, type DeliveryDeps } from './delivery.ts';
import { ROUTE_TASK, routeNotification } from './route.ts';

// Payloads are input too: checked, and a malformed one is dropped with a line in the log.
const RoutePayload = z.object({ notificationId: z.union([z.int(), z.string().check(z.regex(/^\d{1,18}$/))]) });
const DeliverPayload = z.object({ deliveryId: z.string().check(z.regex(/^msg_[0-9a-f]{32}$/)) });
const FlushPayload = z.object({ channelId: z.int().check(z.positive()) });

function checked<S extends z.ZodMiniType>(schema: S, warn: (line: string) => void, run: (payload: z.infer<S>) => Promise<unknown>): Task {
  return async (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      warn(`[channels] dropped malformed payload: ${JSON.stringify(raw)}`);
      return;
    }
    await run(parsed.data);
  };
}

export function channelTasks(db: Db, deps: DeliveryDeps, warn: (line: string) => void): Record<string, Task> {
  return {
    [ROUTE_TASK]: checked(RoutePayload, warn, (p) => routeNotification(db, String(p.notificationId), deps.now())),
    [DELIVER_TASK]: checked(DeliverPayload, warn, (p) => attemptDelivery(db, p.deliveryId, deps)),
    [FLUSH_TASK]: checked(FlushPayload, warn, (p) => flushChannel(db, String(p.channelId), deps)),
  };
}
