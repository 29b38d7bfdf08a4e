import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import { AuditQuery } from '../contract/audit.ts';
import type { Db } from '../db/connect.ts';
import { queryWith } from '../http/validate.ts';
import { auditPage } from './service.ts';

/** Who reads the audit (admin is always allowed): managers answer "who changed this", read-only. */
export const AUDIT_ROLES = ['manager'] as const;

export function auditRoutes({ db }: { db: Db }) {
  return new Hono().get('/', allow(...AUDIT_ROLES), async (c) => c.json(await auditPage(db, c.get('plant').id, queryWith(c, AuditQuery))));
}
