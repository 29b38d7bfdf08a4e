import { ApiError } from '../contract/errors.ts';
import { AUDIT_MAX_LIMIT, type AuditChange, type AuditEntry, type AuditPage, type AuditQuery } from '../contract/audit.ts';
import type { Queryable } from '../db/connect.ts';
import { eventTypesOf } from './event-types.ts';

const DEFAULT_LIMIT = 50;

/** `_` and `%` are ordinary characters in codes: LIKE must not read them as wildcards. */
function likePrefix(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Entries that recorded `{before, after}` (order.updated) list their changed fields one by one. */
function changesOf(payload: Record<string, unknown>): AuditChange[] {
  const before = asObject(payload.before);
  const after = asObject(payload.after);
  if (!('before' in payload) || !('after' in payload)) return [];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields.map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

/** The plant's log with the query's filters but kind, of one event type if given. */
function filtered(db: Queryable, plantId: number, query: AuditQuery, type: string | undefined) {
  let q = db
    .selectFrom('event_log')
    .select(['id', 'at', 'received_at', 'actor', 'type', 'subject', 'payload'])
    .where('plant_id', '=', plantId);
  if (type !== undefined) q = q.where('type', '=', type);
  if (query.subject) {
    const subject = query.subject;
    q = q.where((eb) => eb.or([eb('subject', '=', subject), eb('subject', 'like', `${likePrefix(subject)}/%`)]));
  }
  if (query.user) q = q.where('actor', '=', query.user);
  if (query.from) q = q.where('at', '>=', new Date(query.from));
  if (query.to) q = q.where('at', '<', new Date(query.to));
  if (query.before) q = q.where('id', '<', query.before);
  return q;
}

/** One page of the plant's event log, newest first, filtered as the query asks. */
export async function auditPage(db: Queryable, plantId: number, query: AuditQuery): Promise<AuditPage> {
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (limit < 1 || limit > AUDIT_MAX_LIMIT) throw ApiError.invalid('limit', `limit must be between 1 and ${AUDIT_MAX_LIMIT}`);
  if (query.from && query.to && new Date(query.from) >= new Date(query.to)) throw ApiError.invalid('to', 'to must be after from');
  // A kind is a closed set of the types this plant has logged, each read newest first from the
  // (plant_id, type, id) index and merged: `type LIKE 'kind.%'` with ORDER BY id walked the whole log.
  const types = query.kind ? await eventTypesOf(db, plantId, query.kind) : [undefined];
  const branches = [];
  // One after the other: a family must not take a pool connection per type at once.
  for (const type of types) branches.push(await filtered(db, plantId, query, type).orderBy('id', 'desc').limit(limit + 1).execute());
  const rows = branches
    .flat()
    .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
    .slice(0, limit + 1);
  const page = rows.slice(0, limit);
  const entries: AuditEntry[] = page.map((r) => {
    const payload = asObject(r.payload);
    return {
      id: String(r.id),
      at: r.at.toISOString(),
      receivedAt: r.received_at.toISOString(),
      actor: r.actor,
      kind: r.type,
      subject: r.subject,
      changes: changesOf(payload),
      payload,
    };
  });
  return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1]!.id : null };
}
