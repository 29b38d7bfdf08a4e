import * as z from 'zod/mini';

/** The most entries one page of the audit holds. */
export const AUDIT_MAX_LIMIT = 200;

/**
 * GET /audit: the event log newest first. `subject` matches exactly, and an order's operations too
 * (`SO-1` finds `SO-1/2`); `kind` matches exactly or a family (`order` finds `order.updated`);
 * `user` is who did it, exactly; [from, to) bounds when it happened; `before` is the previous
 * page's `nextBefore` (keyset: an entry appended meanwhile never shifts a page).
 */
export const AuditQuery = z.object({
  subject: z.optional(z.string().check(z.minLength(1), z.maxLength(120))),
  user: z.optional(z.string().check(z.minLength(1), z.maxLength(120))),
  kind: z.optional(z.string().check(z.minLength(1), z.maxLength(80), z.regex(/^[a-z_]+(\.[a-z_]+)*$/))),
  from: z.optional(z.iso.datetime({ offset: true })),
  to: z.optional(z.iso.datetime({ offset: true })),
  before: z.optional(z.string().check(z.regex(/^[1-9]\d{0,17}$/))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** One changed field of a master-data change (e.g. an order's dueAt), as it was and as it became. */
export const AuditChange = z.object({
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditChange = z.infer<typeof AuditChange>;

export const AuditEntry = z.object({
  id: z.string(),
  /** When it happened (a station's press: when it was pressed). */
  at: z.string(),
  /** When the server recorded it (later than `at` for a press sent from an offline station). */
  receivedAt: z.string(),
  /** Who: the user or token name, or `mqtt <machine>` for a machine counter. */
  actor: z.string(),
  kind: z.string(),
  subject: z.nullable(z.string()),
  /** Field by field, for entries that record before and after; empty for the rest. */
  changes: z.array(AuditChange),
  /** What was sent or recorded, as stored. */
  payload: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  /** Pass as `before` for the next (older) page; null at the start of the log. */
  nextBefore: z.nullable(z.string()),
});
export type AuditPage = z.infer<typeof AuditPage>;
