import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * Back-off after repeated failed sign-ins. A user name is locked after 5 failures, an address after
 * 20 (a whole workshop may share one address behind NAT); each further failure doubles the lock from
 * 30 s up to 15 minutes. Failures older than a day are forgotten; a success clears its user name.
 */
const RULES = { user: { free: 5 }, addr: { free: 20 } } as const;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
const FORGET_AFTER = '1 day';

export type ThrottleKey = `user:${string}` | `addr:${string}`;

export const throttleKeys = (username: string, address: string): ThrottleKey[] => [`user:${username.toLowerCase()}`, `addr:${address}`];

/** The latest instant until which any of the keys is locked, or null. */
export async function lockedUntil(db: Db, keys: ThrottleKey[]): Promise<Date | null> {
  const rows = await db
    .selectFrom('login_failure')
    .select('locked_until')
    .where('key', 'in', keys)
    .where('locked_until', '>', new Date())
    .where('last_at', '>', sql<Date>`now() - ${FORGET_AFTER}::interval`)
    .execute();
  const times = rows.map((r) => r.locked_until!.getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}

function lockMs(key: ThrottleKey, failures: number): number | null {
  const free = key.startsWith('user:') ? RULES.user.free : RULES.addr.free;
  if (failures < free) return null;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - free));
}

export async function recordFailure(db: Db, keys: ThrottleKey[]): Promise<void> {
  for (const key of keys) {
    // One statement per key: concurrent failures on other servers add up instead of overwriting.
    const row = await sql<{ failures: number }>`
      insert into login_failure (key, failures, last_at) values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when login_failure.last_at < now() - ${FORGET_AFTER}::interval then 1 else login_failure.failures + 1 end,
        last_at = now()
      returning failures`.execute(db);
    const ms = lockMs(key, row.rows[0]!.failures);
    if (ms !== null) await db.updateTable('login_failure').set({ locked_until: new Date(Date.now() + ms) }).where('key', '=', key).execute();
  }
}

export async function recordSuccess(db: Db, username: string): Promise<void> {
  await db.deleteFrom('login_failure').where('key', '=', `user:${username.toLowerCase()}`).execute();
}
