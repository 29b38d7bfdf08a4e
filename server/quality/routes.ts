import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { ScrapParetoQuery } from '../contract/quality.ts';
import { ApiError } from '../contract/errors.ts';
import type { Db } from '../db/connect.ts';
import { queryWith } from '../http/validate.ts';
import { scrapPareto } from './scrap-pareto.ts';

const DEFAULT_DAYS = 7;
// A Pareto over more than a year of the event log is a report, not a screen.
const MAX_DAYS = 366;

/** Who reads quality figures: QC, their managers, planners and leads (the floor acts on them). */
export const QUALITY_READERS = ['admin', 'qc', 'manager', 'planner', 'lead'] as const;

export function qualityRoutes({ db }: { db: Db }) {
  return new Hono().get('/scrap', allow(...QUALITY_READERS), async (c) => {
    const q = queryWith(c, ScrapParetoQuery);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
    if (from.getTime() >= to.getTime()) throw ApiError.invalid(q.from ? 'from' : 'to', 'from must be before to');
    if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw ApiError.invalid('from', `the period may be at most ${MAX_DAYS} days`);
    return c.json(await scrapPareto(db, c.get('plant').id, from, to, q.by ?? 'reason'));
  });
}
