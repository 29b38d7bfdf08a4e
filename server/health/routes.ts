import { Hono } from 'hono';
import { sql } from 'kysely';
import { identify, type PrincipalCache } from '../auth/middleware.ts';
import type { HealthView } from '../contract/health.ts';
import type { Db } from '../db/connect.ts';

export interface HealthProbe {
  /** The worker's last heartbeat, when this process runs one; null when it runs elsewhere. */
  workerAlive: () => boolean | null;
  /** The heaps of this process's engine threads that have started (MiB). */
  threadHeaps?: () => Promise<{ name: string; heapUsedMiB: number }[]>;
}

function memoryFigures() {
  const m = process.memoryUsage();
  const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  return { rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), heapTotalMiB: mib(m.heapTotal), externalMiB: mib(m.external + m.arrayBuffers) };
}

/**
 * Unauthenticated on purpose (load balancers): anonymous callers learn only ok or degraded (the
 * status code says the same); plant codes, versions and memory need a valid token.
 */
export function healthRoutes({ db, probe, principals }: { db: Db; probe: HealthProbe; principals: PrincipalCache }) {
  return new Hono().get('/', async (c) => {
    let database: 'ok' | 'unavailable' = 'ok';
    let latest: { plant: string; version: number; computedAt: string }[] = [];
    let workerJobs: number | null = null;
    try {
      const rows = await sql<{ code: string; id: string | null; computed_at: Date | null }>`
        select p.code, v.id, v.computed_at from plant p
        left join lateral (select id, computed_at from schedule_version s where s.plant_id = p.id order by id desc limit 1) v on true
        order by p.id`.execute(db);
      latest = rows.rows
        .filter((r) => r.id !== null)
        .map((r) => ({ plant: r.code, version: Number(r.id), computedAt: r.computed_at!.toISOString() }));
      const jobs = await sql<{ n: string }>`select count(*)::text as n from graphile_worker.jobs where task_identifier = 'reschedule'`.execute(db);
      workerJobs = Number(jobs.rows[0]?.n ?? 0);
    } catch {
      database = 'unavailable';
    }
    const alive = probe.workerAlive();
    const ok = database === 'ok' && alive !== false;
    const caller = database === 'ok' ? await identify(c, db, principals).catch(() => null) : null;
    if (!caller) return c.json({ status: ok ? 'ok' : 'degraded' } satisfies HealthView, ok ? 200 : 503);
    return c.json(
      {
        status: ok ? 'ok' : 'degraded',
        database,
        worker: alive === null ? 'external' : alive ? 'ok' : 'stalled',
        pendingReschedules: workerJobs,
        schedule: latest,
        time: new Date().toISOString(),
        // For operators watching a long-running installation (and bench:display): heap vs the rest.
        memory: { ...memoryFigures(), threads: (await probe.threadHeaps?.()) ?? [] },
      } satisfies HealthView,
      ok ? 200 : 503,
    );
  });
}
