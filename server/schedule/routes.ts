import { Hono } from 'hono';
import * as z from 'zod/mini';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { Code, IsoInstant } from '../contract/common.ts';
import type { Db } from '../db/connect.ts';
import { ApiError } from '../contract/errors.ts';
import { queryWith } from '../http/validate.ts';
import { getSchedule } from './service.ts';

const ScheduleQuery = z.object({
  workCenter: z.optional(Code),
  from: z.optional(IsoInstant),
  to: z.optional(IsoInstant),
  summary: z.optional(z.enum(['true', 'false'])),
});

export function scheduleRoutes({ db }: { db: Db }) {
  return new Hono().get('/', allow(...ALL_ROLES), async (c) => {
    const q = queryWith(c, ScheduleQuery);
    const window = { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
    if (window.from && window.to && window.from >= window.to) throw ApiError.invalid('to', 'to must be after from');
    const schedule = await getSchedule(db, c.get('plant').id, { workCenter: q.workCenter, ...window, summary: q.summary === 'true' });
    if (!schedule) throw new ApiError(404, 'not_found', 'no schedule has been computed yet');
    return c.json(schedule);
  });
}
