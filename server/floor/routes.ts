import { Hono } from 'hono';
import * as z from 'zod/mini';
import { ALL_ROLES, allow } from '../auth/middleware.ts';
import { Code } from '../contract/common.ts';
import type { Db } from '../db/connect.ts';
import { queryWith } from '../http/validate.ts';
import { workCenterStatus } from './status.ts';

const StatusQuery = z.object({
  workCenter: z.optional(Code),
  next: z.optional(z.string().check(z.regex(/^([0-9]|1[0-9]|20)$/))),
});

/** Live state per work center (GET /api/v1/floor): one request for a whole board. */
export function floorRoutes({ db }: { db: Db }) {
  return new Hono().get('/', allow(...ALL_ROLES), async (c) => {
    const q = queryWith(c, StatusQuery);
    return c.json(await workCenterStatus(db, c.get('plant').id, { workCenter: q.workCenter, next: q.next ? Number(q.next) : undefined }));
  });
}
