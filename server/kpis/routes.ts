import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { KpisQuery } from '../contract/kpis.ts';
import type { Db } from '../db/connect.ts';
import { queryWith } from '../http/validate.ts';
import { kpiPeriod, kpis } from './service.ts';

/** Who reads the plant's figures (admin is always allowed). */
export const KPI_ROLES = ['manager'] as const;

export function kpiRoutes({ db }: { db: Db }) {
  return new Hono().get('/', allow(...KPI_ROLES), async (c) => {
    const now = new Date();
    const { from, to } = kpiPeriod(queryWith(c, KpisQuery), now);
    return c.json(await kpis(db, c.get('plant'), from, to, now));
  });
}
