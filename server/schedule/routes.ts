import { Hono } from 'hono';
import * as z from 'zod/mini';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { Code, IsoInstant } from '../contract/common.ts';
import type { Db } from '../db/connect.ts';
import { ApiError } from '../contract/errors.ts';
import { jsonBody, queryWith } from '../http/validate.ts';
import { PreviewBody } from '../contract/plan.ts';
import { MAX_CALENDAR_DAYS } from '../contract/plan.ts';
import { planCalendar } from '../plan/calendar.ts';
import { previewMoves, type PlanPreviewer } from '../plan/preview.ts';
import { PLAN_READERS } from '../plan/routes.ts';
import { getSchedule } from './service.ts';

const ScheduleQuery = z.object({
  workCenter: z.optional(Code),
  from: z.optional(IsoInstant),
  to: z.optional(IsoInstant),
  summary: z.optional(z.enum(['true', 'false'])),
});

const CalendarQuery = z.object({ from: IsoInstant, to: IsoInstant });

export function scheduleRoutes({ db, previewer, frozenMinutes }: { db: Db; previewer: PlanPreviewer; frozenMinutes: number }) {
  return new Hono()
    // What-if: nothing is written; planners only (the Gantt is read-only for everyone else).
    .post('/preview', allow('planner'), async (c) => {
      const body = await jsonBody(c, PreviewBody);
      return c.json(await previewMoves(db, previewer, c.get('plant').id, body, { now: new Date(), frozenMinutes }));
    })
    .get('/calendar', allow(...PLAN_READERS), async (c) => {
      const q = queryWith(c, CalendarQuery);
      const from = new Date(q.from);
      const to = new Date(q.to);
      if (from >= to) throw ApiError.invalid('to', 'to must be after from');
      if (to.getTime() - from.getTime() > MAX_CALENDAR_DAYS * 86_400_000) throw ApiError.invalid('to', `the window may span at most ${MAX_CALENDAR_DAYS} days`);
      return c.json(await planCalendar(db, c.get('plant').id, from, to, Date.now()));
    })
    .get('/', allow(...ALL_ROLES), async (c) => {
    const q = queryWith(c, ScheduleQuery);
    const window = { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
    if (window.from && window.to && window.from >= window.to) throw ApiError.invalid('to', 'to must be after from');
    const schedule = await getSchedule(db, c.get('plant').id, { workCenter: q.workCenter, ...window, summary: q.summary === 'true' });
    if (!schedule) throw new ApiError(404, 'not_found', 'no schedule has been computed yet');
    return c.json(schedule);
  });
}
